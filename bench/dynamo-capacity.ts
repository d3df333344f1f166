/**
 * DynamoDB capacity units as on-demand billing counts them, metered on the document client: a
 * request count says how many round trips; units say what they cost. Sizes follow DynamoDB's
 * item size rules (attribute names count, numbers about one byte per two digits, 3 bytes per map
 * or list plus one per element), close enough to price a workload, not to the byte.
 *
 * Reads cost 0.5 read unit per 4 KB of item when eventually consistent and 1 when the request
 * asks for a consistent read (`ConsistentRead`: enrich's read of profiles and tombstones, which
 * must see an erasure or a revocation written a moment ago); a key that is not found still costs
 * 0.5 or 1. Writes cost one write unit per 1 KB of the item written; a conditional put that
 * fails costs the same.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

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

export class CapacityMeter {
  totals: CapacityTotals = CapacityMeter.zero();
  static zero(): CapacityTotals {
    return { readUnits: 0, writeUnits: 0, itemsRead: 0, itemsWritten: 0, bytesWritten: 0 };
  }
  reset(): void {
    this.totals = CapacityMeter.zero();
  }
  write(item: Record<string, unknown>): void {
    const size = itemSize(item);
    this.totals.writeUnits += writeUnits(size);
    this.totals.itemsWritten++;
    this.totals.bytesWritten += size;
  }
  read(keys: number, found: readonly Record<string, unknown>[], consistent = false): void {
    for (const item of found) this.totals.readUnits += readUnits(itemSize(item), consistent);
    this.totals.readUnits += readUnits(undefined, consistent) * Math.max(0, keys - found.length);
    this.totals.itemsRead += keys;
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
        let result;
        try {
          result = await next(args);
        } catch (err) {
          // A put whose condition failed was still billed for the item it would have written.
          if ((err as Error).name === 'ConditionalCheckFailedException') this.observe(command, input, {});
          throw err;
        }
        this.observe(command, input, result.output as unknown as Record<string, unknown>);
        return result;
      },
      { step: 'initialize', name: 'benchCapacityMeter', override: true },
    );
  }

  /** One command and its answer: what it read and wrote. Unprocessed entries are metered when resent. */
  observe(command: string, input: Record<string, unknown>, output: Record<string, unknown>): void {
    switch (command) {
      case 'GetCommand':
      case 'GetItemCommand':
        this.read(1, output.Item ? [output.Item as Record<string, unknown>] : [], input.ConsistentRead === true);
        break;
      case 'PutCommand':
      case 'PutItemCommand':
        this.write(input.Item as Record<string, unknown>);
        break;
      case 'BatchGetCommand':
      case 'BatchGetItemCommand': {
        // Per table: each carries its own ConsistentRead.
        const requests = (input.RequestItems ?? {}) as Record<string, { Keys?: unknown[]; ConsistentRead?: boolean }>;
        const unprocessed = (output.UnprocessedKeys ?? {}) as Record<string, { Keys?: unknown[] }>;
        const responses = (output.Responses ?? {}) as Record<string, Record<string, unknown>[]>;
        for (const [table, r] of Object.entries(requests)) {
          const keys = (r.Keys?.length ?? 0) - (unprocessed[table]?.Keys?.length ?? 0);
          this.read(keys, responses[table] ?? [], r.ConsistentRead === true);
        }
        break;
      }
      case 'BatchWriteCommand':
      case 'BatchWriteItemCommand': {
        type Requests = Record<string, { PutRequest?: { Item?: Record<string, unknown> }; DeleteRequest?: unknown }[]>;
        const requests = (source: unknown) => Object.values((source ?? {}) as Requests).flat();
        for (const r of requests(input.RequestItems)) {
          if (r.PutRequest?.Item) this.write(r.PutRequest.Item);
          else if (r.DeleteRequest) this.totals.writeUnits += 1;
        }
        // Unprocessed entries were not billed: take them back (they are metered again when resent).
        for (const u of requests(output.UnprocessedItems)) {
          if (!u.PutRequest?.Item) continue;
          const size = itemSize(u.PutRequest.Item);
          this.totals.writeUnits -= writeUnits(size);
          this.totals.itemsWritten--;
          this.totals.bytesWritten -= size;
        }
        break;
      }
      default:
        break;
    }
  }
}
