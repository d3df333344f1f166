/**
 * DynamoDB capacity units as on-demand billing counts them, metered on the document client: a
 * request count says how many round trips; units say what they cost. Sizes follow DynamoDB's
 * item size rules (attribute names count, numbers about one byte per two digits, 3 bytes per map
 * or list plus one per element, binary by its bytes), close enough to price a workload, not to the
 * byte.
 *
 * Reads: 0.5 read unit per 4 KB of item when eventually consistent, 1 when the request asks for
 * `ConsistentRead` (a key that is not found still costs one step); a Query is billed on the total
 * size of the items it returned, rounded up to 4 KB once. Writes: one write unit per 1 KB of the
 * larger of the item before and after (a conditional write that fails costs the same). An update
 * or a delete does not say how big the item was: the meter asks `sizeOf` (a read through a client
 * it does not meter) before and after, when it is given one.
 *
 * Units are also kept by item kind (the sort key's kind, shared/privacy/item-kinds.ts), so a figure
 * says what the units were spent on.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { itemKindOf, type ItemKind } from '../shared/privacy/item-kinds';

export function attributeValueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number' || typeof value === 'bigint') {
    const digits = String(value).replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/e.*$/i, '').length;
    return Math.ceil(Math.max(1, digits) / 2) + 1;
  }
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((s: number, v) => s + attributeValueSize(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce((s: number, v) => s + attributeValueSize(v) + 1, 0);
  if (typeof value === 'object') {
    let size = 3;
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      size += Buffer.byteLength(k, 'utf8') + attributeValueSize(v) + 1;
    }
    return size;
  }
  return 0;
}

/** The size of an item: attribute names plus values, without the map wrapper of a nested map. */
export function itemSize(item: Record<string, unknown>): number {
  let size = 0;
  for (const [k, v] of Object.entries(item)) if (v !== undefined) size += Buffer.byteLength(k, 'utf8') + attributeValueSize(v);
  return size;
}

/** Read units of one item of `size` bytes (undefined: not found), eventually or strongly consistent. */
export const readUnits = (size: number | undefined, consistent = false): number =>
  (consistent ? 1 : 0.5) * (size === undefined ? 1 : Math.max(1, Math.ceil(size / 4096)));
export const writeUnits = (size: number): number => Math.max(1, Math.ceil(size / 1024));

export interface CapacityTotals {
  readUnits: number;
  writeUnits: number;
  itemsRead: number;
  itemsWritten: number;
  bytesWritten: number;
}

export interface KindTotals extends CapacityTotals {
  /** Size of every item written, for the distribution. */
  writtenSizes: number[];
}

type Key = Record<string, unknown>;
/** The size of the item under this key now (undefined: none), read without being metered. */
export type SizeOf = (table: string, key: Key) => Promise<number | undefined>;

const SORT_KEY = 'sk';
const kindOfItem = (item: Key | undefined): ItemKind => itemKindOf(String(item?.[SORT_KEY] ?? ''));

export class CapacityMeter {
  totals: CapacityTotals = CapacityMeter.zero();
  byKind = new Map<ItemKind, KindTotals>();

  /** `sizeOf` lets updates and deletes be billed by the item's size; without it they count one unit. */
  constructor(private readonly sizeOf?: SizeOf) {}

  static zero(): CapacityTotals {
    return { readUnits: 0, writeUnits: 0, itemsRead: 0, itemsWritten: 0, bytesWritten: 0 };
  }
  reset(): void {
    this.totals = CapacityMeter.zero();
    this.byKind.clear();
  }
  private kind(k: ItemKind): KindTotals {
    let t = this.byKind.get(k);
    if (!t) {
      t = { ...CapacityMeter.zero(), writtenSizes: [] };
      this.byKind.set(k, t);
    }
    return t;
  }
  /** A write of `size` bytes (the larger of before and after) to an item of this kind; `sign` -1 takes one back. */
  private wrote(kind: ItemKind, size: number, sign = 1): void {
    const wru = writeUnits(size) * sign;
    for (const t of [this.totals, this.kind(kind)]) {
      t.writeUnits += wru;
      t.itemsWritten += sign;
      t.bytesWritten += size * sign;
    }
    if (sign > 0) this.kind(kind).writtenSizes.push(size);
  }
  write(item: Key): void {
    this.wrote(kindOfItem(item), itemSize(item));
  }
  private readUnitsOf(kind: ItemKind, units: number, items: number): void {
    for (const t of [this.totals, this.kind(kind)]) {
      t.readUnits += units;
      t.itemsRead += items;
    }
  }
  /** Items read by key (GetItem, BatchGetItem): each billed on its own. */
  read(keys: readonly Key[], found: readonly Key[], consistent = false): void {
    const foundKeys = new Set(found.map((i) => `${String(i.pk)}|${String(i[SORT_KEY])}`));
    for (const item of found) this.readUnitsOf(kindOfItem(item), readUnits(itemSize(item), consistent), 1);
    for (const key of keys) if (!foundKeys.has(`${String(key.pk)}|${String(key[SORT_KEY])}`)) this.readUnitsOf(kindOfItem(key), readUnits(undefined, consistent), 1);
  }
  /** A Query: billed on the total size of what it returned, rounded up once, shared out by kind. */
  query(items: readonly Key[], consistent = false): void {
    const sizes = items.map(itemSize);
    const total = sizes.reduce((a, b) => a + b, 0);
    const units = readUnits(total === 0 ? undefined : total, consistent);
    if (items.length === 0) {
      this.readUnitsOf('other', units, 0);
      return;
    }
    items.forEach((item, i) => this.readUnitsOf(kindOfItem(item), total === 0 ? units / items.length : (units * sizes[i]) / total, 1));
  }

  /**
   * Meters the commands sent through this client and the document client built on it (they share
   * one middleware stack). At the initialize step the input and output are plain objects.
   */
  attach(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as unknown as Record<string, unknown>;
        const command = String(context.commandName ?? '');
        const before = await this.sizeBefore(command, input);
        let result;
        try {
          result = await next(args);
        } catch (err) {
          // A conditional write whose condition failed was still billed for the item it would have written.
          if ((err as Error).name === 'ConditionalCheckFailedException') await this.observe(command, input, {}, before);
          throw err;
        }
        await this.observe(command, input, result.output as unknown as Record<string, unknown>, before);
        return result;
      },
      { step: 'initialize', name: 'benchCapacityMeter', override: true },
    );
  }

  /** The size of the item a write replaces, when the meter can read it (a put replaces its key's item). */
  private async sizeBefore(command: string, input: Record<string, unknown>): Promise<number | undefined> {
    if (!this.sizeOf || !/^(Update|Delete|Put)(Item)?Command$/.test(command)) return undefined;
    const item = input.Item as Key | undefined;
    const key = (input.Key as Key | undefined) ?? (item ? { pk: item.pk, [SORT_KEY]: item[SORT_KEY] } : undefined);
    return key ? this.sizeOf(String(input.TableName), key) : undefined;
  }

  /** One command and its answer: what it read and wrote. Unprocessed entries are metered when resent. */
  async observe(command: string, input: Record<string, unknown>, output: Record<string, unknown>, sizeBefore?: number): Promise<void> {
    const consistent = input.ConsistentRead === true;
    switch (command) {
      case 'GetCommand':
      case 'GetItemCommand':
        this.read([input.Key as Key], output.Item ? [output.Item as Key] : [], consistent);
        break;
      case 'QueryCommand':
        this.query((output.Items ?? []) as Key[], consistent);
        break;
      case 'PutCommand':
      case 'PutItemCommand':
        this.wrote(kindOfItem(input.Item as Key), Math.max(itemSize(input.Item as Key), sizeBefore ?? 0));
        break;
      case 'UpdateCommand':
      case 'UpdateItemCommand':
      case 'DeleteCommand':
      case 'DeleteItemCommand': {
        const key = input.Key as Key;
        const after = this.sizeOf ? await this.sizeOf(String(input.TableName), key) : undefined;
        this.wrote(kindOfItem(key), Math.max(sizeBefore ?? 0, after ?? 0));
        break;
      }
      case 'BatchGetCommand':
      case 'BatchGetItemCommand': {
        const tables = Object.values((input.RequestItems ?? {}) as Record<string, { Keys?: Key[]; ConsistentRead?: boolean }>);
        const unprocessed = new Set(
          Object.values((output.UnprocessedKeys ?? {}) as Record<string, { Keys?: Key[] }>)
            .flatMap((t) => t.Keys ?? [])
            .map((k) => `${String(k.pk)}|${String(k[SORT_KEY])}`),
        );
        const found = Object.values((output.Responses ?? {}) as Record<string, Key[]>).flat();
        for (const t of tables) {
          const keys = (t.Keys ?? []).filter((k) => !unprocessed.has(`${String(k.pk)}|${String(k[SORT_KEY])}`));
          this.read(keys, found.filter((i) => keys.some((k) => k.pk === i.pk && k[SORT_KEY] === i[SORT_KEY])), t.ConsistentRead === true);
        }
        break;
      }
      case 'BatchWriteCommand':
      case 'BatchWriteItemCommand': {
        type Requests = Record<string, { PutRequest?: { Item?: Key }; DeleteRequest?: { Key?: Key } }[]>;
        const requests = (source: unknown) => Object.values((source ?? {}) as Requests).flat();
        for (const r of requests(input.RequestItems)) {
          if (r.PutRequest?.Item) this.write(r.PutRequest.Item);
          else if (r.DeleteRequest) this.wrote(kindOfItem(r.DeleteRequest.Key), 0);
        }
        // Unprocessed entries were not billed: take them back (they are metered again when resent).
        for (const u of requests(output.UnprocessedItems)) {
          if (u.PutRequest?.Item) this.wrote(kindOfItem(u.PutRequest.Item), itemSize(u.PutRequest.Item), -1);
          else if (u.DeleteRequest) this.wrote(kindOfItem(u.DeleteRequest.Key), 0, -1);
        }
        break;
      }
      default:
        break;
    }
  }
}
