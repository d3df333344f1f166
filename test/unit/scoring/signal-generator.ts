/**
 * Deterministic Segment-spec signals for replay tests and throughput runs: many customers, a mix
 * of search, browse, cart, video, geofence, life events, some sensitive and some without consent,
 * a few malformed lines and redeliveries. Same seed, same lines.
 */

function prng(seed: number): () => number {
  // mulberry32: small, fast, good enough for test data.
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const QUERIES = ['coffee near me', 'how to fix a leaking tap', 'best running shoes 2026', 'iphone vs pixel', 'store hours', 'pregnancy test', 'cheap flights', 'winter coat price'];
const EVENTS = ['Products Searched', 'Product Viewed', 'Product Added', 'Cart Viewed', 'Checkout Started', 'Order Completed', 'Review Read', 'Store Locator Viewed', 'Directions Requested', 'Location Entered', 'Video Playback Started', 'Life Event'];
const LIFE = ['moved', 'new-job', 'marriage', 'pregnancy'];
const DEVICES = ['ios', 'android', 'desktop', 'ipad'];

export function generateSignals(count: number, opts: { seed?: number; customers?: number; start?: string } = {}): string[] {
  const rnd = prng(opts.seed ?? 42);
  const customers = opts.customers ?? Math.max(10, Math.floor(count / 20));
  const startMs = Date.parse(opts.start ?? '2026-11-23T06:00:00.000Z');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = rnd();
    if (r < 0.002) {
      lines.push('{"type":"track", not json');
      continue;
    }
    if (r < 0.01 && lines.length > 0) {
      lines.push(lines[Math.floor(rnd() * lines.length)]); // a redelivery
      continue;
    }
    const c = Math.floor(rnd() * customers);
    const event = pick(EVENTS);
    const timestamp = new Date(startMs + Math.floor((i / count) * 3 * 86_400_000) + Math.floor(rnd() * 60_000)).toISOString();
    const consented = c % 10 !== 0;
    const properties: Record<string, unknown> = {};
    if (event === 'Products Searched') properties.query = pick(QUERIES);
    if (event === 'Product Viewed' || event === 'Product Added') Object.assign(properties, { product_id: `p-${c % 50}`, price: 20 + (c % 7), currency: 'GBP' });
    if (event === 'Video Playback Started') Object.assign(properties, { title: 'How to tile a wall', content_category: 'how-to' });
    if (event === 'Life Event') properties.type = pick(LIFE);
    lines.push(
      JSON.stringify({
        type: 'track',
        event,
        messageId: `gen-${i}`,
        timestamp,
        ...(c % 4 === 0 ? { anonymousId: `anon-${c}` } : { userId: `user-${c}` }),
        properties,
        context: {
          timezone: c % 3 === 0 ? 'America/New_York' : 'Europe/London',
          device: { type: pick(DEVICES) },
          location: { latitude: 51.5136 + (rnd() - 0.5) * 0.02, longitude: -0.1365 + (rnd() - 0.5) * 0.02 },
          ...(event === 'Location Entered' ? { background: true } : {}),
          ...(consented ? { consent: { categoryPreferences: { personalization: true, push: true, webhook: true, sms: c % 2 === 0 } } } : {}),
        },
      }),
    );
  }
  return lines;
}
