/**
 * Erasure in the quarantine: the quarantine keeps bad records whole (their raw payload) for
 * `retention.queueDays`, so an erasure removes the erased customer's records from it where they
 * can be attributed:
 *
 * - a record enrich quarantined after parsing it (a schema, time or time zone error) carries the
 *   customer's key (`customerKey`, in the body and as a message attribute);
 * - a record score quarantined is on the enriched stream, whose partition key is the customer key;
 * - an older message without the attribute: its payload is parsed and keyed as enrich would.
 *
 * A record that does not parse to a customer (not UTF-8, not JSON, no userId or anonymousId, cut
 * short by the size limit) cannot be attributed to anyone: it is counted (`unattributed`) and
 * stays until the queue's retention deletes it, `retention.queueDays` after it was quarantined.
 *
 * Purges: SQS in AWS (shared/adapters/sqs-quarantine-purge.ts), the local JSON-lines file in local
 * mode (local/erase-files.ts).
 */
import { customerKeyOfRecord, type KeyOf } from '../enrich/record-identity';
import type { QuarantineEntry } from '../stream/quarantine';
import { CUSTOMER_KEY_PATTERN } from './customer-store';

export interface QuarantinePurgeReport {
  /** Where: the queue URL, or the local file. */
  where: string;
  /** Messages read. */
  scanned: number;
  /** The customer's, deleted. */
  deleted: number;
  /** Naming no customer that can be known: they stay until the queue's retention deletes them. */
  unattributed: number;
  /** Messages held by another reader during the scan, not seen (SQS). */
  notVisible?: number;
  /** False when the scan stopped at its limit before the queue was empty of unseen messages. */
  complete: boolean;
}

export interface QuarantinePurge {
  purge(customerKey: string): Promise<QuarantinePurgeReport>;
}

/** Whose a quarantined record is, if that can be known (see above). */
export function quarantineCustomerKey(entry: Partial<QuarantineEntry>, keyOf: KeyOf): string | undefined {
  if (typeof entry.customerKey === 'string') return entry.customerKey;
  const pk = entry.source?.partitionKey;
  if (entry.stage === 'score' && typeof pk === 'string' && CUSTOMER_KEY_PATTERN.test(pk)) return pk;
  if (typeof entry.payloadBase64 !== 'string' || entry.stage !== 'enrich') return undefined;
  return customerKeyOfRecord(Buffer.from(entry.payloadBase64, 'base64'), keyOf);
}
