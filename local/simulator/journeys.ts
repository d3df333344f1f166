/**
 * Journeys: the short sequences of signals a customer sends while acting on a need, of the kinds
 * the scenario suite describes (go, do, know, buy, life event, a passive geofence, browsing,
 * identify and sign-in) plus random mixes. A journey is drawn whole when it starts; ids, time
 * and context are filled in when each step is emitted (simulator.ts).
 */
import type { SignalType } from '../../shared/contracts';
import {
  BROWSE_PAGES,
  BUY_QUERIES,
  GO_QUERIES,
  HOW_TOS,
  LIFE_EVENT_PAGES,
  PRODUCTS,
  RESEARCH,
  type Product,
} from './catalogue';
import { isApp, randomNear, type Coordinates, type SimCustomer } from './customers';
import type { Rng } from './prng';

export const JOURNEY_KINDS = [
  'go',
  'do',
  'know',
  'buy',
  'life-event',
  'background-geofence',
  'browse',
  'identify',
  'sign-in',
  'random',
] as const;
export type JourneyKind = (typeof JOURNEY_KINDS)[number];

/** A signal without what is filled in at emission: ids, timestamp, device and consent context. */
export interface Draft {
  type: SignalType;
  event?: string;
  name?: string;
  category?: string;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  /** Where an app customer is (default: around home, drawn at emission). */
  location?: Coordinates;
  /** Sent by the app in the background (a geofence while it sleeps). */
  background?: boolean;
  /** Applied to the customer just before the step is built (sign-in, a consent change). */
  effect?: (customer: SimCustomer) => void;
}

export interface Step {
  /** Wait after the previous step (0 for the first). */
  delayMs: number;
  draft: Draft;
}

export interface Journey {
  kind: JourneyKind;
  steps: Step[];
}

export interface JourneyOptions {
  lifeEventTypes: readonly string[];
}

const currency = (c: SimCustomer) => (c.timezone.startsWith('Europe/London') ? 'GBP' : c.timezone.startsWith('Europe/') ? 'EUR' : c.timezone.startsWith('Australia/') ? 'AUD' : 'USD');

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** A page (web) or screen (app) view with a content category. */
export function view(c: SimCustomer, name: string, category: string, location?: Coordinates): Draft {
  if (isApp(c.device)) return { type: 'screen', name, category, properties: { title: name }, location };
  const path = `/${category}/${slug(name)}`;
  return { type: 'page', name, category, properties: { title: name, path, url: `https://shop.example.com${path}` } };
}

const track = (event: string, properties: Record<string, unknown> = {}, location?: Coordinates): Draft => ({
  type: 'track',
  event,
  properties,
  location,
});

const productProps = (c: SimCustomer, p: Product) => ({
  product_id: p.id,
  sku: p.id,
  name: p.name,
  category: p.category,
  price: p.price,
  currency: currency(c),
});

/** Steps with random waits between them, in [minS, maxS] seconds. */
function paced(rng: Rng, drafts: Draft[], minS: number, maxS: number): Step[] {
  return drafts.map((draft, i) => ({ delayMs: i === 0 ? 0 : rng.int(minS * 1000, maxS * 1000), draft }));
}

function goJourney(rng: Rng, c: SimCustomer): Step[] {
  // On the way, a few hundred metres from the store.
  const here = randomNear(rng, c.store, 50, 600);
  const drafts = [track('Products Searched', { query: rng.pick(GO_QUERIES) }, here)];
  if (rng.chance(0.7)) drafts.push(track('Store Locator Viewed', {}, here));
  if (rng.chance(0.6)) drafts.push(track('Directions Requested', { location_id: c.store.id, location_name: c.store.name }, here));
  return paced(rng, drafts, 2, 15);
}

function doJourney(rng: Rng, c: SimCustomer): Step[] {
  const h = rng.pick(HOW_TOS);
  return paced(
    rng,
    [
      track('Products Searched', { query: h.query }),
      view(c, h.page, 'how-to'),
      track('Video Playback Started', { title: h.video, content_type: 'video', contentCategories: ['how-to'], position: 0, total_length: rng.int(120, 900) }),
    ],
    5,
    30,
  );
}

function knowJourney(rng: Rng, c: SimCustomer): Step[] {
  const r = rng.pick(RESEARCH);
  const drafts = [track('Products Searched', { query: r.query }), view(c, r.reviewsPage, 'reviews')];
  const reviews = rng.int(1, 2);
  for (let i = 0; i < reviews; i++) {
    drafts.push(track('Review Read', { product_id: r.product.id, name: r.product.name, rating: rng.int(3, 5), review_id: `rev-${rng.hex(6)}` }));
  }
  if (rng.chance(0.3)) drafts.push(view(c, r.comparisonPage, 'comparison'));
  return paced(rng, drafts, 5, 30);
}

function buyJourney(rng: Rng, c: SimCustomer): Step[] {
  const drafts: Draft[] = [];
  if (rng.chance(0.4)) drafts.push(track('Products Searched', { query: rng.pick(BUY_QUERIES) }));
  const viewed = rng.int(1, 3);
  let product = rng.pick(PRODUCTS);
  for (let i = 0; i < viewed; i++) {
    product = rng.pick(PRODUCTS);
    drafts.push(track('Product Viewed', productProps(c, product)));
  }
  const quantity = rng.int(1, 2);
  const line = { ...productProps(c, product), quantity };
  const value = product.price * quantity;
  const cartId = `cart-${rng.hex(10)}`;
  drafts.push(track('Product Added', { ...line, cart_id: cartId }));
  drafts.push(track('Cart Viewed', { cart_id: cartId, products: [line], value, currency: currency(c) }));
  const orderId = `ord-${rng.hex(10)}`;
  drafts.push(track('Checkout Started', { order_id: orderId, value, revenue: value, currency: currency(c), products: [line] }));
  if (rng.chance(0.55)) drafts.push(track('Order Completed', { order_id: orderId, total: value, revenue: value, currency: currency(c), products: [line] }));
  return paced(rng, drafts, 3, 25);
}

function lifeEventJourney(rng: Rng, c: SimCustomer, opts: JourneyOptions): Step[] {
  const type = rng.pick(opts.lifeEventTypes.length > 0 ? opts.lifeEventTypes : ['moved']);
  const drafts: Draft[] = [];
  if (rng.chance(0.6)) drafts.push(view(c, LIFE_EVENT_PAGES[type] ?? 'Checklist for what comes next', 'guide'));
  drafts.push(track('Life Event', { type }));
  return paced(rng, drafts, 10, 40);
}

function geofenceJourney(rng: Rng, c: SimCustomer): Step[] {
  const here = randomNear(rng, c.store, 20, 150);
  return [
    {
      delayMs: 0,
      draft: { ...track('Location Entered', { location_id: c.store.id, location_name: c.store.name, radius: 150 }, here), background: true },
    },
  ];
}

function browseJourney(rng: Rng, c: SimCustomer): Step[] {
  const pages = rng.int(2, 4);
  const drafts: Draft[] = [];
  for (let i = 0; i < pages; i++) {
    const p = rng.pick(BROWSE_PAGES);
    drafts.push(view(c, p.name, p.category));
  }
  return paced(rng, drafts, 3, 20);
}

function identifyTraits(rng: Rng, c: SimCustomer): Record<string, unknown> {
  const traits: Record<string, unknown> = {
    timezone: c.timezone,
    location: { latitude: c.home.latitude, longitude: c.home.longitude },
  };
  // Direct identifiers, as real identify calls carry them: enrich must keep them out.
  if (rng.chance(0.5)) Object.assign(traits, { email: c.email, firstName: c.firstName });
  return traits;
}

function identifyJourney(rng: Rng, c: SimCustomer): Step[] {
  const traits = identifyTraits(rng, c);
  const draft: Draft = { type: 'identify', traits };
  if (rng.chance(0.15)) {
    // A consent change from the settings screen: one channel toggled.
    const channel = rng.pick(['push', 'sms', 'webhook', 'email', 'locationOffers']);
    draft.effect = (customer) => {
      customer.consent = { ...customer.consent, [channel]: !customer.consent[channel] };
    };
  }
  return [{ delayMs: 0, draft }];
}

function signInJourney(rng: Rng, c: SimCustomer): Step[] {
  return [
    {
      delayMs: 0,
      draft: {
        type: 'identify',
        traits: identifyTraits(rng, c),
        effect: (customer) => {
          customer.identified = true;
        },
      },
    },
  ];
}

/** One step of any kind, for the random mixes. */
function anyStep(rng: Rng, c: SimCustomer, opts: JourneyOptions): Draft {
  const kind = rng.pick(['search', 'view', 'product', 'locator', 'video', 'review', 'page'] as const);
  switch (kind) {
    case 'search':
      return track('Products Searched', { query: rng.pick([...GO_QUERIES, ...BUY_QUERIES, ...HOW_TOS.map((h) => h.query), ...RESEARCH.map((r) => r.query)]) });
    case 'view': {
      const p = rng.pick(BROWSE_PAGES);
      return view(c, p.name, p.category);
    }
    case 'product':
      return track('Product Viewed', productProps(c, rng.pick(PRODUCTS)));
    case 'locator':
      return track('Store Locator Viewed', {});
    case 'video': {
      const h = rng.pick(HOW_TOS);
      return track('Video Playback Started', { title: h.video, content_type: 'video', position: 0 });
    }
    case 'review': {
      const r = rng.pick(RESEARCH);
      return track('Review Read', { product_id: r.product.id, name: r.product.name, rating: rng.int(1, 5) });
    }
    case 'page': {
      const type = rng.pick(opts.lifeEventTypes.length > 0 ? opts.lifeEventTypes : ['moved']);
      return view(c, LIFE_EVENT_PAGES[type] ?? 'Checklist for what comes next', 'guide');
    }
  }
}

function randomJourney(rng: Rng, c: SimCustomer, opts: JourneyOptions): Step[] {
  const n = rng.int(2, 5);
  const drafts: Draft[] = [];
  for (let i = 0; i < n; i++) drafts.push(anyStep(rng, c, opts));
  return paced(rng, drafts, 2, 30);
}

/** Which journey a customer starts: sign-in when it is due, else by weight for the device. */
export function chooseJourney(rng: Rng, c: SimCustomer): JourneyKind {
  if (!c.identified && c.journeysDone >= c.identifyAfterJourneys) return 'sign-in';
  const app = isApp(c.device);
  return rng.weighted<JourneyKind>([
    ['go', app ? 16 : 0],
    ['do', 12],
    ['know', 12],
    ['buy', 18],
    ['life-event', 4],
    ['background-geofence', app ? 8 : 0],
    ['browse', 12],
    ['identify', 6],
    ['random', 12],
  ]);
}

export function buildJourney(kind: JourneyKind, rng: Rng, c: SimCustomer, opts: JourneyOptions): Journey {
  const steps = (() => {
    switch (kind) {
      case 'go':
        return goJourney(rng, c);
      case 'do':
        return doJourney(rng, c);
      case 'know':
        return knowJourney(rng, c);
      case 'buy':
        return buyJourney(rng, c);
      case 'life-event':
        return lifeEventJourney(rng, c, opts);
      case 'background-geofence':
        return geofenceJourney(rng, c);
      case 'browse':
        return browseJourney(rng, c);
      case 'identify':
        return identifyJourney(rng, c);
      case 'sign-in':
        return signInJourney(rng, c);
      case 'random':
        return randomJourney(rng, c, opts);
    }
  })();
  return { kind, steps };
}
