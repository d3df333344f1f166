/**
 * A notify-<channel> Lambda: `Moment Detected` (from the routing rules) → guardrails → channel →
 * audit item and `Notification Sent|Suppressed` (shared/notify/decide.ts). Thin on purpose.
 *
 * Failure handling: the function is invoked asynchronously by EventBridge. A thrown error (the
 * channel still down after its retries, DynamoDB or the bus unreachable, another invocation
 * holding the decision, an event that is not a valid moment) fails the invocation; Lambda
 * retries it and then hands it to the function's failure queue, so nothing is lost, and the
 * idempotency marker makes every retry safe. Logs and metrics carry the customer key only, and
 * not even that for a moment of an erased customer (dropped: nothing written, nothing published).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { countsBy, createObservability, withObservability, type Observability } from '../common/observability';
import type { Runtime } from '../../shared/adapters/runtime';
import { CHANNELS, type Channel } from '../../shared/contracts/enriched';
import { DETAIL_TYPES } from '../../shared/contracts/events';
import { ENV } from '../../shared/names';
import { METRIC } from '../../shared/observability/metric-names';
import type { ChannelAdapter } from '../../shared/notify/channel';
import { channelAdapterFor } from '../../shared/adapters/channel-adapters';
import { decideAndSend, type DecisionOutcome } from '../../shared/notify/decide';

export interface NotifyHandlerOptions {
  observability?: Observability;
}

export type MomentEvent = EventBridgeEvent<string, unknown>;

function resolveChannel(runtime: Runtime): Channel {
  const value = runtime.channel ?? process.env[ENV.channel];
  if (!value) throw new Error(`environment variable ${ENV.channel} is required (the channel this function serves)`);
  if (!(CHANNELS as readonly string[]).includes(value)) throw new Error(`${ENV.channel}: must be one of ${JSON.stringify(CHANNELS)}, got ${JSON.stringify(value)}`);
  return value as Channel;
}

export function createNotifyHandler(runtime: Runtime, options: NotifyHandlerOptions = {}) {
  const service = runtime.channel ?? process.env[ENV.channel];
  const obs = options.observability ?? createObservability(service ? `notify-${service}` : 'notify', runtime.config.stage);
  const { logger, metrics } = obs;
  const sentBy = countsBy(metrics, 'channel');
  const suppressedBy = countsBy(metrics, 'reason');
  const store = runtime.stores.notify;
  let wired: { channel: Channel; adapter: ChannelAdapter } | undefined;

  async function handle(event: MomentEvent, _context: Context): Promise<DecisionOutcome> {
    if (!wired) {
      const channel = resolveChannel(runtime);
      wired = { channel, adapter: channelAdapterFor(runtime, channel) };
    }
    const { channel, adapter } = wired;
    if (event?.['detail-type'] !== DETAIL_TYPES.momentDetected) {
      // The value is not quoted: an error message ends up in a log line.
      throw new Error(`detail-type: must be "${DETAIL_TYPES.momentDetected}"`);
    }
    let outcome: DecisionOutcome;
    try {
      outcome = await decideAndSend(event.detail, channel, {
        config: runtime.config,
        store,
        adapter,
        publisher: runtime.publisher,
        now: runtime.now,
      });
    } catch (err) {
      const e = err as Error;
      // The error's message names fields, ids and status codes, never personal data.
      logger.error('notification decision failed; the event will be retried', { channel, error: e.name, detail: e.message });
      throw err;
    }

    const base = { channel, momentId: outcome.momentId, customerKey: outcome.customerKey, notificationId: outcome.notificationId };
    switch (outcome.status) {
      case 'sent': {
        sentBy(METRIC.notificationsSent, channel, 1);
        // The channel's own retries (5xx, 429, timeouts) before it accepted.
        if (outcome.attempts > 1) metrics.addMetric(METRIC.entriesRetried, MetricUnit.Count, outcome.attempts - 1);
        logger.info('notification sent', { ...base, templateId: outcome.templateId, attempts: outcome.attempts });
        break;
      }
      case 'suppressed': {
        suppressedBy(METRIC.notificationsSuppressed, outcome.reason, 1);
        logger.info('notification suppressed', { ...base, reason: outcome.reason });
        break;
      }
      case 'duplicate':
        logger.info('moment already decided for this channel; redelivery ignored', base);
        break;
      case 'erased':
        // The customer is gone: not even their key goes into a new log line.
        metrics.addMetric(METRIC.momentsOfErasedDropped, MetricUnit.Count, 1);
        logger.info('moment of an erased customer dropped', { channel, momentId: outcome.momentId, reason: 'erased' });
        break;
    }
    return outcome;
  }

  return withObservability(handle, obs);
}
