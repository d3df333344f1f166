/**
 * Messages from the templates in configuration (validated at synth: placeholders are known and
 * every intent has a fallback). The first template of the moment's intent whose `when` matches
 * wins: `nearOpenLocation` is true when the nearest location is open and within the scorer's
 * `context.nearOpenLocation.radiusMeters`; `event` matches the trigger's event or an event among
 * the moment's reasons (a buy moment after an abandoned checkout).
 */
import type { MicroMomentsConfig, Template } from '../config/types';
import type { MomentDetectedDetail } from '../contracts/events';

export interface RenderedMessage {
  templateId: string;
  title: string;
  body: string;
}

/** `350 m` under a kilometre (to 10 m), `1.2 km` above (to 100 m). */
export function formatDistance(meters: number): string {
  if (!Number.isFinite(meters) || meters < 0) return 'nearby';
  const tens = Math.round(meters / 10) * 10;
  if (tens < 1000) return `${Math.max(tens, 10)} m`;
  return `${(Math.round(meters / 100) / 10).toFixed(1)} km`;
}

function isNearOpenLocation(moment: MomentDetectedDetail, radiusMeters: number): boolean {
  const n = moment.context.nearestLocation;
  return n !== undefined && n.open && n.distanceMeters <= radiusMeters;
}

function templateMatches(t: Template, moment: MomentDetectedDetail, radiusMeters: number): boolean {
  if (t.intent !== moment.intent) return false;
  if (!t.when) return true;
  if (t.when.nearOpenLocation !== undefined && t.when.nearOpenLocation !== isNearOpenLocation(moment, radiusMeters)) return false;
  if (t.when.event !== undefined) {
    const event = t.when.event;
    const seen = moment.trigger.event === event || moment.reasons.some((r) => r.kind === 'event' && r.feature === event);
    if (!seen) return false;
  }
  return true;
}

export function selectTemplate(
  moment: MomentDetectedDetail,
  config: Pick<MicroMomentsConfig, 'templates' | 'scoring'>,
): Template | undefined {
  const radius = config.scoring.context.nearOpenLocation.radiusMeters;
  return config.templates.find((t) => templateMatches(t, moment, radius));
}

function fill(text: string, moment: MomentDetectedDetail): string {
  const n = moment.context.nearestLocation;
  const values: Record<string, string> = {
    store: n?.name ?? 'our store',
    distance: n ? formatDistance(n.distanceMeters) : 'nearby',
    lifeEventType: (moment.lifeEventType ?? 'news').replace(/[-_]+/g, ' '),
    daypart: moment.context.daypart,
  };
  return text.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}

export function renderMessage(
  moment: MomentDetectedDetail,
  config: Pick<MicroMomentsConfig, 'templates' | 'scoring'>,
): RenderedMessage {
  const t = selectTemplate(moment, config);
  // validateConfig requires a fallback per intent, so this is a configuration bypassing validation.
  if (!t) throw new Error(`templates: no template for intent "${moment.intent}"`);
  return { templateId: t.id, title: fill(t.title, moment), body: fill(t.body, moment) };
}
