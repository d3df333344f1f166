/**
 * Public clickstream formats → Segment Spec messages (one JSON line each), so that evaluation and
 * fitting run the real pipeline on them: view → `Product Viewed`, cart → `Product Added`, fav →
 * `Product Added to Wishlist`, remove_from_cart → `Product Removed`, buy / purchase →
 * `Order Completed`; product id, category, brand and price kept where present; every message
 * carries the consent that scoring needs (personalization), and nothing else.
 *
 * - `taobao`: Alibaba's Taobao UserBehavior (no header; user_id, item_id, category_id, behavior,
 *   unix seconds; Beijing time). Rows outside the dataset's 2017-11-25..2017-12-03 (Beijing) are
 *   dropped, and so is a user cut off by the end of the file (the file is sorted by user, so the
 *   last user of a truncated file has only part of their history).
 * - `rees46`: REES46 "eCommerce behavior data from multi category store" (header
 *   `event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session`;
 *   UTC). The dataset's session id goes to `properties.session_id`.
 */

export const HISTORY_FORMATS = ['segment', 'taobao', 'rees46'] as const;
export type HistoryFormat = (typeof HISTORY_FORMATS)[number];

export interface Conversion {
  /** Segment messages, one JSON document per line, in file order. */
  lines: string[];
  rowsRead: number;
  /** Rows not converted, by reason. */
  skipped: Record<string, number>;
}

/** Splits one CSV line (RFC 4180 quoting: `"a,b"` and `""` inside quotes). */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

const CONSENT = { categoryPreferences: { personalization: true } };

interface Message {
  prefix: string;
  row: number;
  userId: string;
  timeMs: number;
  event: string;
  timezone: string;
  properties: Record<string, string | number>;
}

/** A fixed key order, so the same row always gives the same bytes. */
function toSegment(m: Message): string {
  return JSON.stringify({
    type: 'track',
    event: m.event,
    messageId: `${m.prefix}-${m.row}`,
    userId: `${m.prefix}-${m.userId}`,
    timestamp: new Date(m.timeMs).toISOString(),
    properties: m.properties,
    context: { timezone: m.timezone, consent: CONSENT },
  });
}

const skip = (c: Conversion, reason: string) => {
  c.skipped[reason] = (c.skipped[reason] ?? 0) + 1;
};

const TAOBAO_EVENTS: Record<string, string> = {
  pv: 'Product Viewed',
  cart: 'Product Added',
  fav: 'Product Added to Wishlist',
  buy: 'Order Completed',
};
/** 2017-11-25T00:00 and 2017-12-04T00:00, Beijing time (UTC+8). */
const TAOBAO_FROM_MS = Date.parse('2017-11-25T00:00:00+08:00');
const TAOBAO_TO_MS = Date.parse('2017-12-04T00:00:00+08:00');

export function convertTaobao(text: string): Conversion {
  const rows = text.split('\n').map((l) => l.replace(/\r$/, ''));
  while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
  const c: Conversion = { lines: [], rowsRead: rows.length, skipped: {} };
  const parsed = rows.map((line) => splitCsvLine(line));
  // A truncated file ends in a cut line: its user's history is incomplete, so all of it goes.
  const last = parsed[parsed.length - 1];
  const cut = last && (last.length < 5 || !/^\d+$/.test(last[4] ?? '') || !(last[3] in TAOBAO_EVENTS)) ? last[0] : undefined;
  parsed.forEach((f, i) => {
    if (cut !== undefined && f[0] === cut) return skip(c, 'incomplete user (the file is cut in their history)');
    const [user, item, category, behaviour, seconds] = f;
    const event = TAOBAO_EVENTS[behaviour];
    if (f.length < 5 || !user || !item || !event || !/^\d+$/.test(seconds)) return skip(c, 'malformed row');
    const timeMs = Number(seconds) * 1000;
    if (timeMs < TAOBAO_FROM_MS || timeMs >= TAOBAO_TO_MS) return skip(c, 'outside the dataset dates');
    c.lines.push(
      toSegment({
        prefix: 'tb',
        row: i + 1,
        userId: user,
        timeMs,
        event,
        timezone: 'Asia/Shanghai',
        properties: { product_id: item, category },
      }),
    );
  });
  return c;
}

const REES46_EVENTS: Record<string, string> = {
  view: 'Product Viewed',
  cart: 'Product Added',
  remove_from_cart: 'Product Removed',
  purchase: 'Order Completed',
};
const REES46_HEADER = 'event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session';

export function convertRees46(text: string): Conversion {
  const rows = text.split('\n').map((l) => l.replace(/\r$/, ''));
  while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
  if (rows[0] !== REES46_HEADER) throw new Error(`rees46: the first line must be the header ${REES46_HEADER}`);
  const c: Conversion = { lines: [], rowsRead: rows.length - 1, skipped: {} };
  for (let i = 1; i < rows.length; i++) {
    const f = splitCsvLine(rows[i]);
    const [time, type, product, categoryId, categoryCode, brand, price, user, session] = f;
    const event = REES46_EVENTS[type];
    // `2019-10-01 00:00:00 UTC`
    const timeMs = Date.parse(`${(time ?? '').replace(' UTC', 'Z').replace(' ', 'T')}`);
    if (f.length < 9 || !event || !product || !user || Number.isNaN(timeMs)) {
      skip(c, 'malformed row');
      continue;
    }
    const properties: Record<string, string | number> = { product_id: product, category: categoryCode || categoryId };
    if (brand) properties.brand = brand;
    const p = Number(price);
    if (price !== '' && Number.isFinite(p)) properties.price = p;
    if (session) properties.session_id = session;
    c.lines.push(toSegment({ prefix: 'r46', row: i, userId: user, timeMs, event, timezone: 'UTC', properties }));
  }
  return c;
}

export function convertHistory(text: string, format: HistoryFormat): Conversion {
  if (format === 'taobao') return convertTaobao(text);
  if (format === 'rees46') return convertRees46(text);
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return { lines, rowsRead: lines.length, skipped: {} };
}
