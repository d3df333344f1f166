/**
 * Two more peers of the score handler for the benchmark's comparison (bench/compare.ts), each the
 * way a well-known source writes a Kinesis consumer, with the project's validation and pure scoring
 * so the comparison measures the I/O shape alone:
 *
 * - **Powertools batch processor**: `processPartialResponse` from @aws-lambda-powertools/batch with
 *   a per-record handler doing GetItem, PutItem of each moment and PutItem of the state (the naive
 *   baseline's work, bench/baseline.ts) and a partial batch response for the records that threw.
 *   Records one after the other (`processInParallel: false`): in parallel, two records of one
 *   customer would read the same state and the second PutItem would erase the first's update.
 * - **AWS serverless samples, batched**: one GetItem per customer of the batch, every item to write
 *   collected, then BatchWriteItem every 25 items; what comes back in UnprocessedItems is not
 *   retried (the samples log it and move on), so under throttling those writes are lost.
 *
 * And the fault that shows the difference: `UnprocessedInjector` answers a share of every
 * BatchWriteItem's puts as UnprocessedItems (as DynamoDB does when a partition is throttled) and
 * counts the writes no one sent again, and the signals whose state they carried.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { Runtime } from '../shared/adapters/runtime';
import type { EnrichedSignal } from '../shared/contracts';
import { DETAIL_TYPES } from '../shared/contracts/events';
import { scoreCustomer } from '../shared/scoring';
import { customerPk, SK, TABLE_KEYS } from '../shared/store/keys';
import { momentItem, stateItem, stateOfItem } from '../shared/adapters/dynamo-state-store';
import { enrichedSignalOf, scoreOneRecord } from './baseline';
import { chunks } from './workload';

/** Powertools' way: one record at a time through BatchProcessor, failures reported per record. */
export function createPowertoolsScoreHandler(runtime: Runtime) {
  const processor = new BatchProcessor(EventType.KinesisDataStreams);
  const recordHandler = async (record: KinesisStreamRecord): Promise<void> => {
    const signal = enrichedSignalOf(record.kinesis.data);
    // Powertools reports a record that throws as a batch item failure (Lambda retries from it).
    if (!signal) throw new Error('invalid enriched record');
    await scoreOneRecord(runtime, signal);
  };
  return (event: KinesisStreamEvent, context: Context): Promise<KinesisStreamBatchResponse> =>
    processPartialResponse(event, recordHandler, processor, { context, processInParallel: false });
}

/** BatchWriteItem's limit of items per call. */
const BATCH_WRITE_ITEMS = 25;

/** The AWS serverless samples' batched way: read per customer, write 25 at a time, UnprocessedItems dropped. */
export function createSamplesScoreHandler(runtime: Runtime) {
  const { config, counter } = runtime;
  const table = runtime.resources.table;
  const doc = runtime.clients.doc;
  return async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
    const byCustomer = new Map<string, EnrichedSignal[]>();
    for (const record of event.Records) {
      const signal = enrichedSignalOf(record.kinesis.data);
      if (!signal) continue;
      const list = byCustomer.get(signal.customerKey);
      if (list) list.push(signal);
      else byCustomer.set(signal.customerKey, [signal]);
    }
    const items: Record<string, unknown>[] = [];
    for (const [customerKey, signals] of byCustomer) {
      counter.add('dynamodb.GetItem');
      const got = await doc.send(new GetCommand({ TableName: table, Key: { [TABLE_KEYS.partitionKey]: customerPk(customerKey), [TABLE_KEYS.sortKey]: SK.state } }));
      const result = scoreCustomer(got.Item ? stateOfItem(got.Item) : undefined, signals, config.scoring);
      for (const moment of result.moments) {
        items.push(momentItem(moment, config.retention));
        await runtime.publisher.publish([{ detailType: DETAIL_TYPES.momentDetected, detail: moment, time: new Date(moment.detectedAt) }]);
      }
      if (result.changed) items.push(stateItem(result.state, config.retention));
    }
    for (const part of chunks(items, BATCH_WRITE_ITEMS)) {
      counter.add('dynamodb.BatchWriteItem');
      // As in the samples: UnprocessedItems is neither retried nor reported.
      await doc.send(new BatchWriteCommand({ RequestItems: { [table]: part.map((Item) => ({ PutRequest: { Item } })) } }));
    }
    return { batchItemFailures: [] };
  };
}

type Requests = Record<string, { PutRequest?: { Item?: Record<string, unknown> }; DeleteRequest?: unknown }[]>;

/** A key attribute as a string, whether the item is marshalled (`{ S: 'x' }`) or not. */
const plain = (v: unknown): string => (v && typeof v === 'object' && 'S' in v ? String((v as { S: unknown }).S) : String(v));
const keyOf = (item: Record<string, unknown>): string => `${plain(item[TABLE_KEYS.partitionKey])}|${plain(item[TABLE_KEYS.sortKey])}`;

/** xorshift32: the same seed drops the same puts, so two handlers meet the same faults. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/**
 * Answers `share` of the puts of every BatchWriteItem on a client as UnprocessedItems, without
 * writing them, and keeps the keys it did so for until they are written again (by a later
 * BatchWriteItem or PutItem). What is still outstanding when a handler has returned is lost.
 * Attach after the capacity meter, so the meter sees the request and the answer as DynamoDB would.
 */
export class UnprocessedInjector {
  /** Puts answered as unprocessed, resent or not. */
  injected = 0;
  private readonly outstanding = new Set<string>();
  private readonly next: () => number;

  constructor(
    private readonly share: number,
    seed = 1,
  ) {
    this.next = random(seed);
  }

  attach(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = String(context.commandName ?? '');
        const input = args.input as unknown as Record<string, unknown>;
        if (command === 'PutCommand' || command === 'PutItemCommand') {
          const result = await next(args);
          this.outstanding.delete(keyOf(input.Item as Record<string, unknown>));
          return result;
        }
        if (command !== 'BatchWriteCommand' && command !== 'BatchWriteItemCommand') return next(args);
        const sent: Requests = {};
        const held: Requests = {};
        for (const [table, requests] of Object.entries((input.RequestItems ?? {}) as Requests)) {
          for (const [i, r] of requests.entries()) {
            // The first request of a call always goes through: BatchWriteItem refuses an empty call.
            const hold = i > 0 && r.PutRequest?.Item !== undefined && this.next() < this.share;
            ((hold ? held : sent)[table] ??= []).push(r);
          }
        }
        const result = await next({ ...args, input: { ...input, RequestItems: sent } } as typeof args);
        for (const r of Object.values(sent).flat()) if (r.PutRequest?.Item) this.outstanding.delete(keyOf(r.PutRequest.Item));
        const output = result.output as unknown as { UnprocessedItems?: Requests };
        for (const [table, requests] of Object.entries(held)) {
          this.injected += requests.length;
          for (const r of requests) this.outstanding.add(keyOf(r.PutRequest?.Item as Record<string, unknown>));
          output.UnprocessedItems = { ...(output.UnprocessedItems ?? {}), [table]: [...(output.UnprocessedItems?.[table] ?? []), ...requests] };
        }
        return result;
      },
      { step: 'initialize', name: 'benchUnprocessedInjector', override: true },
    );
  }

  /** Keys (`pk|sk`) answered unprocessed and not written since; cleared: call it when a handler has returned. */
  takeLost(): string[] {
    const lost = [...this.outstanding];
    this.outstanding.clear();
    return lost;
  }
}

/** The signals of a batch whose customer's STATE write was lost (records partitioned by customer key). */
export function signalsLost(lostKeys: readonly string[], partitionKeys: readonly string[]): number {
  const lostStates = new Set(lostKeys.filter((k) => k.endsWith(`|${SK.state}`)).map((k) => k.slice(0, k.indexOf('|'))));
  return partitionKeys.filter((key) => lostStates.has(customerPk(key))).length;
}
