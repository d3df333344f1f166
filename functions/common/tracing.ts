/**
 * Tracing of a deployed function, chosen when the bundle is built (infra/lib/bundling.ts bakes
 * `process.env.MM_TRACING` in, and esbuild drops the branch not taken with its `require`):
 *
 * - `powertools`: the Powertools tracer, a subsegment for the handler and for every AWS SDK call.
 *   It loads the X-Ray SDK (with `semver` and `cls-hooked`), about a quarter of a cold start.
 * - `lambda`: Lambda's own active tracing only (the invocation's segment, `xray_trace_id` in every
 *   log line), and no X-Ray SDK in the bundle.
 *
 * Unset (local mode, tests, the CLIs run from source): `powertools`, as before the choice existed.
 */
import type { MiddlewareObj } from '@middy/core';

export interface Tracing {
  /** Wraps an SDK client so its calls are traced (identity when not tracing). */
  instrument: <C extends object>(client: C) => C;
  /** The handler's middleware, if any. */
  middleware?: MiddlewareObj;
}

const identity = <C extends object>(client: C): C => client;
let shared: Tracing | undefined;

/** One per container: the clients and the handler share the tracer. */
export function tracing(): Tracing {
  // `process.env.MM_TRACING` literally, so that esbuild's define replaces it in the bundle and
  // drops the branch not taken: required there, not imported, a `lambda` bundle has no X-Ray SDK.
  if (process.env.MM_TRACING !== 'lambda') {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { Tracer } = require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer');
    const { captureLambdaHandler } = require('@aws-lambda-powertools/tracer/middleware') as typeof import('@aws-lambda-powertools/tracer/middleware');
    /* eslint-enable @typescript-eslint/no-require-imports */
    if (!shared) {
      const tracer = new Tracer();
      shared = { instrument: (client) => tracer.captureAWSv3Client(client), middleware: captureLambdaHandler(tracer, { captureResponse: false }) as MiddlewareObj };
    }
  } else {
    shared ??= { instrument: identity };
  }
  return shared;
}
