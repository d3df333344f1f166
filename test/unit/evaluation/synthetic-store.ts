/**
 * A synthetic store with known answers, as Segment lines: customers browse in sessions hours
 * apart; in some sessions they add a viewed product to the cart, and the add is what leads to a
 * purchase a few minutes later (with `purchaseAfterAdd`), while browsing alone rarely does
 * (`purchaseWithoutAdd`). Dated in 2025, far outside enrich's 7-day window from today: evaluation
 * must set the clock to the recording's time for any of it to be enriched.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export interface StoreOptions {
  customers: number;
  sessionsPerCustomer: number;
  seed: number;
  /** Share of sessions with a cart add. */
  addRate: number;
  purchaseAfterAdd: number;
  purchaseWithoutAdd: number;
  /** Sessions that open with the purchase (nothing to predict it from). */
  purchaseFirstRate?: number;
}

const START = Date.parse('2025-03-03T09:00:00Z');

export interface Store {
  lines: string[];
  sessions: number;
  /** Sessions with a purchase, and those of them that open with it. */
  positives: number;
  purchaseFirst: number;
}

export function syntheticStore(o: StoreOptions): Store {
  const rng = xoroshiro128plus(o.seed);
  const chance = (p: number) => uniformInt(rng, 0, 9999) < p * 10_000;
  const lines: string[] = [];
  const store = { lines, sessions: 0, positives: 0, purchaseFirst: 0 };
  let id = 0;
  const emit = (user: string, event: string, t: number, product?: string) =>
    lines.push(
      JSON.stringify({
        type: 'track',
        event,
        messageId: `syn-${++id}`,
        userId: user,
        timestamp: new Date(t).toISOString(),
        properties: product ? { product_id: product, category: `cat-${product.slice(-1)}` } : {},
        context: { timezone: 'Europe/London', consent: { categoryPreferences: { personalization: true } } },
      }),
    );
  for (let c = 0; c < o.customers; c++) {
    const user = `customer-${c}`;
    let t = START + uniformInt(rng, 0, 3600) * 1000;
    for (let s = 0; s < o.sessionsPerCustomer; s++) {
      t += (3 + uniformInt(rng, 0, 20)) * 3_600_000;
      store.sessions++;
      if (o.purchaseFirstRate && chance(o.purchaseFirstRate)) {
        emit(user, 'Order Completed', t);
        store.positives++;
        store.purchaseFirst++;
        continue;
      }
      const views = 1 + uniformInt(rng, 0, 4);
      let last = '';
      for (let v = 0; v < views; v++) {
        last = `p-${uniformInt(rng, 0, 40)}`;
        emit(user, 'Product Viewed', t, last);
        t += uniformInt(rng, 20, 240) * 1000;
      }
      const added = chance(o.addRate);
      if (added) {
        emit(user, 'Product Added', t, last);
        t += uniformInt(rng, 30, 300) * 1000;
      }
      if (chance(added ? o.purchaseAfterAdd : o.purchaseWithoutAdd)) {
        emit(user, 'Order Completed', t, last);
        store.positives++;
      }
    }
  }
  return store;
}
