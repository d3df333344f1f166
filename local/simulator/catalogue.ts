/**
 * What the simulated customers search, read, watch and buy. Phrased to hit the default scoring
 * lexicon and content categories (docs/SCORING.md), and, for the valid journeys, to stay clear
 * of every sensitive term: test/unit/simulator checks both with the real classifier.
 */

export interface Product {
  id: string;
  name: string;
  category: string;
  price: number;
}

export const PRODUCTS: readonly Product[] = [
  { id: 'sku-run-001', name: 'Trail running shoes', category: 'Footwear', price: 129 },
  { id: 'sku-run-002', name: 'Road running shoes', category: 'Footwear', price: 119 },
  { id: 'sku-cof-010', name: 'Espresso machine', category: 'Kitchen', price: 349 },
  { id: 'sku-cof-011', name: 'Burr coffee grinder', category: 'Kitchen', price: 89 },
  { id: 'sku-diy-020', name: 'Cordless drill', category: 'Tools', price: 99 },
  { id: 'sku-diy-021', name: 'Tap washer kit', category: 'Plumbing', price: 12 },
  { id: 'sku-hom-030', name: 'Standing desk', category: 'Furniture', price: 399 },
  { id: 'sku-out-040', name: 'Waterproof rain jacket', category: 'Outdoor', price: 159 },
  { id: 'sku-aud-050', name: 'Noise-cancelling headphones', category: 'Audio', price: 249 },
  { id: 'sku-gar-060', name: 'Garden hose reel', category: 'Garden', price: 45 },
];

export const GO_QUERIES: readonly string[] = [
  'coffee near me',
  'coffee shop open now',
  'hardware store near me',
  'running shop nearby',
  'closest store with espresso machines',
  'store hours today',
  'directions to the store',
];

export interface HowTo {
  query: string;
  page: string;
  video: string;
}

export const HOW_TOS: readonly HowTo[] = [
  { query: 'how to fix a leaking tap', page: 'Leaking tap repair guide', video: 'Fixing a leaking tap in five minutes' },
  { query: 'how to paint a room', page: 'Painting a room step by step', video: 'Painting walls like a pro' },
  { query: 'how to install a shelf', page: 'Shelf fitting guide', video: 'Install a floating shelf' },
  { query: 'tile grout tutorial', page: 'Regrouting bathroom tiles', video: 'Grout tutorial for beginners' },
  { query: 'diy garden bench step by step', page: 'Build a garden bench', video: 'Garden bench build' },
];

export interface Research {
  query: string;
  reviewsPage: string;
  comparisonPage: string;
  product: Product;
}

export const RESEARCH: readonly Research[] = [
  { query: 'best running shoes 2026', reviewsPage: 'Running shoe reviews', comparisonPage: 'Trail vs road shoes', product: PRODUCTS[0] },
  { query: 'espresso machine reviews', reviewsPage: 'Espresso machine reviews', comparisonPage: 'Espresso machines compared', product: PRODUCTS[2] },
  { query: 'what is a burr grinder', reviewsPage: 'Coffee grinder reviews', comparisonPage: 'Burr vs blade grinders', product: PRODUCTS[3] },
  { query: 'best noise cancelling headphones', reviewsPage: 'Headphone reviews', comparisonPage: 'Over-ear vs in-ear', product: PRODUCTS[8] },
  { query: 'standing desk vs desk converter', reviewsPage: 'Standing desk reviews', comparisonPage: 'Desk setups compared', product: PRODUCTS[6] },
];

export const BUY_QUERIES: readonly string[] = [
  'running shoes price',
  'buy espresso machine',
  'coffee grinder coupon',
  'standing desk in stock',
  'rain jacket discount',
];

export interface ContentPage {
  name: string;
  category: string;
}

export const BROWSE_PAGES: readonly ContentPage[] = [
  { name: 'Winter deals', category: 'deals' },
  { name: 'Store opening hours', category: 'store-info' },
  { name: 'Garden furniture', category: 'product' },
  { name: 'How we roast our coffee', category: 'news' },
  { name: 'Running shoe buying guide', category: 'guide' },
  { name: 'Weekend DIY projects', category: 'diy' },
  { name: 'Kitchen appliance comparison', category: 'comparison' },
  { name: 'Customer reviews', category: 'reviews' },
  { name: 'Home', category: 'home' },
];

/** A page a customer reads before telling about a life event, by life event type. */
export const LIFE_EVENT_PAGES: Readonly<Record<string, string>> = {
  moved: 'Moving house checklist',
  'new-home': 'First home essentials',
  'new-job': 'Commuter kit for a new job',
  marriage: 'Wedding gift list ideas',
  graduation: 'Graduation gift guide',
  'new-car': 'Car accessories guide',
  retirement: 'Hobbies to start this year',
  'travel-booked': 'Travel packing checklist',
};

export type SensitiveTopic = 'pregnancy' | 'medical' | 'religion' | 'children' | 'financial-hardship' | 'politics';

/** Signals about special categories: enrich must drop every one of them. */
export interface SensitiveSample {
  topic: SensitiveTopic;
  type: 'track' | 'page' | 'screen';
  event?: string;
  name?: string;
  category?: string;
  properties?: Record<string, unknown>;
}

export const SENSITIVE_SAMPLES: readonly SensitiveSample[] = [
  { topic: 'pregnancy', type: 'track', event: 'Products Searched', properties: { query: 'pregnancy test' } },
  { topic: 'pregnancy', type: 'track', event: 'Products Searched', properties: { query: 'cheapest early pregnancy test near me' } },
  {
    topic: 'pregnancy',
    type: 'track',
    event: 'Product Viewed',
    properties: { product_id: 'sku-hlt-900', name: 'Early pregnancy test, 2 pack', category: 'Health/Pregnancy', price: 9.99, currency: 'GBP' },
  },
  {
    topic: 'pregnancy',
    type: 'track',
    event: 'Product Added',
    properties: { product_id: 'sku-hlt-901', name: 'Prenatal vitamins', category: 'Maternity', price: 14.5, currency: 'GBP', quantity: 1 },
  },
  { topic: 'medical', type: 'track', event: 'Products Searched', properties: { query: 'diabetes symptoms' } },
  { topic: 'medical', type: 'track', event: 'Products Searched', properties: { query: 'cancer screening near me' } },
  { topic: 'medical', type: 'track', event: 'Products Searched', properties: { query: 'best antidepressant side effects' } },
  { topic: 'medical', type: 'page', name: 'Managing anxiety at work', category: 'mental-health' },
  { topic: 'religion', type: 'page', name: 'Bible study group', category: 'religion' },
  { topic: 'religion', type: 'screen', name: 'Ramadan meal plan', category: 'faith' },
  { topic: 'religion', type: 'track', event: 'Products Searched', properties: { query: 'mosque near me' } },
  { topic: 'children', type: 'track', event: 'Life Event', properties: { type: 'new-baby' } },
  { topic: 'children', type: 'track', event: 'Products Searched', properties: { query: 'newborn diapers price' } },
  { topic: 'financial-hardship', type: 'track', event: 'Products Searched', properties: { query: 'payday loan open now' } },
  { topic: 'politics', type: 'page', name: 'Election candidate debate', category: 'politics' },
];
