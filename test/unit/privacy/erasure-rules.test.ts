/**
 * The rules of erasure that are pure or need only a queue: what counts as "from before the
 * erasure" (tombstone.ts), how long a tombstone lives (from the configuration), whose a quarantined
 * record is, and the two quarantine purges: SQS (against a stateful fake of the queue: receive hides
 * a message, delete removes it, a visibility of 0 shows it again) and local mode's files.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { defaultConfig, type MicroMomentsConfig } from '../../../shared/config';
import { SqsQuarantine, toQuarantineBody } from '../../../shared/adapters/quarantine';
import type { QuarantineEntry } from '../../../shared/stream/quarantine';
import { keyer } from '../../../shared/enrich/pseudonymise';
import { quarantineCustomerKey } from '../../../shared/privacy/quarantine-purge';
import { SqsQuarantinePurge } from '../../../shared/adapters/sqs-quarantine-purge';
import { ARRIVAL_MARGIN_MS, isBeforeErasure, tombstoneRetentionDays } from '../../../shared/privacy/tombstone';
import { LocalFilePurge, localFilePurges } from '../../../local/erase-files';

const PEPPER = 'erasure-rules-pepper';
const keyOf = keyer(PEPPER);
const ERASED_AT = '2026-11-24T14:00:00.000Z';
const E = Date.parse(ERASED_AT);
const SKEW = defaultConfig.signalTimeWindow.maxFutureMinutes * 60_000;
const t = { customerKey: 'k'.repeat(64), erasedAt: ERASED_AT };

/** A quarantine entry of enrich holding this payload (JSON unless a string). */
const quarantined = (payload: unknown, extra: Partial<QuarantineEntry> = {}): QuarantineEntry => ({
  reason: 'r',
  code: 'schema',
  stage: 'enrich',
  source: { stream: 's', sequenceNumber: '1' },
  payloadBase64: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)).toString('base64'),
  quarantinedAt: ERASED_AT,
  ...extra,
});

const withRetention = (r: Partial<MicroMomentsConfig['retention']>, maxPastDays = 7): MicroMomentsConfig => ({
  ...defaultConfig,
  retention: { ...defaultConfig.retention, ...r },
  signalTimeWindow: { ...defaultConfig.signalTimeWindow, maxPastDays },
});

describe('what is from before an erasure', () => {
  it('a producer time up to the erasure plus the accepted clock skew; an AWS time up to the erasure plus a small margin', () => {
    const before = (stamped: (string | number)[], arrived: number[]) => isBeforeErasure(t, { stamped, arrived }, defaultConfig);
    expect(before([E + SKEW], [E + SKEW + 60_000])).toBe(true);
    expect(before([E + SKEW + 1], [E + SKEW + 60_000])).toBe(false);
    // Stamped far ahead (a clock can be), but it arrived before the erasure: it was in flight.
    expect(before([E + SKEW + 60_000], [E - 1])).toBe(true);
    expect(before([E + SKEW + 60_000], [E + ARRIVAL_MARGIN_MS])).toBe(true);
    expect(before([E + SKEW + 60_000], [E + ARRIVAL_MARGIN_MS + 1])).toBe(false);
    // A time that does not parse cannot prove it is after.
    expect(before(['not a time'], [E + 3_600_000])).toBe(true);
    expect(isBeforeErasure(undefined, { stamped: [0], arrived: [0] }, defaultConfig)).toBe(false);
  });

  it('a tombstone outlives every way back: max(stream retention + signal window, queue redrive, archive replay) + 1 day; for ever with an archive kept for ever', () => {
    expect(tombstoneRetentionDays(defaultConfig)).toBe(31); // archiveDays 30 dominates the defaults
    expect(tombstoneRetentionDays(withRetention({ archiveDays: 1, queueDays: 2, streamHours: 168 }, 30))).toBe(38); // 7 + 30 + 1
    expect(tombstoneRetentionDays(withRetention({ archiveDays: 1, queueDays: 14, streamHours: 24 }, 1))).toBe(15);
    expect(tombstoneRetentionDays(withRetention({ archiveDays: 0 }))).toBeUndefined();
  });
});

describe('whose a quarantined record is', () => {
  const entry = quarantined;

  it('by the key enrich gave it, else by the ids of its payload keyed as enrich keys them, else nobody\'s', () => {
    expect(quarantineCustomerKey(entry('x', { customerKey: 'a'.repeat(64) }), keyOf)).toBe('a'.repeat(64));
    expect(quarantineCustomerKey(entry({ userId: 'u-1', anonymousId: 'a-1', timestamp: 5 }), keyOf)).toBe(keyOf('user', 'u-1'));
    expect(quarantineCustomerKey(entry({ anonymousId: 'a-1' }), keyOf)).toBe(keyOf('anonymous', 'a-1'));
    expect(quarantineCustomerKey(entry('{"userId": "u-1", oops'), keyOf)).toBeUndefined();
    expect(quarantineCustomerKey(entry({ userId: 42 }), keyOf)).toBeUndefined();
    // score's records are on the enriched stream, partitioned by the customer key.
    expect(quarantineCustomerKey(entry('{bad', { stage: 'score', source: { stream: 'e', sequenceNumber: '1', partitionKey: 'b'.repeat(64) } }), keyOf)).toBe('b'.repeat(64));
  });

  it('SqsQuarantine sends the key as a message attribute when it is known', async () => {
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    await new SqsQuarantine(sqs as unknown as SQSClient, 'q').send([entry('x', { customerKey: 'c'.repeat(64) }), entry('y')]);
    const sent = sqs.commandCalls(SendMessageBatchCommand)[0].args[0].input.Entries ?? [];
    expect(sent[0].MessageAttributes?.customerKey).toEqual({ DataType: 'String', StringValue: 'c'.repeat(64) });
    expect(sent[1].MessageAttributes?.customerKey).toBeUndefined();
    sqs.restore();
  });
});

/** An SQS queue in memory with visibility: what the purge relies on, and nothing more. */
class FakeQueue {
  messages: { id: string; body: string; attrs?: Record<string, string>; hiddenUntil: number; receipt?: string }[] = [];
  private receipts = 0;
  now = 0;
  readonly sqs = mockClient(SQSClient);
  constructor() {
    this.sqs.on(GetQueueAttributesCommand).callsFake(() => ({ Attributes: { ApproximateNumberOfMessagesNotVisible: String(this.messages.filter((m) => m.hiddenUntil > this.now).length) } }));
    this.sqs.on(ReceiveMessageCommand).callsFake((input: { MaxNumberOfMessages: number; VisibilityTimeout: number }) => {
      const visible = this.messages.filter((m) => m.hiddenUntil <= this.now).slice(0, input.MaxNumberOfMessages);
      const out: Message[] = visible.map((m) => {
        m.hiddenUntil = this.now + input.VisibilityTimeout;
        m.receipt = `r${++this.receipts}`;
        return {
          MessageId: m.id,
          ReceiptHandle: m.receipt,
          Body: m.body,
          ...(m.attrs ? { MessageAttributes: Object.fromEntries(Object.entries(m.attrs).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])) } : {}),
        };
      });
      return { Messages: out };
    });
    this.sqs.on(DeleteMessageBatchCommand).callsFake((input: { Entries: { Id: string; ReceiptHandle: string }[] }) => {
      this.messages = this.messages.filter((m) => !input.Entries.some((e) => e.ReceiptHandle === m.receipt));
      return { Successful: input.Entries.map((e) => ({ Id: e.Id })), Failed: [] };
    });
    this.sqs.on(ChangeMessageVisibilityBatchCommand).callsFake((input: { Entries: { ReceiptHandle: string; VisibilityTimeout: number }[] }) => {
      for (const e of input.Entries) {
        const m = this.messages.find((x) => x.receipt === e.ReceiptHandle);
        if (m) m.hiddenUntil = this.now + e.VisibilityTimeout;
      }
      return { Successful: [], Failed: [] };
    });
  }
  add(entry: QuarantineEntry) {
    this.messages.push({ id: `m${this.messages.length}`, body: toQuarantineBody(entry), ...(entry.customerKey ? { attrs: { customerKey: entry.customerKey } } : {}), hiddenUntil: 0 });
  }
}

describe('the SQS quarantine purge', () => {
  const victim = keyOf('user', 'victim@example.com');
  const signal = (userId: string) => ({ type: 'track', userId, messageId: 'm', timestamp: 12 });
  const q = (payload: unknown, customerKey?: string): QuarantineEntry => quarantined(payload, customerKey ? { customerKey } : {});

  it('deletes the customer\'s messages (by attribute or by payload), counts the unattributable, and shows the others again at once', async () => {
    const queue = new FakeQueue();
    for (let i = 0; i < 23; i++) queue.add(q(signal(`other-${i}`), keyOf('user', `other-${i}`)));
    queue.add(q(signal('victim@example.com'), victim)); // with the attribute
    queue.add(q(signal('victim@example.com'))); // an older message: the payload tells
    queue.add(q('not json at all')); // nobody's
    queue.add(q(signal('victim@example.com'), victim));
    const report = await new SqsQuarantinePurge(queue.sqs as unknown as SQSClient, 'q', keyOf, { emptyReceives: 1 }).purge(victim);
    expect(report).toEqual({ where: 'q', scanned: 27, deleted: 3, unattributed: 1, notVisible: 0, complete: true });
    expect(queue.messages).toHaveLength(24);
    expect(queue.messages.every((m) => m.hiddenUntil <= queue.now)).toBe(true);
    expect(queue.messages.some((m) => m.body.includes(Buffer.from(JSON.stringify(signal('victim@example.com'))).toString('base64')))).toBe(false);
    queue.sqs.restore();
  });

  it('reports what another reader held at the time, and a scan cut short, so the operator erases again', async () => {
    const queue = new FakeQueue();
    for (let i = 0; i < 30; i++) queue.add(q(signal(`o-${i}`), keyOf('user', `o-${i}`)));
    queue.messages[0].hiddenUntil = 1000; // held by an operator's tool
    const report = await new SqsQuarantinePurge(queue.sqs as unknown as SQSClient, 'q', keyOf, { maxMessages: 10 }).purge(victim);
    expect(report).toMatchObject({ scanned: 10, deleted: 0, notVisible: 1, complete: false });
    queue.sqs.restore();
  });
});

describe('local mode\'s files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mm-erase-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every line but those naming the customer, in every JSON-lines file and log of the data directory', async () => {
    const victim = keyOf('user', 'v@example.com');
    const other = keyOf('user', 'o@example.com');
    const entry = (userId: string, customerKey?: string) =>
      JSON.stringify({ reason: 'r', code: 'schema', stage: 'enrich', source: { stream: 's', sequenceNumber: '1' }, payloadBase64: Buffer.from(JSON.stringify({ userId, timestamp: 1 })).toString('base64'), quarantinedAt: ERASED_AT, ...(customerKey ? { customerKey } : {}) });
    writeFileSync(join(dir, 'quarantine.jsonl'), [entry('v@example.com', victim), entry('v@example.com'), entry('o@example.com', other), '{"payloadBase64":"bm90IGpzb24="}', ''].join('\n'));
    writeFileSync(join(dir, 'handlers.log'), `{"customerKey":"${victim}","message":"moment detected"}\n{"customerKey":"${other}"}\n`);
    writeFileSync(join(dir, 'notes.txt'), victim); // not a file of npm start's
    const purges = localFilePurges(dir, keyOf);
    expect(purges.map((p) => p.file.slice(dir.length + 1))).toEqual(['handlers.log', 'quarantine.jsonl']);
    const reports = await Promise.all(purges.map((p) => p.purge(victim)));
    expect(reports.map(({ scanned, deleted, unattributed }) => ({ scanned, deleted, unattributed }))).toEqual([
      { scanned: 2, deleted: 1, unattributed: 0 },
      { scanned: 4, deleted: 2, unattributed: 1 },
    ]);
    expect(readFileSync(join(dir, 'quarantine.jsonl'), 'utf8')).not.toContain(victim);
    expect(readFileSync(join(dir, 'quarantine.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(readFileSync(join(dir, 'handlers.log'), 'utf8')).toBe(`{"customerKey":"${other}"}\n`);
    // Nothing of theirs: the file is left as it was.
    const before = readFileSync(join(dir, 'handlers.log'), 'utf8');
    expect(await new LocalFilePurge(join(dir, 'handlers.log'), keyOf).purge(victim)).toMatchObject({ deleted: 0 });
    expect(readFileSync(join(dir, 'handlers.log'), 'utf8')).toBe(before);
  });
});
