/**
 * The Lambda context of a bench. A bench invokes one handler thousands of times with one context,
 * where Lambda gives each invocation a fresh one; local mode's context counts down from its
 * creation, so over a run longer than the function's timeout middy's early-timeout fired on a
 * healthy batch (AbortError). Here the remaining time is the whole timeout at every invocation.
 */
import type { Context } from 'aws-lambda';
import { lambdaContext } from '../local/lambda-context';

export function benchContext(functionName: string, timeoutSeconds: number, memoryMb: number): Context {
  return { ...lambdaContext(functionName, timeoutSeconds, memoryMb), getRemainingTimeInMillis: () => timeoutSeconds * 1000 };
}
