/**
 * Guardrail 4: quiet hours in the customer's local time. `start` is inclusive, `end` exclusive;
 * a window whose end is before its start spans midnight (21:00-08:00); start = end means no
 * quiet hours at all.
 */
import type { QuietHours } from '../config/types';
import { customerLocalTime } from './customer-clock';
import { ALLOW, stop, type GuardrailContext, type Verdict } from './types';

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/** Is `minuteOfDay` (0..1439, local) inside the quiet window? */
export function isQuietMinute(minuteOfDay: number, quiet: QuietHours): boolean {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return false;
  if (start < end) return minuteOfDay >= start && minuteOfDay < end;
  return minuteOfDay >= start || minuteOfDay < end;
}

export function checkQuietHours({ moment, profile, now, config }: Omit<GuardrailContext, 'channel'>): Verdict {
  const local = customerLocalTime(now, profile, moment);
  return isQuietMinute(local.minuteOfDay, config.guardrails.quietHours) ? stop('QUIET_HOURS') : ALLOW;
}
