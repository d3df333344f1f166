/**
 * How a deployed function is traced, chosen in infra/lib/bundling.ts and baked into the bundle
 * (functions/common/tracing.ts reads it): `powertools` (the Powertools tracer and the X-Ray SDK, a
 * subsegment per AWS call) or `lambda` (Lambda's active tracing alone, no X-Ray SDK loaded).
 */
export type TracingMode = 'powertools' | 'lambda';
