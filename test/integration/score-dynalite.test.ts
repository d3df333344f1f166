/**
 * The score handler against DynamoDB (dynalite, in process on port 0) with the table of
 * shared/store/keys.ts: a batch becomes STATE and M# items; the same batch again changes nothing
 * and publishes no new moment.
 */
import type { AddressInfo } from 'node:net';
import { stateOfItem } from '../../shared/adapters/dynamo-state-store';
import { recentKey } from '../../shared/scoring/recent-key';
import dynalite from 'dynalite';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createScoreHandler } from '../../functions/score/handler';
import { validateMomentDetected } from '../../shared/contracts/validate';
import { customerPk } from '../../shared/store/keys';
import { at, enriched, KEY, OTHER_KEY } from '../unit/scoring/builders';
import { kinesisEvent, scoreContext, RecordingPublisher, scoreRuntime } from '../unit/handlers/score-fixtures';
import { createTableInput } from '../../shared/adapters/table-definition';
import { momentOfItem } from '../../shared/store/moment-codec';

const TABLE = 'micro-moments-test-customers';
let server: ReturnType<typeof dynalite>;
let endpoint: string;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const rt = scoreRuntime({ clientOptions: { region: 'us-east-1', endpoints: { dynamodb: endpoint }, credentials: { accessKeyId: 'l', secretAccessKey: 'l' } } });
  await rt.clients.dynamo.send(
    new CreateTableCommand(createTableInput(TABLE)),
  );
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => jest.restoreAllMocks());

function setup() {
  const publisher = new RecordingPublisher();
  const rt = scoreRuntime({
    publisher,
    resources: { table: TABLE },
    clientOptions: { region: 'us-east-1', endpoints: { dynamodb: endpoint }, credentials: { accessKeyId: 'l', secretAccessKey: 'l' } },
  });
  return { rt, publisher, handler: createScoreHandler(rt) };
}

async function itemsOf(customerKey: string, handler: ReturnType<typeof setup>['rt']) {
  const res = await handler.clients.doc.send(
    new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': customerPk(customerKey) } }),
  );
  return res.Items ?? [];
}

const journey = () => [
  enriched({ customerKey: KEY, messageId: 'k-search', event: 'Products Searched', timestamp: at(0), features: { query: 'coffee near me' }, context: { deviceClass: 'mobile' } }),
  enriched({ customerKey: OTHER_KEY, messageId: 'o-view', event: 'Product Viewed', timestamp: at(0) }),
  enriched({ customerKey: OTHER_KEY, messageId: 'o-add', event: 'Product Added', timestamp: at(1) }),
  enriched({ customerKey: OTHER_KEY, messageId: 'o-checkout', event: 'Checkout Started', timestamp: at(2) }),
  enriched({ customerKey: KEY, messageId: 'k-life', event: 'Life Event', timestamp: at(3), features: { lifeEventType: 'moved' } }),
];

describe('score handler on dynalite', () => {
  it('turns a batch into STATE and M# items and Moment Detected events; the same batch again changes nothing', async () => {
    const { rt, publisher, handler } = setup();
    const batch = kinesisEvent(journey());

    expect(await handler(batch, scoreContext())).toEqual({ batchItemFailures: [] });
    expect(publisher.events.map((e) => [(e.detail as { intent: string }).intent, (e.detail as { trigger: { messageId: string } }).trigger.messageId])).toEqual([
      ['go', 'k-search'],
      ['life-event', 'k-life'],
      ['buy', 'o-add'], // the shipped buy weights: an add opens the moment, the checkout is within its cooldown
    ]);
    for (const e of publisher.events) {
      const v = validateMomentDetected(e.detail);
      expect(v.ok ? 'valid' : v.error).toBe('valid');
      expect(e.detailType).toBe('Moment Detected');
    }

    const mine = await itemsOf(KEY, rt);
    expect(mine.map((i) => i.sk)).toEqual([
      expect.stringMatching(/^M#2026-11-23T08:00:00.000Z#[0-9a-f]{32}$/),
      expect.stringMatching(/^M#2026-11-23T08:03:00.000Z#[0-9a-f]{32}$/),
      'STATE',
    ]);
    const state = mine.find((i) => i.sk === 'STATE')!;
    expect(stateOfItem(state)?.recent.map(([id]) => id)).toEqual(['k-search', 'k-life'].map(recentKey));
    expect(state.expiresAt).toBe(Math.floor(Date.parse(at(3)) / 1000) + 30 * 86400);
    const other = await itemsOf(OTHER_KEY, rt);
    expect(other.filter((i) => String(i.sk).startsWith('M#'))).toHaveLength(1);

    // The same batch again (a redelivery): nothing published, nothing changed.
    const before = JSON.stringify([await itemsOf(KEY, rt), await itemsOf(OTHER_KEY, rt)]);
    publisher.events.length = 0;
    expect(await handler(batch, scoreContext())).toEqual({ batchItemFailures: [] });
    expect(publisher.events).toEqual([]);
    expect(JSON.stringify([await itemsOf(KEY, rt), await itemsOf(OTHER_KEY, rt)])).toBe(before);
  });

  it('writes a moment once when a delivery stopped after the moment write: the retry republishes the same moment id', async () => {
    const { rt, publisher } = setup();
    // A first delivery that wrote the moment and crashed before publishing and committing the state.
    const crashing = createScoreHandler({ ...rt, publisher: { publish: async () => Promise.reject(new Error('crash')) } });
    const signal = enriched({ customerKey: 'c'.repeat(64), messageId: 'c-dir', event: 'Directions Requested', timestamp: at(0), context: { deviceClass: 'mobile' } });
    const batch = kinesisEvent([signal]);
    const first = await crashing(batch, scoreContext());
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: batch.Records[0].kinesis.sequenceNumber }]);
    const afterCrash = await itemsOf('c'.repeat(64), rt);
    expect(afterCrash.map((i) => String(i.sk).slice(0, 2))).toEqual(['M#']);

    const retry = await createScoreHandler(rt)(batch, scoreContext());
    expect(retry).toEqual({ batchItemFailures: [] });
    expect(publisher.events.map((e) => (e.detail as { momentId: string }).momentId)).toEqual([momentOfItem(afterCrash[0])?.momentId]);
    const items = await itemsOf('c'.repeat(64), rt);
    expect(items.map((i) => String(i.sk).slice(0, 2))).toEqual(['M#', 'ST']);
  });
});
