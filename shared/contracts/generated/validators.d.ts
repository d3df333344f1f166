// Types of the generated module validators.js (scripts/generate-validators.ts): each export is an
// ajv standalone validate function, which sets `errors` on itself when it returns false.
import type { ErrorObject } from 'ajv';

export interface StandaloneValidate {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export declare const signal: StandaloneValidate;
export declare const enrichedSignal: StandaloneValidate;
export declare const momentDetected: StandaloneValidate;
export declare const notificationSent: StandaloneValidate;
export declare const notificationSuppressed: StandaloneValidate;
export declare const customerErased: StandaloneValidate;
/** Property names and string enum/const values the schemas declare (the contract's own words). */
export declare const declaredFields: readonly string[];
