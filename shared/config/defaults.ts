/**
 * The default configuration: what `cdk deploy` and `npm start` use unless a config file says
 * otherwise. Every number here is a knob documented in docs/SCORING.md and docs/PRIVACY.md.
 */
import fittedBuy from './fitted-buy.json';
import { deepMerge } from './merge';
import type { MicroMomentsConfig, ScoringConfig } from './types';
import { defaultSensitive } from './sensitive-lexicon';

export { defaultSensitive } from './sensitive-lexicon';

const weekdayHours = '08:00-20:00';

/**
 * The priors: hand-set weights, log-odds like the fitted ones, for what the public samples cannot
 * teach (checkouts, searches, words, content, removals) and for the know, go and do intents. The
 * buy weights the samples can teach come from `npm run fit` (fitted-buy.json, with its
 * provenance), merged over these in defaultScoring; docs/SCORING.md states and justifies both.
 */
export const priorScoring: ScoringConfig = {
  version: 'scoring-2026.11-1',
  evidenceScale: 1,
  recentMessageIds: 16,
  maxReasons: 8,
  intents: {
    know: { halfLifeMinutes: 120, threshold: 0.6, cooldownMinutes: 240, outcomeEvents: [] },
    go: { halfLifeMinutes: 30, threshold: 0.6, cooldownMinutes: 120, outcomeEvents: [] },
    do: { halfLifeMinutes: 60, threshold: 0.6, cooldownMinutes: 240, outcomeEvents: [] },
    buy: { halfLifeMinutes: 180, threshold: 0.7, cooldownMinutes: 360, outcomeEvents: ['Order Completed'] },
  },
  eventWeights: {
    'Products Searched': { know: 0.2, buy: 0.1 },
    'Product Viewed': { buy: 0.3, know: 0.1 },
    'Product Added': { buy: 0.5 },
    'Cart Viewed': {},
    'Checkout Started': { buy: 0.6 },
    'Order Completed': {},
    'Product Removed': { buy: -0.3 },
    'Product Reviewed': { know: 0.3 },
    'Review Read': { know: 0.4 },
    'Store Locator Viewed': { go: 0.5 },
    'Directions Requested': { go: 0.8 },
    'Location Entered': { go: 0.4 },
    'Video Playback Started': { do: 0.3 },
    'Page Viewed': {},
    'Screen Viewed': {},
  },
  contentWeights: {
    'how-to': { do: 0.4 },
    tutorial: { do: 0.4 },
    diy: { do: 0.3 },
    guide: { know: 0.3 },
    reviews: { know: 0.3 },
    comparison: { know: 0.3 },
    deals: { buy: 0.3 },
    product: { buy: 0.2 },
    'store-info': { go: 0.3 },
  },
  lexicon: [
    { phrase: 'near me', intent: 'go', weight: 0.8 },
    { phrase: 'open now', intent: 'go', weight: 0.7 },
    { phrase: 'nearby', intent: 'go', weight: 0.6 },
    { phrase: 'directions', intent: 'go', weight: 0.6 },
    { phrase: 'closest', intent: 'go', weight: 0.5 },
    { phrase: 'store hours', intent: 'go', weight: 0.5 },
    { phrase: 'how to', intent: 'do', weight: 0.6 },
    { phrase: 'tutorial', intent: 'do', weight: 0.5 },
    { phrase: 'diy', intent: 'do', weight: 0.4 },
    { phrase: 'step by step', intent: 'do', weight: 0.4 },
    { phrase: 'fix', intent: 'do', weight: 0.3 },
    { phrase: 'install', intent: 'do', weight: 0.3 },
    { phrase: 'what is', intent: 'know', weight: 0.4 },
    { phrase: 'best', intent: 'know', weight: 0.5 },
    { phrase: 'vs', intent: 'know', weight: 0.5 },
    { phrase: 'review', intent: 'know', weight: 0.4 },
    { phrase: 'reviews', intent: 'know', weight: 0.4 },
    { phrase: 'compare', intent: 'know', weight: 0.4 },
    { phrase: 'price', intent: 'buy', weight: 0.4 },
    { phrase: 'buy', intent: 'buy', weight: 0.5 },
    { phrase: 'coupon', intent: 'buy', weight: 0.4 },
    { phrase: 'in stock', intent: 'buy', weight: 0.5 },
    { phrase: 'deal', intent: 'buy', weight: 0.3 },
    { phrase: 'discount', intent: 'buy', weight: 0.3 },
  ],
  behaviour: {
    events: {
      view: ['Product Viewed'],
      add: ['Product Added'],
      remove: ['Product Removed'],
      purchase: ['Order Completed'],
      strong: ['Product Added', 'Checkout Started'],
    },
    memory: 6,
    focusWindowMinutes: 1440,
    focusProduct: {},
    focusCategory: {},
    breadth: {},
    cartEmptied: { buy: -0.5 },
    cartItems: { weights: {}, maxItems: 5 },
    recency: { weights: {}, halfLifeMinutes: 30 },
    priorPurchases: { weights: { buy: 0.11 }, maxCount: 5 },
  },
  context: {
    mobile: { go: 0.15 },
    nearOpenLocation: { go: 0.3, radiusMeters: 1000 },
    dayparts: {
      morning: { go: 0.1 },
      midday: { go: 0.1 },
      evening: { do: 0.1 },
    },
  },
  closers: { 'Order Completed': ['buy'] },
  lifeEvents: {
    allowedTypes: ['moved', 'new-home', 'new-job', 'marriage', 'graduation', 'new-car', 'retirement', 'travel-booked'],
    cooldownDays: 30,
  },
};

/** The shipped scoring: the priors with the buy weights learned by `npm run fit` from the public samples. */
export const defaultScoring: ScoringConfig = deepMerge(priorScoring, fittedBuy.scoring);

export const defaultConfig: MicroMomentsConfig = {
  stage: 'dev',
  devStages: ['dev', 'local', 'test'],
  // Shared throughput costs nothing extra; enhanced fan-out cuts each hop's delivery delay (README, Deploy).
  streams: { mode: 'ON_DEMAND', signals: { consumer: 'shared' }, enriched: { consumer: 'shared' } },
  eventSources: {
    enrich: { batchSize: 100, maxBatchingWindowSeconds: 0, parallelizationFactor: 2, retryAttempts: 3, maxRecordAgeSeconds: 3600 },
    score: { batchSize: 100, maxBatchingWindowSeconds: 0, parallelizationFactor: 2, retryAttempts: 3, maxRecordAgeSeconds: 3600 },
  },
  functions: {
    enrich: { memoryMb: 512, timeoutSeconds: 30 },
    score: { memoryMb: 512, timeoutSeconds: 30 },
    // Unreserved: a reservation fails to deploy on accounts whose quota is under 100 + the reservation.
    notify: { memoryMb: 256, timeoutSeconds: 30 },
    privacy: { memoryMb: 256, timeoutSeconds: 120 },
  },
  deployment: { lambdaConcurrencyQuota: 1000, tableDeletionProtection: false },
  retention: {
    momentsDays: 30,
    notificationsDays: 90,
    idleStateDays: 30,
    profileDays: 365,
    logDays: 30,
    queueDays: 14,
    streamHours: 24,
    archiveDays: 30,
  },
  signalTimeWindow: { maxFutureMinutes: 10, maxPastDays: 7, consentSkewSeconds: 30 },
  scoring: defaultScoring,
  sensitive: defaultSensitive,
  locations: [
    { id: 'lon-soho', name: 'Soho store', latitude: 51.5136, longitude: -0.1365, timezone: 'Europe/London', openingHours: { '0': '10:00-16:00', '1': weekdayHours, '2': weekdayHours, '3': weekdayHours, '4': weekdayHours, '5': weekdayHours, '6': weekdayHours } },
    { id: 'par-marais', name: 'Marais store', latitude: 48.8575, longitude: 2.3580, timezone: 'Europe/Paris', openingHours: { '1': weekdayHours, '2': weekdayHours, '3': weekdayHours, '4': weekdayHours, '5': weekdayHours, '6': weekdayHours } },
    { id: 'nyc-flatiron', name: 'Flatiron store', latitude: 40.7411, longitude: -73.9897, timezone: 'America/New_York', openingHours: { '0': '10:00-18:00', '1': weekdayHours, '2': weekdayHours, '3': weekdayHours, '4': weekdayHours, '5': weekdayHours, '6': weekdayHours } },
    { id: 'syd-cbd', name: 'Sydney CBD store', latitude: -33.8688, longitude: 151.2093, timezone: 'Australia/Sydney', openingHours: { '1': weekdayHours, '2': weekdayHours, '3': weekdayHours, '4': weekdayHours, '5': weekdayHours, '6': '09:00-17:00' } },
  ],
  guardrails: {
    quietHours: { start: '21:00', end: '08:00' },
    caps: { perDay: 3, perWeek: 10 },
    cooldownMinutes: { know: 720, go: 240, do: 720, buy: 1440, 'life-event': 10080 },
    consumerInitiatedWindowMinutes: 30,
    maxMomentAgeMinutes: 15,
  },
  routing: [
    {
      name: 'go-nearby-push',
      description: 'Go moments the customer started, on a phone or tablet, to push',
      pattern: {
        source: ['micro-moments'],
        'detail-type': ['Moment Detected'],
        detail: {
          version: [1],
          intent: ['go'],
          score: [{ numeric: ['>=', 0.6] }],
          consent: { channels: ['push'] },
          context: { device: ['mobile', 'tablet'] },
        },
      },
      target: 'push',
    },
    {
      name: 'buy-webhook',
      description: 'Strong buy moments to the brand webhook (cart reminders)',
      pattern: {
        source: ['micro-moments'],
        'detail-type': ['Moment Detected'],
        detail: {
          version: [1],
          intent: ['buy'],
          // A fitted buy score is the probability of a purchase (docs/SCORING.md): 0.3 is about
          // four times the base rate of the sample it was fitted on (0.07); the moment itself opens at 0.241.
          score: [{ numeric: ['>=', 0.3] }],
          consent: { channels: ['webhook'] },
        },
      },
      target: 'webhook',
    },
    {
      name: 'know-do-webhook',
      description: 'Know and do moments to the brand webhook (guides and how-tos)',
      pattern: {
        source: ['micro-moments'],
        'detail-type': ['Moment Detected'],
        detail: {
          version: [1],
          intent: ['know', 'do'],
          score: [{ numeric: ['>=', 0.6] }],
          consent: { channels: ['webhook'] },
          context: { device: [{ 'anything-but': ['tv'] }] },
        },
      },
      target: 'webhook',
    },
    {
      name: 'life-event-sms',
      description: 'Life events to SMS',
      pattern: {
        source: ['micro-moments'],
        'detail-type': ['Moment Detected'],
        detail: { version: [1], intent: ['life-event'], consent: { channels: ['sms'] } },
      },
      target: 'sms',
    },
  ],
  channels: {
    webhook: { kind: 'webhook', enabled: true, endpoint: 'https://hooks.example.com/micro-moments', timeoutMs: 3000, maxAttempts: 3 },
    push: { kind: 'sns', enabled: true },
    sms: { kind: 'sns', enabled: true },
  },
  templates: [
    { id: 'go-near-store', intent: 'go', when: { nearOpenLocation: true }, title: '{{store}} is open', body: '{{store}} is {{distance}} away and open now.' },
    { id: 'go-generic', intent: 'go', title: 'Find us nearby', body: 'Our nearest store and its opening hours are in the app.' },
    { id: 'buy-cart', intent: 'buy', when: { event: 'Checkout Started' }, title: 'Your cart is waiting', body: 'Your cart is saved; finish your order whenever you are ready.' },
    { id: 'buy-generic', intent: 'buy', title: 'Still thinking it over?', body: 'The items you looked at are in stock.' },
    { id: 'know-guide', intent: 'know', title: 'Our buying guide', body: 'Compare the options side by side in our guide.' },
    { id: 'do-how-to', intent: 'do', title: 'Step by step', body: 'Our how-to guide walks you through it.' },
    { id: 'life-event', intent: 'life-event', title: 'Congratulations', body: 'Congratulations on the {{lifeEventType}}: here is what can help.' },
  ],
  localPepper: 'local-mode-pepper-not-a-secret-change-me',
};
