/**
 * What the sensitive classifier costs enrich per signal, for whoever changes the lexicon or the
 * normalisation (a quick figure, not a benchmark section):
 *
 *   npx tsx scripts/classifier-cost.ts
 *
 * Two workloads of typical signals (a product view with id, SKU, brand, category, price and a
 * page URL; a search; a page view; a cart add): a catalogue whose texts repeat, and one where
 * every product, page and query is new. Prints the median ns per signal of sensitiveInputOf +
 * classifySensitive over 9 runs.
 */
import { defaultConfig } from '../shared/config/defaults';
import type { Signal } from '../shared/contracts';
import { sensitiveInputOf } from '../shared/enrich/features';
import { classifySensitive } from '../shared/privacy/sensitive';

function typical(i: number, fresh: boolean): Signal {
  const n = fresh ? `${i}` : `${i % 4}`;
  const context = { locale: 'en-GB', timezone: 'Europe/London', page: { path: `/products/trail-running-shoes-${n}`, url: `https://shop.example.com/products/trail-running-shoes-${n}`, title: `Trail running shoes ${n} | Shop` } };
  const base = { messageId: `m-${i}`, timestamp: '2026-01-01T10:00:00Z', userId: 'u-1', context };
  switch (i % 4) {
    case 0:
      return { ...base, type: 'track', event: 'Product Viewed', properties: { product_id: `sku-${n}`, sku: `RUN-${n}-BLK-42`, name: `Trail running shoes, waterproof ${n}`, brand: 'Acme Outdoor', category: 'Footwear/Running', price: 129, currency: 'GBP' } };
    case 1:
      return { ...base, type: 'track', event: 'Products Searched', properties: { query: `best espresso machine under 300 ${n}` } };
    case 2:
      return { ...base, type: 'page', name: `Leaking tap repair guide ${n}`, category: 'how-to', properties: { path: `/guides/leaking-tap-repair-${n}` } };
    default:
      return { ...base, type: 'track', event: 'Product Added', properties: { product_id: `sku-cof-${n}`, name: `Burr coffee grinder ${n}`, category: 'Kitchen & Dining', price: 89, currency: 'GBP', quantity: 1, brand: 'Baratza' } };
  }
}

function measure(fresh: boolean): number {
  const signals = Array.from({ length: 40_000 }, (_, i) => typical(i, fresh));
  let hits = 0;
  const run = () => {
    for (const s of signals) if (classifySensitive(sensitiveInputOf(s), defaultConfig.sensitive)) hits++;
  };
  run();
  const times: number[] = [];
  for (let k = 0; k < 9; k++) {
    const t = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - t) / signals.length);
  }
  if (hits > 0) throw new Error('a typical signal was classified sensitive');
  return times.sort((a, b) => a - b)[4];
}

process.stdout.write(`ns per signal, texts repeating: ${measure(false).toFixed(0)}\n`);
process.stdout.write(`ns per signal, every product, page and query new: ${measure(true).toFixed(0)}\n`);
