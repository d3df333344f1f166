/**
 * Powertools logger, metrics and tracer for one function, and the middy stack that wires them.
 * Logs are structured JSON with the Lambda context; the correlation id is the messageId of the
 * record being handled. No personal data is ever passed to a log or a metric: only customer keys
 * (pseudonymous), message ids, counts and reason codes.
 */
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';

export const METRICS_NAMESPACE = 'MicroMoments';

export interface Observability {
  logger: Logger;
  metrics: Metrics;
  tracer: Tracer;
}

export function createObservability(serviceName: string, stage: string): Observability {
  const logger = new Logger({ serviceName, persistentKeys: { stage } });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName, defaultDimensions: { stage } });
  const tracer = new Tracer({ serviceName });
  return { logger, metrics, tracer };
}

/** Wraps a handler with context injection, EMF metrics flushing and tracing. */
export function withObservability<E, R>(
  fn: (event: E, context: Context) => Promise<R>,
  obs: Observability,
): middy.MiddyfiedHandler<E, R, Error, Context> {
  return middy<E, R, Error, Context>(fn)
    .use(captureLambdaHandler(obs.tracer, { captureResponse: false }))
    .use(injectLambdaContext(obs.logger))
    .use(logMetrics(obs.metrics));
}
