/**
 * Issue 9, finding 5: erasure is not undone by what is in flight. The whole local pipeline (the
 * deployed handlers on kinesalite and dynalite, the pollers, the bus, notify with the webhook
 * receiver and the SNS recorders, `.local`-style files in a temporary directory) and the operator
 * CLI (`npm run privacy -- erase`), as an operator runs them against `npm start`.
 *
 * Each generated run: a customer uses the service (a profile, a state, moments, notifications, a
 * quarantined record); more of their signals wait unread in the stream (enrich paused); the CLI
 * erases them; then more signals stamped before the erasure (a device's backlog, clocks up to the
 * accepted skew ahead, bad records too) arrive, with redeliveries (crashes before the checkpoint),
 * beside another customer's ordinary traffic, and a pre-erasure moment is replayed onto the bus.
 * Afterwards the erased customer's partition holds the tombstone and nothing else, nothing more was
 * sent to or published about them, and no local file names them; the other customer was served.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { putRecords } from '../../shared/adapters/kinesis';
import { sleep } from '../../shared/adapters/retry';
import { ARRIVAL_MARGIN_MS } from '../../shared/privacy/tombstone';
import { loadConfig, type MicroMomentsConfig } from '../../shared/config';
import { customerKeyOf } from '../../shared/enrich/pseudonymise';
import { DETAIL_TYPES } from '../../shared/contracts/events';
import { LocalPipeline } from '../../local/pipeline';
import type { BusEvent } from '../../local/bus';
import { main as privacyCli } from '../../scripts/privacy';
import { moment, momentIdOf } from '../fixtures/notify';
import { partitionOf } from '../fixtures/privacy-rig';

const MINUTE = 60_000;
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** The default configuration, with quiet hours moved away from now (the pipeline runs on the real clock). */
function testConfig(): MicroMomentsConfig {
  const base = loadConfig({ stage: 'local' });
  const now = Date.now();
  return { ...base, guardrails: { ...base.guardrails, quietHours: { start: hhmm(now + 3 * 60 * MINUTE), end: hhmm(now + 4 * 60 * MINUTE) } } };
}

let dir: string;
let pipeline: LocalPipeline;
const events: BusEvent[] = [];
/** Batches of the current run that die once before their checkpoint (a redelivery each). */
let crashesLeft = 0;
const crashed = new Set<string>();
const crashOnce = ({ records }: { records: { sequenceNumber: string }[] }) => {
  const first = records[0].sequenceNumber;
  if (crashesLeft <= 0 || crashed.has(first)) return false;
  crashed.add(first);
  crashesLeft--;
  return true;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mm-erasure-'));
  pipeline = await LocalPipeline.start({
    config: testConfig(),
    dataDir: dir,
    pollIntervalMs: 20,
    retryDelayMs: 2,
    busRetryDelayMs: 5,
    faults: { enrich: { crashBeforeCheckpoint: crashOnce }, score: { crashBeforeCheckpoint: crashOnce } },
  });
  pipeline.bus.on('*', (e) => events.push(e));
}, 60_000);
afterAll(async () => {
  await pipeline?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const CONSENT = { personalization: true, push: true, webhook: true, sms: true, locationOffers: false };
type Kind = 'search' | 'directions' | 'identify' | 'bad';

function record(kind: Kind, userId: string, messageId: string, timestampMs: number): { partitionKey: string; data: Buffer } {
  const timestamp = new Date(timestampMs).toISOString();
  const context = { timezone: 'UTC', device: { type: 'ios' }, consent: { categoryPreferences: CONSENT } };
  const signal =
    kind === 'identify'
      ? { type: 'identify', messageId, timestamp, userId, traits: { timezone: 'UTC' }, context }
      : kind === 'bad'
        ? { type: 'track', event: 'Products Searched', messageId, timestamp: 12345, userId, context } // a schema error naming the customer
        : {
            type: 'track',
            event: kind === 'search' ? 'Products Searched' : 'Directions Requested',
            messageId,
            timestamp,
            userId,
            properties: kind === 'search' ? { query: 'best coffee reviews near me' } : {},
            context,
          };
  return { partitionKey: userId, data: Buffer.from(JSON.stringify(signal)) };
}

async function put(records: { partitionKey: string; data: Buffer }[]) {
  const res = await putRecords(pipeline.emulators.clients.kinesis, pipeline.emulators.streams.signals.name, records);
  if (res.failed.length > 0) throw new Error('put failed');
}

/** Who each channel delivered to, in order, per channel. */
const delivered = () => ({
  webhook: pipeline.delivered('webhook').map((w) => w.customerKey),
  push: pipeline.delivered('push').map((m) => m.customerKey),
  sms: pipeline.delivered('sms').map((m) => m.customerKey),
});
const deliveredSince = (before: ReturnType<typeof delivered>) => {
  const now = delivered();
  return [...now.webhook.slice(before.webhook.length), ...now.push.slice(before.push.length), ...now.sms.slice(before.sms.length)];
};
const aboutCustomer = (key: string) => events.filter((e) => (e.detail as { customerKey?: string }).customerKey === key);
const filesNaming = (key: string) => readdirSync(dir).filter((f) => readFileSync(join(dir, f), 'utf8').includes(key));

const lateArb = fc.record({
  kind: fc.constantFrom<Kind>('search', 'directions', 'identify', 'bad'),
  /** Relative to the erasure: up to 30 minutes before, or stamped ahead by a clock up to the accepted skew. */
  offsetMs: fc.integer({ min: -30 * MINUTE, max: 9 * MINUTE }),
});

let run = 0;

test('after an erasure, signals and moments from before it recreate nothing and send nothing', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(lateArb, { minLength: 1, maxLength: 6 }),
      fc.array(lateArb, { minLength: 1, maxLength: 10 }),
      fc.nat(3),
      async (inFlight, backlog, crashes) => {
        run++;
        const victim = `erased-${run}@example.com`;
        const other = `other-${run}@example.com`;
        const key = customerKeyOf(pipeline.config.localPepper, 'user', victim);
        const otherKey = customerKeyOf(pipeline.config.localPepper, 'user', other);

        // The customer uses the service: profile, state, moments, notifications, a quarantined record.
        const t = Date.now();
        await put([
          record('identify', victim, `${run}-a1`, t - 3 * MINUTE),
          record('search', victim, `${run}-a2`, t - 2 * MINUTE),
          record('directions', victim, `${run}-a3`, t - MINUTE),
          record('bad', victim, `${run}-a4`, t),
        ]);
        await pipeline.drain();
        const before = await partitionOf(pipeline.emulators, key);
        expect(before.map((i) => String(i.sk).replace(/#.*/, '')).sort()).toEqual(expect.arrayContaining(['M', 'PROFILE', 'STATE']));
        expect(Object.values(delivered()).flat().filter((k) => k === key).length).toBeGreaterThan(0);
        expect(filesNaming(key)).toEqual(expect.arrayContaining(['quarantine.jsonl']));

        // More of their signals are in the stream, not yet read, when the erasure comes.
        await pipeline.mappings.enrich.stop();
        const putAt = Date.now();
        await put(inFlight.map((r, i) => record(r.kind, victim, `${run}-b${i}`, putAt + r.offsetMs)));

        const out: string[] = [];
        const io = { stdout: (s: string) => out.push(s), stderr: () => undefined };
        const code = await privacyCli(
          ['erase', '--user-id', victim, '--endpoint-url', pipeline.emulators.endpoints.dynamodb, '--table', pipeline.emulators.table, '--settle-seconds', '0', '--data-dir', dir],
          io,
        );
        expect(code).toBe(0);
        const report = JSON.parse(out.join('')) as { erasedAt: string; itemsDeleted: number; quarantine: { where: string; deleted: number }[] };
        expect(report.itemsDeleted).toBe(before.length);
        expect(report.quarantine.find((q) => q.where.endsWith('quarantine.jsonl'))?.deleted).toBeGreaterThan(0);
        expect(filesNaming(key)).toEqual([]);
        const erasedAt = Date.parse(report.erasedAt);
        const deliveredBefore = delivered();
        const eventsBefore = events.length;

        // Then: the backlog, stamped before the erasure (or ahead by a fast clock) and arriving
        // after it (beyond the arrival margin, so only the timestamps give it away), beside another
        // customer's ordinary signals, with redeliveries; and a moment from before, replayed.
        await sleep(Math.max(0, erasedAt + ARRIVAL_MARGIN_MS + 200 - Date.now()));
        crashesLeft = crashes;
        const backlogRecords = backlog.map((r, i) => record(r.kind, victim, `${run}-c${i}`, erasedAt + r.offsetMs));
        const now = Date.now();
        const otherRecords = [record('identify', other, `${run}-o1`, now), record('search', other, `${run}-o2`, now + 1000)];
        await put([...backlogRecords.slice(0, 3), ...otherRecords, ...backlogRecords.slice(3)]);
        await pipeline.bus.publish([
          { detailType: DETAIL_TYPES.momentDetected, detail: moment({ customerKey: key, momentId: momentIdOf(`replayed-${run}`), detectedAt: new Date(erasedAt - MINUTE).toISOString(), trigger: { messageId: `${run}-a3`, event: 'Directions Requested', time: new Date(erasedAt - 2 * MINUTE).toISOString() } }), time: new Date(erasedAt - MINUTE) },
        ]);
        await pipeline.mappings.enrich.start();
        await pipeline.drain();

        expect((await partitionOf(pipeline.emulators, key)).map((i) => i.sk)).toEqual(['TOMBSTONE']);
        const newEvents = events.slice(eventsBefore);
        // Only the replayed moment itself mentions them; nothing answered it.
        expect(newEvents.filter((e) => (e.detail as { customerKey?: string }).customerKey === key).map((e) => e['detail-type'])).toEqual([DETAIL_TYPES.momentDetected]);
        expect(deliveredSince(deliveredBefore).filter((k) => k === key)).toEqual([]);
        expect(deliveredSince(deliveredBefore).filter((k) => k === otherKey).length).toBeGreaterThan(0);
        expect(filesNaming(key)).toEqual([]);
        // The other customer was served as usual.
        expect((await partitionOf(pipeline.emulators, otherKey)).some((i) => i.sk === 'PROFILE')).toBe(true);
        expect(aboutCustomer(otherKey).some((e) => e['detail-type'] === DETAIL_TYPES.momentDetected)).toBe(true);
      },
    ),
    // Each run drives the whole pipeline: report the first failure rather than shrink for minutes.
    { numRuns: 3, endOnFailure: true },
  );
  expect(pipeline.mappings.enrich.stats.crashes + pipeline.mappings.score.stats.crashes).toBeGreaterThan(0);
}, 180_000);
