/**
 * The baseline: a score handler written the way most tutorials write a Kinesis consumer. Records
 * are handled one at a time; for each, GetItem the customer's state, score, PutItem each moment
 * it opened (and publish it), PutItem the state back. It reuses the project's validation and pure
 * scoring, so the comparison measures the I/O shape alone, not different domain work.
 *
 * It keeps the tutorial's other habits too: no partial batch response (an error fails the whole
 * batch), invalid records skipped, no structured logs or metrics (which makes it cheaper in CPU
 * than the project's handler, not dearer: the comparison does not flatter the project).
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { Runtime } from '../shared/adapters/runtime';
import { validateEnrichedSignal, type EnrichedSignal } from '../shared/contracts';
import { DETAIL_TYPES } from '../shared/contracts/events';
import { scoreCustomer } from '../shared/scoring';
import { customerPk, SK, TABLE_KEYS } from '../shared/store/keys';
import { momentItem, stateItem, stateOfItem } from '../shared/adapters/dynamo-state-store';

/** An enriched record decoded and validated, or undefined: the tutorial's parse. */
export function enrichedSignalOf(data: string): EnrichedSignal | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = validateEnrichedSignal(value);
  return parsed.ok ? parsed.value : undefined;
}

/** One record the tutorial's way: GetItem the state, score, PutItem each moment (and publish it), PutItem the state. */
export async function scoreOneRecord(runtime: Runtime, signal: EnrichedSignal): Promise<void> {
  const { config, counter } = runtime;
  const table = runtime.resources.table;
  const doc = runtime.clients.doc;
  counter.add('dynamodb.GetItem');
  const got = await doc.send(new GetCommand({ TableName: table, Key: { [TABLE_KEYS.partitionKey]: customerPk(signal.customerKey), [TABLE_KEYS.sortKey]: SK.state } }));
  const result = scoreCustomer(got.Item ? stateOfItem(got.Item) : undefined, [signal], config.scoring);
  for (const moment of result.moments) {
    counter.add('dynamodb.PutItem');
    await doc.send(new PutCommand({ TableName: table, Item: momentItem(moment, config.retention) }));
    await runtime.publisher.publish([{ detailType: DETAIL_TYPES.momentDetected, detail: moment, time: new Date(moment.detectedAt) }]);
  }
  // Like the project's handler, a signal that changes nothing writes nothing.
  if (!result.changed) return;
  counter.add('dynamodb.PutItem');
  await doc.send(new PutCommand({ TableName: table, Item: stateItem(result.state, config.retention) }));
}

export function createNaiveScoreHandler(runtime: Runtime) {
  return async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
    for (const record of event.Records) {
      const signal = enrichedSignalOf(record.kinesis.data);
      if (signal) await scoreOneRecord(runtime, signal);
    }
    return { batchItemFailures: [] };
  };
}
