/**
 * Build-time only, like generate.ts: writes the channel names (channel-names.ts) into the JSON
 * Schemas, which are published as they are (EventBridge schema registry, docs/SUBSCRIBERS.md) and
 * so keep a literal enum. A property named `channel` holds one channel (its `enum`), one named
 * `channels` a list of them (its `items.enum`), in any schema. The text is edited in place, so the
 * files keep their layout; the result is then read back and checked, so a channel field the edit
 * missed fails here rather than drifting.
 */
import { CHANNELS } from './channel-names';

/** `"channel": { ... "enum": [...] }` or `"channels": { ... "items": { "enum": [...] } }`, on one line each, as the schemas write them. */
const CHANNEL_ENUM = /("channels?"\s*:\s*\{[^{}\n]*?(?:"items"\s*:\s*\{[^{}\n]*?)?"enum"\s*:\s*)\[[^\]\n]*\]/g;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every `channel` / `channels` property's enum in a schema, with where it is. */
function channelEnums(schema: Json, path = ''): { path: string; values: Json }[] {
  if (schema === null || typeof schema !== 'object') return [];
  if (Array.isArray(schema)) return schema.flatMap((s, i) => channelEnums(s, `${path}/${i}`));
  const found: { path: string; values: Json }[] = [];
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'properties' && v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [name, sub] of Object.entries(v)) {
        const at = `${path}/properties/${name}`;
        const node = sub as { enum?: Json; items?: { enum?: Json } };
        if (name === 'channel') found.push({ path: `${at}/enum`, values: node.enum ?? null });
        if (name === 'channels') found.push({ path: `${at}/items/enum`, values: node.items?.enum ?? null });
      }
    }
    found.push(...channelEnums(v, `${path}/${k}`));
  }
  return found;
}

/** The schema's text with every channel enum set to CHANNELS; throws when one is not in the expected shape. */
export function withChannelEnums(text: string, file: string): string {
  const list = `[${CHANNELS.map((c) => JSON.stringify(c)).join(', ')}]`;
  const out = text.replace(CHANNEL_ENUM, (_m, head: string) => `${head}${list}`);
  for (const e of channelEnums(JSON.parse(out) as Json)) {
    if (JSON.stringify(e.values) !== JSON.stringify(CHANNELS)) {
      throw new Error(`${file}${e.path}: a channel enum the generator cannot rewrite (keep the property and its enum on one line)`);
    }
  }
  return out;
}
