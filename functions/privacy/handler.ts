/**
 * The privacy Lambda: the customer's rights of access and erasure (shared/privacy).
 *
 * Two entry points:
 * - direct invocation by an operator (npm run privacy, or `aws lambda invoke`):
 *   `{ action: 'access' | 'erase', userId? | anonymousId? | customerKey?, requestId? }` → the access
 *   document, or the erasure report (named by id: with the partition of the same id's pre-0.2 key,
 *   shared/privacy/legacy-keys.ts);
 * - EventBridge `Access Requested` / `Erasure Requested` (detail: PrivacyRequestDetail, the
 *   customer named by key): erasure as above; the access document is written to the exports
 *   bucket (`exports/<requestId>.json`, SSE-KMS), since nobody waits for the answer. A direct
 *   access whose document exceeds what a Lambda response can carry is exported the same way.
 *
 * An erasure leaves a tombstone, searches the quarantine queue (MM_QUARANTINE_URL) for the
 * customer's records and sweeps the partition once more after the stages' longest invocation
 * (shared/privacy/erase.ts), so it takes about that long (35 s with the default timeouts).
 *
 * Bad requests throw a PrivacyRequestError naming the field (a direct caller sees it; an event
 * goes to the failure queue, kept). Logs carry the customer key and request id only: a user id
 * given in the request is used to derive the key and never logged.
 */
import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { createObservability, withObservability, type Observability } from '../common/observability';
import type { Runtime } from '../../shared/adapters/runtime';
import { DETAIL_TYPES } from '../../shared/contracts/events';
import { ENV } from '../../shared/names';
import { METRIC } from '../../shared/observability/metric-names';
import type { AccessDocument } from '../../shared/privacy/access';
import { checkRequestId, PrivacyRequestError, resolveCustomer, type ResolvedCustomer } from '../../shared/privacy/customer-ref';
import { erasureSettleMs } from '../../shared/privacy/erase';
import { accessCustomerAndLegacy, eraseCustomerAndLegacy, type AccessWithLegacy, type ErasureWithLegacy } from '../../shared/privacy/legacy-keys';
import { SqsQuarantinePurge } from '../../shared/adapters/sqs-quarantine-purge';
import { tombstoneRetentionDays } from '../../shared/privacy/tombstone';
import { keyer } from '../../shared/enrich/pseudonymise';
import { exportKeyOf, type ExportSink } from '../../shared/privacy/export-sink';
import { S3ExportSink } from '../../shared/adapters/s3-export-sink';

export interface DirectPrivacyRequest {
  action: 'access' | 'erase';
  userId?: string;
  anonymousId?: string;
  customerKey?: string;
  requestId?: string;
}

export interface PrivacyEvent {
  'detail-type': string;
  source?: string;
  detail: { version?: number; requestId?: unknown; customerKey?: unknown };
}

export type PrivacyRequest = DirectPrivacyRequest | PrivacyEvent;

export type PrivacyResponse =
  | { action: 'access'; requestId: string; document: AccessWithLegacy }
  | { action: 'access'; requestId: string; customerKey: string; exportedTo: string; counts: AccessDocument['counts'] }
  | ({ action: 'erase' } & ErasureWithLegacy);

export interface PrivacyHandlerOptions {
  observability?: Observability;
  /** Where event-driven exports go; defaults to S3 (env MM_EXPORT_BUCKET). */
  exports?: ExportSink;
  /** Wait before an erasure's last sweep; default erasureSettleMs(config) (tests shorten it). */
  settleMs?: number;
}

const MAX_DIRECT_RESPONSE_BYTES = 5_000_000;

const isEvent = (r: PrivacyRequest): r is PrivacyEvent => typeof (r as PrivacyEvent)?.['detail-type'] === 'string';

export function createPrivacyHandler(runtime: Runtime, options: PrivacyHandlerOptions = {}) {
  const obs = options.observability ?? createObservability('privacy', runtime.config.stage);
  const { logger, metrics } = obs;
  const store = { customers: runtime.stores.customers };
  let exportsSink = options.exports;
  const exportSink = (): ExportSink => {
    if (exportsSink) return exportsSink;
    const bucket = process.env[ENV.exportBucket];
    if (!bucket) throw new Error(`environment variable ${ENV.exportBucket} is required to export access requests made by event`);
    exportsSink = new S3ExportSink(bucket);
    return exportsSink;
  };
  const pepper = () => runtime.secrets.get('pepper');

  async function handle(request: PrivacyRequest, _context: Context): Promise<PrivacyResponse> {
    if (request === null || typeof request !== 'object') throw new PrivacyRequestError('request: must be an object');
    let action: 'access' | 'erase';
    let who: ResolvedCustomer;
    let requestId: string;
    const byEvent = isEvent(request);
    if (byEvent) {
      const type = request['detail-type'];
      if (type === DETAIL_TYPES.accessRequested) action = 'access';
      else if (type === DETAIL_TYPES.erasureRequested) action = 'erase';
      else throw new PrivacyRequestError(`detail-type: must be "${DETAIL_TYPES.accessRequested}" or "${DETAIL_TYPES.erasureRequested}"`);
      const d = request.detail ?? {};
      if (d.version !== 1) throw new PrivacyRequestError('detail.version: must be 1');
      requestId = checkRequestId(d.requestId);
      // The bus carries keys only: a raw id there is refused, not used.
      who = await resolveCustomer({ customerKey: d.customerKey as string }, pepper);
    } else {
      if (request.action !== 'access' && request.action !== 'erase') throw new PrivacyRequestError('action: must be "access" or "erase"');
      action = request.action;
      requestId = request.requestId === undefined ? randomUUID() : checkRequestId(request.requestId);
      who = await resolveCustomer(
        {
          ...(request.userId !== undefined ? { userId: request.userId } : {}),
          ...(request.anonymousId !== undefined ? { anonymousId: request.anonymousId } : {}),
          ...(request.customerKey !== undefined ? { customerKey: request.customerKey } : {}),
        },
        pepper,
      );
    }
    const { customerKey } = who;
    const via = byEvent ? 'event' : 'direct';

    if (action === 'erase') {
      const queueUrl = runtime.resources.quarantineQueueUrl;
      const keyOf = keyer(await pepper());
      const report = await eraseCustomerAndLegacy(
        {
          ...store,
          publisher: runtime.publisher,
          tombstoneDays: tombstoneRetentionDays(runtime.config),
          settleMs: options.settleMs ?? erasureSettleMs(runtime.config),
          quarantines: queueUrl ? [new SqsQuarantinePurge(runtime.clients.sqs, queueUrl, keyOf, { counter: runtime.counter })] : [],
        },
        who,
        requestId,
        runtime.now,
      );
      metrics.addMetric(METRIC.customersErased, MetricUnit.Count, 1);
      logger.info('customer erased', {
        customerKey,
        requestId,
        via,
        itemsDeleted: report.itemsDeleted,
        byKind: report.byKind,
        tombstoneUntil: report.tombstoneUntil,
        quarantine: report.quarantine.map(({ where: _where, ...counts }) => counts),
        ...(report.legacy ? { legacyKey: report.legacy.customerKey, legacyItemsDeleted: report.legacy.itemsDeleted } : {}),
      });
      return { action: 'erase', ...report };
    }

    const document = await accessCustomerAndLegacy(store, who, runtime.now());
    metrics.addMetric(METRIC.accessRequests, MetricUnit.Count, 1);
    const body = JSON.stringify(document);
    // A synchronous Lambda response is limited to 6 MB: a long history is exported instead.
    if (!byEvent && Buffer.byteLength(body) <= MAX_DIRECT_RESPONSE_BYTES) {
      logger.info('access document returned', { customerKey, requestId, via, counts: document.counts });
      return { action: 'access', requestId, document };
    }
    const { location } = await exportSink().put(exportKeyOf(requestId), body);
    logger.info('access document exported', { customerKey, requestId, via, exportedTo: location, counts: document.counts });
    return { action: 'access', requestId, customerKey, exportedTo: location, counts: document.counts };
  }

  return withObservability(handle, obs);
}
