/**
 * Who a privacy request is about. Operators and direct invocations may name the customer by the
 * brand's user id or by an anonymous id; the key is derived with the same keyed, namespaced HMAC
 * as enrich (shared/enrich/pseudonymise.ts: `user:` or `anon:` before the id), so it finds exactly
 * the partition enrich wrote for that kind of id and never the other kind's. Requests on the bus
 * name the key only. The raw id is used for this derivation and nothing else.
 *
 * Named by id, a request also finds the partition the same id had before keys were namespaced
 * (`legacyKey`, the HMAC of the bare id): a table written by an earlier version keeps those
 * partitions until they expire (docs/PRIVACY.md "Keys before 0.2").
 */
import { customerKeyOf, legacyCustomerKeyOf } from '../enrich/pseudonymise';
import { CUSTOMER_KEY_PATTERN } from './customer-store';

export interface CustomerRef {
  userId?: string;
  anonymousId?: string;
  customerKey?: string;
}

export interface ResolvedCustomer {
  customerKey: string;
  /** The key the same id had before keys were namespaced; only when the request named an id. */
  legacyKey?: string;
}

export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
const MAX_ID_LENGTH = 256;

export class PrivacyRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrivacyRequestError';
  }
}

/** The customer of a request; errors name the field, never echo the id. */
export async function resolveCustomer(ref: CustomerRef, pepper: () => Promise<string>): Promise<ResolvedCustomer> {
  const given = (['userId', 'anonymousId', 'customerKey'] as const).filter((f) => ref[f] !== undefined);
  if (given.length !== 1) throw new PrivacyRequestError('userId, anonymousId or customerKey: exactly one is required');
  const field = given[0];
  const value = ref[field];
  if (field === 'customerKey') {
    if (typeof value !== 'string' || !CUSTOMER_KEY_PATTERN.test(value)) {
      throw new PrivacyRequestError('customerKey: must be 64 lower-case hex characters');
    }
    return { customerKey: value };
  }
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) {
    throw new PrivacyRequestError(`${field}: must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
  }
  const p = await pepper();
  return { customerKey: customerKeyOf(p, field === 'userId' ? 'user' : 'anonymous', value), legacyKey: legacyCustomerKeyOf(p, value) };
}

/** The customer key of a request (without the legacy key). */
export async function resolveCustomerKey(ref: CustomerRef, pepper: () => Promise<string>): Promise<string> {
  return (await resolveCustomer(ref, pepper)).customerKey;
}

export function checkRequestId(requestId: unknown): string {
  if (typeof requestId !== 'string' || !REQUEST_ID_PATTERN.test(requestId)) {
    throw new PrivacyRequestError('requestId: must be 1-128 letters, digits or . _ : -');
  }
  return requestId;
}
