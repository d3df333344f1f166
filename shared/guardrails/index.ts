/**
 * The guardrails, one module each, in the order they are checked (GUARDRAIL_ORDER):
 * consent → sensitive → consumer-initiated → quiet hours → caps → cooldown → moment age.
 * The first four are pure and run together in checkPolicyGuardrails; caps and cooldown reserve
 * in the NOTIFY item (reservations.ts); moment age is pure and checked last, as the design lists it.
 */
import { checkChannelConsent } from './consent';
import { checkConsumerInitiated } from './consumer-initiated';
import { checkQuietHours } from './quiet-hours';
import { checkSensitive, type RenderedText } from './sensitive';
import { ALLOW, type GuardrailContext, type Verdict } from './types';

export * from './types';
export * from './consent';
export * from './sensitive';
export * from './consumer-initiated';
export * from './customer-clock';
export * from './quiet-hours';
export * from './caps';
export * from './cooldown';
export * from './moment-age';
export * from './reservations';

/** Guardrails 1-4, in order: the first that stops answers. */
export function checkPolicyGuardrails(ctx: GuardrailContext, rendered?: RenderedText): Verdict {
  const checks: (() => Verdict)[] = [
    () => checkChannelConsent(ctx),
    () => checkSensitive(ctx, rendered),
    () => checkConsumerInitiated(ctx),
    () => checkQuietHours(ctx),
  ];
  for (const check of checks) {
    const verdict = check();
    if (!verdict.ok) return verdict;
  }
  return ALLOW;
}
