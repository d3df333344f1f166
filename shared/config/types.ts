/**
 * The configuration that CDK, the handlers and local mode all read: one source of truth. It is
 * data (JSON-serialisable), validated by validateConfig at synth time and at handler start.
 */
import type { Channel, Daypart, Intent } from '../contracts/enriched';

export type StreamMode = 'ON_DEMAND' | 'PROVISIONED';

/**
 * How a function reads its stream. `shared`: the event source mapping polls the shard with
 * GetRecords and shares its read throughput with every other reader (no extra charge).
 * `enhanced-fan-out`: a registered stream consumer that Kinesis pushes records to as they arrive
 * (SubscribeToShard), with throughput of its own, billed per consumer-shard-hour and per GB read.
 */
export const CONSUMER_MODES = ['shared', 'enhanced-fan-out'] as const;
export type ConsumerMode = (typeof CONSUMER_MODES)[number];

export interface StreamConsumerSettings {
  /** How the stream's consumer (enrich for signals, score for enriched) reads it. */
  consumer: ConsumerMode;
}

export interface StreamSettings {
  mode: StreamMode;
  shardCount?: number;
  signals: StreamConsumerSettings;
  enriched: StreamConsumerSettings;
}

/** What the target account imposes on a deployment; checked at synth, since nothing is looked up. */
export interface DeploymentSettings {
  /**
   * The account's Lambda concurrent-executions quota in the region deployed to (Service Quotas →
   * AWS Lambda → Concurrent executions). Lambda keeps 100 of it unreserved, so the stack's
   * reserved concurrency must fit in what is left.
   */
  lambdaConcurrencyQuota: number;
  /**
   * DynamoDB deletion protection on the table, outside devStages. Off by default: a protected
   * table cannot be deleted by the rollback of a failed first deploy, which then blocks the
   * retry; turn it on once the stage exists.
   */
  tableDeletionProtection: boolean;
}

export interface EventSourceSettings {
  batchSize: number;
  maxBatchingWindowSeconds: number;
  parallelizationFactor: number;
  retryAttempts: number;
  maxRecordAgeSeconds: number;
}

export interface IntentSettings {
  halfLifeMinutes: number;
  /** A moment opens when the score crosses this, in (0, 1). */
  threshold: number;
  /** No second moment of this intent within this many minutes of the last. */
  cooldownMinutes: number;
  /**
   * Events that show the intent was acted on (`Order Completed` for buy): what `npm run evaluate`
   * and `npm run fit` take as the outcome a moment should have come before. Not used by the stream.
   */
  outcomeEvents?: string[];
}

export type IntentWeights = Partial<Record<Intent, number>>;

export interface LexiconEntry {
  /** Lower-case phrase matched on word boundaries in queries and content titles. */
  phrase: string;
  intent: Intent;
  weight: number;
}

/**
 * Features of a customer's behaviour across signals, kept in the scorer's state (bounded): each
 * has weights per intent like an event, and appears in a moment's reasons with kind `behaviour`.
 */
export interface BehaviourSettings {
  /** Which event names are product views, cart adds and removals, purchases and strong signals. */
  events: { view: string[]; add: string[]; remove: string[]; purchase: string[]; strong: string[] };
  /** Products viewed that the state remembers (with their category) to tell focus from breadth; 0 = off. */
  memory: number;
  /** A product or category counts as seen before when viewed within this many minutes. */
  focusWindowMinutes: number;
  /** `focus:product`: a view of a product viewed before (decays like an event). */
  focusProduct: IntentWeights;
  /** `focus:category`: a view of another product of a category viewed before. */
  focusCategory: IntentWeights;
  /** `breadth`: a view of a product in a category not viewed before. */
  breadth: IntentWeights;
  /** `cart-empty`: a removal that leaves the cart empty (negative evidence; decays like an event). */
  cartEmptied: IntentWeights;
  /** `cart-items`: per item in the cart now (adds minus removes since the last purchase), at most `maxItems`. */
  cartItems: { weights: IntentWeights; maxItems: number };
  /** `recent-strong-signal`: 1 at the last strong signal, halving every `halfLifeMinutes`. Weights are never negative. */
  recency: { weights: IntentWeights; halfLifeMinutes: number };
  /** `prior-purchases`: per purchase seen before, at most `maxCount`. */
  priorPurchases: { weights: IntentWeights; maxCount: number };
}

/** Where a fitted configuration came from (`npm run fit`): enough to reproduce and judge it. */
export interface ScoringProvenance {
  /** The command and version of the fitter, e.g. `npm run fit (fit-1)`. */
  fittedBy: string;
  input: { name: string; sha256: string; signals: number; customers: number; sessions: number };
  split: { by: 'customer'; seed: number; trainFraction: number; trainCustomers: number; testCustomers: number };
  seed: number;
  /** How the threshold was chosen. */
  threshold: { rule: 'target-precision' | 'alert-budget' | 'max-f1'; value?: number };
  /** Features left to their prior (`npm run fit -- --not-fitted`): the history could not teach them. */
  notFitted?: string[];
  /** Figures of `npm run evaluate` on the held-out customers. */
  heldOut: ProvenanceFigures;
  /** Figures on other recorded histories the fit did not see. */
  generalisation?: (ProvenanceFigures & { input: string; sha256: string })[];
}

export interface ProvenanceFigures {
  sessions: number;
  positives: number;
  rocAuc: number;
  prAuc: number;
  precision: number;
  recall: number;
  f1: number;
  alertsPer1000Sessions: number;
  baselines: { logisticRocAuc: number; cartAddF1: number };
}

export interface ScoringConfig {
  /** Recorded on every moment, so a moment can be traced to the model that made it. */
  version: string;
  /** Set by `npm run fit`, per fitted intent: how its numbers were learned. */
  provenance?: Partial<Record<Intent, ScoringProvenance>>;
  intents: Record<Intent, IntentSettings>;
  /** Evidence per event name (track events, `Page Viewed`, `Screen Viewed`). */
  eventWeights: Record<string, IntentWeights>;
  /** Evidence per content category of pages, screens and videos. */
  contentWeights: Record<string, IntentWeights>;
  lexicon: LexiconEntry[];
  behaviour: BehaviourSettings;
  context: {
    mobile: IntentWeights;
    /** Added when the customer is within `radiusMeters` of a configured location that is open. */
    nearOpenLocation: IntentWeights & { radiusMeters: number };
    dayparts: Partial<Record<Daypart, IntentWeights>>;
  };
  /** Events that close intents: advertising what was just bought is noise. */
  closers: Record<string, Intent[]>;
  lifeEvents: { allowedTypes: string[]; cooldownDays: number };
  /** score = 1 - exp(-evidence / evidenceScale): in [0, 1), monotone in evidence. */
  evidenceScale: number;
  /** How many recent message ids the state keeps to absorb redeliveries. */
  recentMessageIds: number;
  /** How many reasons a moment carries at most (the strongest). */
  maxReasons: number;
}

export interface SensitiveCategory {
  /**
   * Lower-case words or phrases, in any language, looked for in every text of a signal: `word`
   * (plural and, from 8 letters, one edit away too), `stem*`, `*part*` of a compound, or several
   * words (shared/config/sensitive-lexicon.ts has the syntax).
   */
  terms: string[];
  /** Exact (case-insensitive) content categories that belong to this sensitive category. */
  contentCategories: string[];
  /** Life event types that are refused. */
  lifeEventTypes: string[];
  /** Benign look-alikes, same syntax: a term found inside one of these does not count (`kosher salt`). */
  exceptions?: string[];
}

export interface QuietHours {
  /** Local time `HH:mm`, start inclusive. */
  start: string;
  /** Local time `HH:mm`, end exclusive; may be before start (spans midnight). */
  end: string;
}

export interface GuardrailSettings {
  quietHours: QuietHours;
  caps: { perDay: number; perWeek: number };
  /** Minutes per moment intent between two notifications of that intent. */
  cooldownMinutes: Record<Intent | 'life-event', number>;
  consumerInitiatedWindowMinutes: number;
  maxMomentAgeMinutes: number;
}

export interface RoutingRule {
  /** Rule name, [A-Za-z0-9-_]. */
  name: string;
  description: string;
  /** An EventBridge event pattern; validated with EventBridge's own rules at synth. */
  pattern: Record<string, unknown>;
  /** The channel whose notify function is the target. */
  target: Channel;
}

export interface WebhookChannelSettings {
  kind: 'webhook';
  enabled: boolean;
  /** HTTPS endpoint (http only for loopback in local mode). */
  endpoint: string;
  timeoutMs: number;
  maxAttempts: number;
}
export interface SnsChannelSettings {
  kind: 'sns';
  enabled: boolean;
}
export type ChannelSettings = WebhookChannelSettings | SnsChannelSettings;

export interface Template {
  id: string;
  intent: Intent | 'life-event';
  /** Optional condition on the moment's context; the first matching template wins. */
  when?: { nearOpenLocation?: boolean; event?: string };
  title: string;
  /** `{{store}}`, `{{distance}}`, `{{lifeEventType}}`, `{{daypart}}` are filled in. */
  body: string;
}

export interface Location {
  id: string;
  name: string;
  latitude: number;
  longitude: number;
  timezone: string;
  /** Opening hours per weekday (0 = Sunday), `HH:mm-HH:mm`; missing day = closed. */
  openingHours: Partial<Record<'0' | '1' | '2' | '3' | '4' | '5' | '6', string>>;
}

export interface RetentionSettings {
  momentsDays: number;
  notificationsDays: number;
  idleStateDays: number;
  profileDays: number;
  logDays: number;
  queueDays: number;
  streamHours: number;
  archiveDays: number;
}

export interface FunctionSettings {
  memoryMb: number;
  timeoutSeconds: number;
  /**
   * Reserved concurrency; omitted = unreserved (the default: accounts with a low concurrency
   * quota cannot reserve any). Bounds what a function can do to downstream.
   */
  reservedConcurrency?: number;
}

export interface MicroMomentsConfig {
  stage: string;
  /** Stages where data may be lost on `cdk destroy` (no deletion protection, DESTROY policies). */
  devStages: string[];
  streams: StreamSettings;
  eventSources: { enrich: EventSourceSettings; score: EventSourceSettings };
  functions: Record<'enrich' | 'score' | 'notify' | 'privacy', FunctionSettings>;
  deployment: DeploymentSettings;
  retention: RetentionSettings;
  /**
   * Signals timestamped further than this from now are quarantined. A consent choice stamped more
   * than `consentSkewSeconds` after it reached the stream is taken at its arrival time instead (a
   * fast device clock must not let a grant outlive the revocation that follows it).
   */
  signalTimeWindow: { maxFutureMinutes: number; maxPastDays: number; consentSkewSeconds: number };
  scoring: ScoringConfig;
  sensitive: Record<string, SensitiveCategory>;
  locations: Location[];
  guardrails: GuardrailSettings;
  routing: RoutingRule[];
  channels: Partial<Record<Channel, ChannelSettings>>;
  templates: Template[];
  /** Local mode only: the pepper used when no secret is reachable; never used in AWS. */
  localPepper: string;
}
