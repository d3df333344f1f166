/**
 * Who a privacy request is about. Operators and direct invocations may name the customer by the
 * brand's user id (or anonymous id); the key is derived with the same keyed HMAC as enrich
 * (shared/enrich/pseudonymise.ts), so it finds exactly the partition enrich wrote. Requests on
 * the bus name the key only. The raw id is used for this derivation and nothing else.
 */
import { customerKeyOf } from '../enrich/pseudonymise';
import { CUSTOMER_KEY_PATTERN } from './customer-items';

export interface CustomerRef {
  userId?: string;
  customerKey?: string;
}

export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
const MAX_ID_LENGTH = 256;

export class PrivacyRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrivacyRequestError';
  }
}

/** The customer key of a request; errors name the field, never echo the id. */
export async function resolveCustomerKey(ref: CustomerRef, pepper: () => Promise<string>): Promise<string> {
  const hasUser = ref.userId !== undefined;
  const hasKey = ref.customerKey !== undefined;
  if (hasUser === hasKey) throw new PrivacyRequestError('userId or customerKey: exactly one is required');
  if (hasKey) {
    if (typeof ref.customerKey !== 'string' || !CUSTOMER_KEY_PATTERN.test(ref.customerKey)) {
      throw new PrivacyRequestError('customerKey: must be 64 lower-case hex characters');
    }
    return ref.customerKey;
  }
  if (typeof ref.userId !== 'string' || ref.userId.length === 0 || ref.userId.length > MAX_ID_LENGTH) {
    throw new PrivacyRequestError(`userId: must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
  }
  return customerKeyOf(await pepper(), ref.userId);
}

export function checkRequestId(requestId: unknown): string {
  if (typeof requestId !== 'string' || !REQUEST_ID_PATTERN.test(requestId)) {
    throw new PrivacyRequestError('requestId: must be 1-128 letters, digits or . _ : -');
  }
  return requestId;
}
