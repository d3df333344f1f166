/**
 * Guardrail 7: a moment is a moment. Past `guardrails.maxMomentAgeMinutes` after detection (a
 * late retry, a redrive from the dead-letter queue) the message would answer a need that has
 * passed, so it is not sent.
 */
import { ALLOW, stop, type GuardrailContext, type Verdict } from './types';

export function checkMomentAge({ moment, now, config }: Pick<GuardrailContext, 'moment' | 'now' | 'config'>): Verdict {
  const detectedMs = Date.parse(moment.detectedAt);
  if (!Number.isFinite(detectedMs)) return stop('MOMENT_TOO_OLD');
  return now.getTime() - detectedMs > config.guardrails.maxMomentAgeMinutes * 60_000 ? stop('MOMENT_TOO_OLD') : ALLOW;
}
