/**
 * Validates a configuration and fails with a message that names the field, so a wrong value
 * stops `cdk synth` (and a handler's cold start) instead of deploying a broken pipeline.
 */
import { CHANNELS, DAYPARTS, INTENTS, MOMENT_INTENTS } from '../contracts/enriched';
import { parseTerm } from '../privacy/lexicon-matcher';
import { validateEventPattern } from '../routing/event-pattern';
import { describeUnknownKey, unknownKeys } from './known-keys';
import { CONSUMER_MODES, type MicroMomentsConfig } from './types';
import { survivesScrubbing } from '../privacy/scrub';

/** What an erasure does besides waiting: deleting the partition, searching the quarantine. */
const PRIVACY_WORK_SECONDS = 30;

export class ConfigError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`Invalid micro-moments configuration: ${field} ${rule}`);
    this.name = 'ConfigError';
  }
}

type Obj = Record<string, unknown>;

/** The first unknown key's rule, then the others in full (ConfigError puts the first path in front). */
function unknownKeyRule(unknown: ReturnType<typeof unknownKeys>): string {
  const [first, ...rest] = unknown.map(describeUnknownKey);
  const firstRule = first.slice(unknown[0].path.length + 1);
  return rest.length === 0 ? firstRule : `${firstRule}; also ${rest.join('; ')}`;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(field: string, rule: string, got?: unknown): never {
  const shown = got === undefined ? '' : `, got ${JSON.stringify(got)?.slice(0, 80)}`;
  throw new ConfigError(field, `${rule}${shown}`);
}

function obj(v: unknown, field: string): Obj {
  if (!isObj(v)) fail(field, 'must be an object', v);
  return v;
}

function num(v: unknown, field: string, min: number, max: number, opts: { integer?: boolean; exclusive?: boolean } = {}): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(field, 'must be a number', v);
  if (opts.integer && !Number.isInteger(v)) fail(field, 'must be an integer', v);
  const below = opts.exclusive ? v <= min : v < min;
  const above = opts.exclusive ? v >= max : v > max;
  if (below || above) {
    fail(field, opts.exclusive ? `must be between ${min} and ${max}, both excluded` : `must be between ${min} and ${max}`, v);
  }
  return v;
}

function int(v: unknown, field: string, min: number, max: number): number {
  return num(v, field, min, max, { integer: true });
}

function str(v: unknown, field: string, pattern?: RegExp, rule?: string): string {
  if (typeof v !== 'string' || v.length === 0) fail(field, 'must be a non-empty string', v);
  if (pattern && !pattern.test(v)) fail(field, rule ?? `must match ${pattern}`, v);
  return v;
}

/**
 * Vocabulary that scoring matches and moments carry (event names, phrases, categories) goes
 * through the scrubber with every other string: a word the scrubber would mask (seven digits, an
 * `@`, a street address...) would never match again downstream, so it is refused here.
 */
function vocabulary(v: string, field: string): void {
  if (!survivesScrubbing(v)) fail(field, 'looks like personal data to the scrubber (an email, a long number, an address...) and would be masked in every record; rename it', v);
}

function bool(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') fail(field, 'must be true or false', v);
  return v;
}

function arr(v: unknown, field: string, minItems = 0): unknown[] {
  if (!Array.isArray(v)) fail(field, 'must be an array', v);
  if (v.length < minItems) fail(field, `must have at least ${minItems} item(s)`);
  return v;
}

function oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    fail(field, `must be one of ${allowed.join(', ')}`, v);
  }
  return v as T;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const HOURS = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/;

function timezone(v: unknown, field: string): string {
  const tz = str(v, field);
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    fail(field, 'must be an IANA time zone (e.g. Europe/London)', v);
  }
  return tz;
}

function intentWeights(v: unknown, field: string): void {
  for (const [intent, w] of Object.entries(obj(v, field))) {
    oneOf(intent, `${field}.${intent}`, INTENTS);
    num(w, `${field}.${intent}`, -5, 5);
  }
}

function validateScoring(v: unknown, f: string): void {
  const s = obj(v, f);
  str(s.version, `${f}.version`);
  num(s.evidenceScale, `${f}.evidenceScale`, 0, 100, { exclusive: true });
  int(s.recentMessageIds, `${f}.recentMessageIds`, 1, 2000);
  int(s.maxReasons, `${f}.maxReasons`, 1, 50);
  const intents = obj(s.intents, `${f}.intents`);
  for (const intent of INTENTS) {
    const i = obj(intents[intent], `${f}.intents.${intent}`);
    num(i.halfLifeMinutes, `${f}.intents.${intent}.halfLifeMinutes`, 1, 7 * 24 * 60);
    num(i.threshold, `${f}.intents.${intent}.threshold`, 0, 1, { exclusive: true });
    num(i.cooldownMinutes, `${f}.intents.${intent}.cooldownMinutes`, 0, 30 * 24 * 60);
    if (i.outcomeEvents !== undefined) {
      arr(i.outcomeEvents, `${f}.intents.${intent}.outcomeEvents`).forEach((e, k) => str(e, `${f}.intents.${intent}.outcomeEvents.${k}`));
    }
  }
  for (const key of Object.keys(intents)) oneOf(key, `${f}.intents.${key}`, INTENTS);
  for (const [event, w] of Object.entries(obj(s.eventWeights, `${f}.eventWeights`))) {
    vocabulary(event, `${f}.eventWeights.${event}`);
    intentWeights(w, `${f}.eventWeights.${event}`);
  }
  for (const [category, w] of Object.entries(obj(s.contentWeights, `${f}.contentWeights`))) {
    vocabulary(category, `${f}.contentWeights.${category}`);
    intentWeights(w, `${f}.contentWeights.${category}`);
  }
  arr(s.lexicon, `${f}.lexicon`).forEach((e, i) => {
    const entry = obj(e, `${f}.lexicon.${i}`);
    const phrase = str(entry.phrase, `${f}.lexicon.${i}.phrase`);
    if (phrase !== phrase.toLowerCase().trim()) fail(`${f}.lexicon.${i}.phrase`, 'must be lower case and trimmed', phrase);
    vocabulary(phrase, `${f}.lexicon.${i}.phrase`);
    oneOf(entry.intent, `${f}.lexicon.${i}.intent`, INTENTS);
    num(entry.weight, `${f}.lexicon.${i}.weight`, -5, 5);
  });
  validateBehaviour(s.behaviour, `${f}.behaviour`);
  if (s.provenance !== undefined) validateProvenance(s.provenance, `${f}.provenance`);
  const ctx = obj(s.context, `${f}.context`);
  intentWeights(ctx.mobile, `${f}.context.mobile`);
  const near = obj(ctx.nearOpenLocation, `${f}.context.nearOpenLocation`);
  num(near.radiusMeters, `${f}.context.nearOpenLocation.radiusMeters`, 1, 100_000);
  const { radiusMeters: _radius, ...nearWeights } = near;
  intentWeights(nearWeights, `${f}.context.nearOpenLocation`);
  for (const [daypart, w] of Object.entries(obj(ctx.dayparts, `${f}.context.dayparts`))) {
    oneOf(daypart, `${f}.context.dayparts.${daypart}`, DAYPARTS);
    intentWeights(w, `${f}.context.dayparts.${daypart}`);
  }
  for (const [event, intents] of Object.entries(obj(s.closers, `${f}.closers`))) {
    vocabulary(event, `${f}.closers.${event}`);
    arr(intents, `${f}.closers.${event}`).forEach((x, i) => oneOf(x, `${f}.closers.${event}.${i}`, INTENTS));
  }
  const life = obj(s.lifeEvents, `${f}.lifeEvents`);
  arr(life.allowedTypes, `${f}.lifeEvents.allowedTypes`).forEach((t, i) =>
    vocabulary(str(t, `${f}.lifeEvents.allowedTypes.${i}`, /^[a-z][a-z0-9-]{0,63}$/, 'must be a lower-case kebab-case type'), `${f}.lifeEvents.allowedTypes.${i}`),
  );
  num(life.cooldownDays, `${f}.lifeEvents.cooldownDays`, 0, 3650);
}

function validateBehaviour(v: unknown, f: string): void {
  const b = obj(v, f);
  const events = obj(b.events, `${f}.events`);
  for (const kind of ['view', 'add', 'remove', 'purchase', 'strong']) {
    arr(events[kind], `${f}.events.${kind}`).forEach((e, i) => str(e, `${f}.events.${kind}.${i}`));
  }
  int(b.memory, `${f}.memory`, 0, 32);
  num(b.focusWindowMinutes, `${f}.focusWindowMinutes`, 1, 30 * 24 * 60);
  for (const name of ['focusProduct', 'focusCategory', 'breadth', 'cartEmptied']) intentWeights(b[name], `${f}.${name}`);
  const cart = obj(b.cartItems, `${f}.cartItems`);
  intentWeights(cart.weights, `${f}.cartItems.weights`);
  int(cart.maxItems, `${f}.cartItems.maxItems`, 1, 100);
  const recency = obj(b.recency, `${f}.recency`);
  intentWeights(recency.weights, `${f}.recency.weights`);
  // A negative weight would make a score rise while nothing happens.
  for (const [intent, w] of Object.entries(obj(recency.weights, `${f}.recency.weights`))) {
    if ((w as number) < 0) fail(`${f}.recency.weights.${intent}`, 'must not be negative (the score would rise as the signal fades)', w);
  }
  num(recency.halfLifeMinutes, `${f}.recency.halfLifeMinutes`, 1, 7 * 24 * 60);
  const prior = obj(b.priorPurchases, `${f}.priorPurchases`);
  intentWeights(prior.weights, `${f}.priorPurchases.weights`);
  int(prior.maxCount, `${f}.priorPurchases.maxCount`, 1, 1000);
}

const SHA256 = /^[0-9a-f]{64}$/;

function validateFigures(v: unknown, f: string): void {
  const x = obj(v, f);
  int(x.sessions, `${f}.sessions`, 0, Number.MAX_SAFE_INTEGER);
  int(x.positives, `${f}.positives`, 0, Number.MAX_SAFE_INTEGER);
  for (const k of ['rocAuc', 'prAuc', 'precision', 'recall', 'f1']) num(x[k], `${f}.${k}`, 0, 1);
  num(x.alertsPer1000Sessions, `${f}.alertsPer1000Sessions`, 0, Number.MAX_SAFE_INTEGER);
  const baselines = obj(x.baselines, `${f}.baselines`);
  num(baselines.logisticRocAuc, `${f}.baselines.logisticRocAuc`, 0, 1);
  num(baselines.cartAddF1, `${f}.baselines.cartAddF1`, 0, 1);
}

function validateProvenance(v: unknown, f: string): void {
  for (const [intent, p] of Object.entries(obj(v, f))) {
    const g = `${f}.${intent}`;
    oneOf(intent, g, INTENTS);
    const prov = obj(p, g);
    str(prov.fittedBy, `${g}.fittedBy`);
    const input = obj(prov.input, `${g}.input`);
    str(input.name, `${g}.input.name`);
    str(input.sha256, `${g}.input.sha256`, SHA256, 'must be a SHA-256 digest in lower-case hex');
    for (const k of ['signals', 'customers', 'sessions']) int(input[k], `${g}.input.${k}`, 0, Number.MAX_SAFE_INTEGER);
    const split = obj(prov.split, `${g}.split`);
    oneOf(split.by, `${g}.split.by`, ['customer'] as const);
    int(split.seed, `${g}.split.seed`, 0, 2 ** 32 - 1);
    num(split.trainFraction, `${g}.split.trainFraction`, 0, 1, { exclusive: true });
    int(split.trainCustomers, `${g}.split.trainCustomers`, 1, Number.MAX_SAFE_INTEGER);
    int(split.testCustomers, `${g}.split.testCustomers`, 1, Number.MAX_SAFE_INTEGER);
    int(prov.seed, `${g}.seed`, 0, 2 ** 32 - 1);
    const threshold = obj(prov.threshold, `${g}.threshold`);
    const rule = oneOf(threshold.rule, `${g}.threshold.rule`, ['target-precision', 'alert-budget', 'max-f1'] as const);
    if (rule === 'target-precision') num(threshold.value, `${g}.threshold.value`, 0, 1, { exclusive: true });
    if (rule === 'alert-budget') num(threshold.value, `${g}.threshold.value`, 0, 1000, { exclusive: true });
    if (prov.notFitted !== undefined) arr(prov.notFitted, `${g}.notFitted`).forEach((x, i) => str(x, `${g}.notFitted.${i}`));
    validateFigures(prov.heldOut, `${g}.heldOut`);
    if (prov.generalisation !== undefined) {
      arr(prov.generalisation, `${g}.generalisation`).forEach((x, i) => {
        validateFigures(x, `${g}.generalisation.${i}`);
        const o = obj(x, `${g}.generalisation.${i}`);
        str(o.input, `${g}.generalisation.${i}.input`);
        str(o.sha256, `${g}.generalisation.${i}.sha256`, SHA256, 'must be a SHA-256 digest in lower-case hex');
      });
    }
  }
}

function validateSensitive(v: unknown, f: string, lifeEventTypes: string[]): void {
  const categories = obj(v, f);
  if (Object.keys(categories).length === 0) fail(f, 'must name at least one sensitive category');
  for (const [name, c] of Object.entries(categories)) {
    const cat = obj(c, `${f}.${name}`);
    const terms = (key: 'terms' | 'exceptions') => (t: unknown, i: number) => {
      const term = str(t, `${f}.${name}.${key}.${i}`);
      if (term !== term.toLowerCase().trim()) fail(`${f}.${name}.${key}.${i}`, 'must be lower case and trimmed', term);
      const parsed = parseTerm(term);
      if (!parsed.ok) fail(`${f}.${name}.${key}.${i}`, parsed.error);
    };
    arr(cat.terms, `${f}.${name}.terms`).forEach(terms('terms'));
    if (cat.exceptions !== undefined) arr(cat.exceptions, `${f}.${name}.exceptions`).forEach(terms('exceptions'));
    arr(cat.contentCategories, `${f}.${name}.contentCategories`).forEach((t, i) => str(t, `${f}.${name}.contentCategories.${i}`));
    arr(cat.lifeEventTypes, `${f}.${name}.lifeEventTypes`).forEach((t, i) => {
      const type = str(t, `${f}.${name}.lifeEventTypes.${i}`);
      // Defence in depth: a type cannot be both allowed and sensitive.
      if (lifeEventTypes.includes(type)) {
        fail(`${f}.${name}.lifeEventTypes.${i}`, 'is also in scoring.lifeEvents.allowedTypes; a sensitive life event is never allowed', type);
      }
    });
  }
}

/** Hosts reserved for documentation (RFC 2606): the shipped example endpoint, never a receiver. */
export function isExampleEndpoint(endpoint: string): boolean {
  const host = new URL(endpoint).hostname.toLowerCase();
  return ['example.com', 'example.net', 'example.org'].some((d) => host === d || host.endsWith(`.${d}`));
}

/** Lambda keeps this much of the account's concurrency quota unreserved. */
export const UNRESERVED_CONCURRENCY_MINIMUM = 100;

/**
 * The reservations of one stage (one notify function per enabled channel) must fit in the quota
 * less the 100 Lambda keeps unreserved, or the deploy fails half-way on the function that crosses
 * it. Named after the first function that reserves, with the arithmetic.
 */
function validateReservedConcurrency(functions: Obj, channels: Obj, quota: number): void {
  const notifyFunctions = Object.values(channels).filter((ch) => isObj(ch) && ch.enabled === true).length;
  const parts: { field: string; total: number; text: string }[] = [];
  for (const name of ['enrich', 'score', 'notify', 'privacy']) {
    const reserved = (functions[name] as Obj).reservedConcurrency;
    if (typeof reserved !== 'number') continue;
    const copies = name === 'notify' ? notifyFunctions : 1;
    if (copies === 0) continue;
    parts.push({
      field: `functions.${name}.reservedConcurrency`,
      total: reserved * copies,
      text: copies === 1 ? `${reserved} for ${name}` : `${reserved} for each of the ${copies} notify functions`,
    });
  }
  const total = parts.reduce((sum, p) => sum + p.total, 0);
  const reservable = Math.max(0, quota - UNRESERVED_CONCURRENCY_MINIMUM);
  if (total > reservable) {
    fail(
      parts[0].field,
      `reserves ${total} concurrent executions in this stage (${parts.map((p) => p.text).join(', ')}), but deployment.lambdaConcurrencyQuota is ${quota} and Lambda keeps ${UNRESERVED_CONCURRENCY_MINIMUM} unreserved, so at most ${reservable} can be reserved: remove the reservation, or raise the account's quota and set deployment.lambdaConcurrencyQuota to it`,
    );
  }
}

/**
 * What only a deployment must satisfy, checked at synth (infra/app-config.ts) on a validated
 * configuration; local mode runs any stage against its own receiver, so it does not apply there.
 * A stage outside devStages must name its webhook receiver: the shipped example endpoint would
 * send every webhook to a domain reserved for documentation.
 */
export function validateDeployment(config: MicroMomentsConfig): MicroMomentsConfig {
  const webhook = config.channels.webhook;
  if (!config.devStages.includes(config.stage) && webhook?.kind === 'webhook' && webhook.enabled && isExampleEndpoint(webhook.endpoint)) {
    fail(
      'channels.webhook.endpoint',
      `is the example endpoint, and stage "${config.stage}" is not in devStages: name your receiver's HTTPS URL (or set channels.webhook.enabled to false)`,
      webhook.endpoint,
    );
  }
  return config;
}

export function validateConfig(input: unknown): MicroMomentsConfig {
  const c = obj(input, 'config');
  // First: a misspelt key is why a value seems missing or ignored (shared/config/known-keys.ts).
  const unknown = unknownKeys(c);
  if (unknown.length > 0) throw new ConfigError(unknown[0].path, unknownKeyRule(unknown));
  str(c.stage, 'stage', /^[a-z][a-z0-9-]{0,19}$/, 'must be lower-case letters, digits and dashes, starting with a letter, at most 20 characters');
  arr(c.devStages, 'devStages').forEach((s, i) => str(s, `devStages.${i}`));

  const streams = obj(c.streams, 'streams');
  const mode = oneOf(streams.mode, 'streams.mode', ['ON_DEMAND', 'PROVISIONED'] as const);
  if (mode === 'PROVISIONED') int(streams.shardCount, 'streams.shardCount', 1, 500);
  else if (streams.shardCount !== undefined) fail('streams.shardCount', 'is only allowed with streams.mode PROVISIONED', streams.shardCount);
  for (const name of ['signals', 'enriched']) {
    oneOf(obj(streams[name], `streams.${name}`).consumer, `streams.${name}.consumer`, CONSUMER_MODES);
  }

  const sources = obj(c.eventSources, 'eventSources');
  for (const name of ['enrich', 'score']) {
    const f = `eventSources.${name}`;
    const s = obj(sources[name], f);
    int(s.batchSize, `${f}.batchSize`, 1, 10_000);
    int(s.maxBatchingWindowSeconds, `${f}.maxBatchingWindowSeconds`, 0, 300);
    int(s.parallelizationFactor, `${f}.parallelizationFactor`, 1, 10);
    // Lambda allows -1 (infinite) here; we do not: retries must be bounded.
    int(s.retryAttempts, `${f}.retryAttempts`, 0, 10_000);
    int(s.maxRecordAgeSeconds, `${f}.maxRecordAgeSeconds`, 60, 604_800);
  }

  const functions = obj(c.functions, 'functions');
  for (const name of ['enrich', 'score', 'notify', 'privacy']) {
    const f = `functions.${name}`;
    const fn = obj(functions[name], f);
    int(fn.memoryMb, `${f}.memoryMb`, 128, 10_240);
    int(fn.timeoutSeconds, `${f}.timeoutSeconds`, 1, 900);
    if (fn.reservedConcurrency !== undefined) int(fn.reservedConcurrency, `${f}.reservedConcurrency`, 1, 1000);
  }
  // An erasure waits out the longest stage invocation before its last sweep (shared/privacy/erase.ts).
  const stageTimeouts = ['enrich', 'score', 'notify'].map((n) => (functions[n] as { timeoutSeconds: number }).timeoutSeconds);
  const privacyTimeout = (functions.privacy as { timeoutSeconds: number }).timeoutSeconds;
  const erasureNeeds = Math.max(...stageTimeouts) + 5 + PRIVACY_WORK_SECONDS;
  if (privacyTimeout < erasureNeeds) {
    fail('functions.privacy.timeoutSeconds', `must be at least ${erasureNeeds} (the longest of enrich, score and notify's timeouts, which an erasure waits out, plus ${5 + PRIVACY_WORK_SECONDS} s)`, privacyTimeout);
  }

  const deployment = obj(c.deployment, 'deployment');
  int(deployment.lambdaConcurrencyQuota, 'deployment.lambdaConcurrencyQuota', 1, 1_000_000);
  bool(deployment.tableDeletionProtection, 'deployment.tableDeletionProtection');

  const r = obj(c.retention, 'retention');
  int(r.momentsDays, 'retention.momentsDays', 1, 3650);
  int(r.notificationsDays, 'retention.notificationsDays', 1, 3650);
  int(r.idleStateDays, 'retention.idleStateDays', 1, 3650);
  int(r.profileDays, 'retention.profileDays', 1, 3650);
  const logDays = int(r.logDays, 'retention.logDays', 1, 3653);
  const cloudWatchRetentions = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
  if (!cloudWatchRetentions.includes(logDays)) fail('retention.logDays', `must be one of CloudWatch Logs' retention periods (${cloudWatchRetentions.join(', ')})`, logDays);
  int(r.queueDays, 'retention.queueDays', 1, 14);
  int(r.streamHours, 'retention.streamHours', 24, 8760);
  int(r.archiveDays, 'retention.archiveDays', 0, 3650);

  const window = obj(c.signalTimeWindow, 'signalTimeWindow');
  int(window.maxFutureMinutes, 'signalTimeWindow.maxFutureMinutes', 0, 24 * 60);
  int(window.maxPastDays, 'signalTimeWindow.maxPastDays', 1, 365);
  int(window.consentSkewSeconds, 'signalTimeWindow.consentSkewSeconds', 0, 600);

  validateScoring(c.scoring, 'scoring');
  const allowedLife = (obj(obj(c.scoring, 'scoring').lifeEvents, 'scoring.lifeEvents').allowedTypes as string[]) ?? [];
  validateSensitive(c.sensitive, 'sensitive', allowedLife);

  const locationIds = new Set<string>();
  arr(c.locations, 'locations').forEach((l, i) => {
    const f = `locations.${i}`;
    const loc = obj(l, f);
    const id = str(loc.id, `${f}.id`, /^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lower-case letters, digits and dashes');
    if (locationIds.has(id)) fail(`${f}.id`, 'must be unique', id);
    locationIds.add(id);
    str(loc.name, `${f}.name`);
    num(loc.latitude, `${f}.latitude`, -90, 90);
    num(loc.longitude, `${f}.longitude`, -180, 180);
    timezone(loc.timezone, `${f}.timezone`);
    for (const [day, hours] of Object.entries(obj(loc.openingHours, `${f}.openingHours`))) {
      oneOf(day, `${f}.openingHours.${day}`, ['0', '1', '2', '3', '4', '5', '6'] as const);
      str(hours, `${f}.openingHours.${day}`, HOURS, 'must be HH:mm-HH:mm');
    }
  });

  const g = obj(c.guardrails, 'guardrails');
  const quiet = obj(g.quietHours, 'guardrails.quietHours');
  str(quiet.start, 'guardrails.quietHours.start', HHMM, 'must be HH:mm');
  str(quiet.end, 'guardrails.quietHours.end', HHMM, 'must be HH:mm');
  const caps = obj(g.caps, 'guardrails.caps');
  const perDay = int(caps.perDay, 'guardrails.caps.perDay', 0, 100);
  const perWeek = int(caps.perWeek, 'guardrails.caps.perWeek', 0, 700);
  if (perWeek < perDay) fail('guardrails.caps.perWeek', `must be at least guardrails.caps.perDay (${perDay})`, perWeek);
  const cooldowns = obj(g.cooldownMinutes, 'guardrails.cooldownMinutes');
  for (const intent of MOMENT_INTENTS) int(cooldowns[intent], `guardrails.cooldownMinutes.${intent}`, 0, 365 * 24 * 60);
  int(g.consumerInitiatedWindowMinutes, 'guardrails.consumerInitiatedWindowMinutes', 1, 24 * 60);
  int(g.maxMomentAgeMinutes, 'guardrails.maxMomentAgeMinutes', 1, 7 * 24 * 60);

  const channels = obj(c.channels, 'channels');
  for (const [name, ch] of Object.entries(channels)) {
    const f = `channels.${name}`;
    oneOf(name, f, CHANNELS);
    const settings = obj(ch, f);
    const kind = oneOf(settings.kind, `${f}.kind`, ['webhook', 'sns'] as const);
    bool(settings.enabled, `${f}.enabled`);
    if (kind === 'webhook') {
      const endpoint = str(settings.endpoint, `${f}.endpoint`);
      let url: URL;
      try {
        url = new URL(endpoint);
      } catch {
        fail(`${f}.endpoint`, 'must be an absolute URL', endpoint);
      }
      const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
        fail(`${f}.endpoint`, 'must be https (http is allowed for loopback only, in local mode)', endpoint);
      }
      int(settings.timeoutMs, `${f}.timeoutMs`, 100, 30_000);
      int(settings.maxAttempts, `${f}.maxAttempts`, 1, 10);
    }
  }

  validateReservedConcurrency(functions, channels, deployment.lambdaConcurrencyQuota as number);

  const ruleNames = new Set<string>();
  arr(c.routing, 'routing').forEach((rule, i) => {
    const f = `routing.${i}`;
    const r = obj(rule, f);
    const name = str(r.name, `${f}.name`, /^[A-Za-z0-9_-]{1,48}$/, 'must be 1-48 letters, digits, dashes or underscores');
    if (ruleNames.has(name)) fail(`${f}.name`, 'must be unique', name);
    ruleNames.add(name);
    str(r.description, `${f}.description`);
    const target = oneOf(r.target, `${f}.target`, CHANNELS);
    const ch = channels[target];
    if (!isObj(ch) || ch.enabled !== true) fail(`${f}.target`, `names channel "${target}", which is not configured and enabled under channels`, target);
    const problem = validateEventPattern(r.pattern);
    if (problem) fail(`${f}.pattern`, `is not a valid EventBridge pattern: ${problem}`);
  });

  const templateIds = new Set<string>();
  const templates = arr(c.templates, 'templates');
  templates.forEach((t, i) => {
    const f = `templates.${i}`;
    const tpl = obj(t, f);
    const id = str(tpl.id, `${f}.id`, /^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lower-case letters, digits and dashes');
    if (templateIds.has(id)) fail(`${f}.id`, 'must be unique', id);
    templateIds.add(id);
    oneOf(tpl.intent, `${f}.intent`, MOMENT_INTENTS);
    for (const field of ['title', 'body'] as const) {
      const text = str(tpl[field], `${f}.${field}`);
      for (const m of text.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
        oneOf(m[1], `${f}.${field}`, ['store', 'distance', 'lifeEventType', 'daypart'] as const);
      }
    }
    if (tpl.when !== undefined) {
      const when = obj(tpl.when, `${f}.when`);
      if (when.nearOpenLocation !== undefined) bool(when.nearOpenLocation, `${f}.when.nearOpenLocation`);
      if (when.event !== undefined) vocabulary(str(when.event, `${f}.when.event`), `${f}.when.event`);
    }
  });
  // Every intent a rule can route must have a template that always applies.
  for (const intent of MOMENT_INTENTS) {
    const fallback = templates.some((t) => isObj(t) && t.intent === intent && t.when === undefined);
    if (!fallback) fail('templates', `need a template for intent "${intent}" without a "when" condition (the fallback)`);
  }

  str(c.localPepper, 'localPepper');
  if ((c.localPepper as string).length < 16) fail('localPepper', 'must be at least 16 characters');
  return input as MicroMomentsConfig;
}
