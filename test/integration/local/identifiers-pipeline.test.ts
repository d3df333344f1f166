/**
 * Issue 9, finding 2, through the whole local pipeline (the deployed handlers on kinesalite and
 * dynalite, the bus, the notify functions, the reference webhook receiver): signals carrying
 * generated identifiers in every field a producer controls (test/fixtures/identifier-signals.ts),
 * built to go all the way to moments and notifications. Nothing of the identifiers appears in the
 * enriched stream, any table item (PROFILE, STATE, moments, decisions, caps...), any bus event,
 * what the channels received, any handler log line or any quarantine reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadConfig } from '../../../shared/config';
import { Producer } from '../../../shared/adapters/kinesis-producer';
import { messageDigestOf } from '../../../shared/enrich/pseudonymise';
import { DETAIL_TYPES, type MomentDetectedDetail } from '../../../shared/contracts/events';
import { LocalPipeline } from '../../../local/pipeline';
import type { BusEvent } from '../../../local/bus';
import { attackSignalArb, type AttackSignal } from '../../fixtures/identifier-signals';
import { leaksOf, type Identifier } from '../../fixtures/identifiers';
import { everythingWritten } from '../../fixtures/pipeline-output';
import { handlerLogsOn } from '../../fixtures/capture-output';

const config = loadConfig({ stage: 'test' });
let pipeline: LocalPipeline;
let dataDir: string;
const events: BusEvent[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mm-identifiers-'));
  handlerLogsOn(); // the log lines are among what is searched for identifiers
  pipeline = await LocalPipeline.start({ config, dataDir, pollIntervalMs: 20, retryDelayMs: 5, busRetryDelayMs: 5 });
  pipeline.bus.on('*', (e) => events.push(e));
});
afterAll(async () => {
  await pipeline?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

let n = 0;
const seq = () => ++n;

test('identifiers in any field of a signal reach no moment, STATE, bus event, notification, log line or quarantine reason', async () => {
  const producer = new Producer({ kinesis: pipeline.emulators.clients.kinesis, streamName: pipeline.emulators.streams.signals.name });
  const sent: AttackSignal[] = [];
  await fc.assert(
    // Each batch: one signal with an identifier in its messageId only (it opens a moment, so the
    // digest travels to the bus, the channels and the logs), one made invalid by an identifier (its
    // quarantine reason is searched too), then signals attacked anywhere.
    fc.asyncProperty(
      attackSignalArb(Date.now(), seq, ['messageId']),
      fc.constantFrom('timezone' as const, 'propertyKey' as const).chain((field) => attackSignalArb(Date.now(), seq, [field])),
      fc.array(attackSignalArb(Date.now(), seq), { minLength: 2, maxLength: 5 }),
      async (first, invalid, rest) => {
        const attacks = [first, invalid, ...rest];
        sent.push(...attacks);
        const result = await producer.sendRaw(attacks.map((a, i) => ({ partitionKey: `pk-${n}-${i}`, data: Buffer.from(JSON.stringify(a.signal)) })));
        expect(result.failed).toEqual([]);
        await pipeline.drain();
        const identifiers: Identifier[] = sent.flatMap((a) => a.identifiers);
        const written = await everythingWritten(pipeline, dataDir, events);
        const leaks = Object.entries(written).flatMap(([where, strings]) => leaksOf(identifiers, strings, where));
        expect(leaks).toEqual([]);
      },
    ),
    { numRuns: 6 },
  );

  // The attack went all the way: moments (some triggered by a signal whose messageId carried an
  // identifier), notifications to the webhook and to push, log lines about them.
  const moments = events.filter((e) => e['detail-type'] === DETAIL_TYPES.momentDetected).map((e) => e.detail as MomentDetectedDetail);
  expect(moments.length).toBeGreaterThan(5);
  const attackedTriggers = new Set(sent.filter((a) => a.fields.includes('messageId')).map((a) => messageDigestOf(config.localPepper, a.messageId)));
  expect(moments.some((m) => attackedTriggers.has(m.trigger.messageId))).toBe(true);
  expect(pipeline.delivered('webhook').length).toBeGreaterThan(0);
  expect(pipeline.delivered('push').length).toBeGreaterThan(0);
  expect(pipeline.standIns.byChannel.get('webhook')?.counts().badSignatures).toBe(0);
  const written = await everythingWritten(pipeline, dataDir, events);
  expect(written['log lines'].some((l) => l.includes('moment detected'))).toBe(true);
  expect(pipeline.quarantine.messages.length).toBeGreaterThan(0);
});
