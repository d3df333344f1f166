/**
 * Issue 9, the last item of "Done when": replaying a file of disguised sensitive signals and
 * identifier-bearing messages produces no moment, log line or bus event that carries them.
 *
 * The file is generated (test/fixtures/privacy-history.ts): benign customers on the simulator's
 * journeys, interleaved with signals carrying a disguised sensitive term in one field each (every
 * field a producer controls, wrapped in encodings, overrides and look-alike letters) and signals
 * carrying identifiers in every field. It goes through
 * (a) `npm run replay`, the real CLI in a child process, files in a temporary directory, and
 * (b) the local pipeline (the deployed handlers on kinesalite and dynalite, the bus, the notify
 *     functions, the webhook receiver and SNS recorders), with the handlers' logs captured.
 * Nothing that comes out (moments, score lines, the summary, the enriched stream, table items, bus
 * events, channel messages, log lines, quarantine entries, the run report) carries an inserted
 * identifier or sensitive term, raw or normalised the classifier's way; no moment names a
 * sensitive signal's digest; and the benign customers did get moments, the same ones as without
 * the attack.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { loadConfig, type MicroMomentsConfig } from '../../shared/config';
import { messageDigestOf } from '../../shared/enrich/pseudonymise';
import { DETAIL_TYPES, type MomentDetectedDetail } from '../../shared/contracts/events';
import { partitionKeyOf } from '../../shared/producer/encode';
import { Producer } from '../../shared/adapters/kinesis-producer';
import { runReplay } from '../../scripts/replay';
import { LocalPipeline } from '../../local/pipeline';
import type { BusEvent } from '../../local/bus';
import { leaksOf } from '../fixtures/identifiers';
import { everythingWritten } from '../fixtures/pipeline-output';
import { handlerLogsOn } from '../fixtures/capture-output';
import { privacyHistoryArb, sensitiveLeaks, sensitiveNamed, type PrivacyHistory } from '../fixtures/privacy-history';

const ROOT = join(__dirname, '..', '..');
const MINUTE = 60_000;
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** Everything that came out, by where, against what went in. */
function leaksIn(history: PrivacyHistory, written: Record<string, string[]>, config: MicroMomentsConfig): string[] {
  return Object.entries(written).flatMap(([where, strings]) => [
    ...leaksOf(history.identifiers, strings, where),
    ...sensitiveLeaks(history.sensitive, strings, where, config.sensitive),
  ]);
}

const digestsOf = (config: MicroMomentsConfig, ids: readonly string[]) => new Set(ids.map((id) => messageDigestOf(config.localPepper, id)));

/** The message digests a moment names: its trigger and every reason. */
const namedBy = (m: MomentDetectedDetail): string[] => [m.trigger.messageId, ...m.reasons.map((r) => r.messageId)];

/** A moment as the attack must leave it: who, which intent, on which signal. */
const momentKey = (m: MomentDetectedDetail) => `${m.customerKey} ${m.intent} ${m.trigger.messageId}`;

describe('(a) npm run replay', () => {
  const config = loadConfig({});
  const NOW = Date.parse('2026-11-23T12:00:00.000Z');
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mm-privacy-replay-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes no moment, score or summary line carrying an identifier or a sensitive term, and the benign moments stay what they were', async () => {
    let benignMoments = 0;
    let attackerMoments = 0;
    await fc.assert(
      fc.asyncProperty(privacyHistoryArb({ config, nowMs: NOW }), async (history) => {
        const input = join(dir, 'history.jsonl');
        const output = join(dir, 'moments.jsonl');
        const scoresFile = join(dir, 'scores.jsonl');
        writeFileSync(input, `${history.lines.join('\n')}\n`);
        const run = await promisify(execFile)('npm', ['run', '--silent', 'replay', '--', '--input', input, '--output', output, '--scores', scoresFile], {
          cwd: ROOT,
          env: { ...process.env, MM_DEBUG: '' },
          timeout: 60_000,
        });
        const momentLines = readFileSync(output, 'utf8').split('\n').filter(Boolean);
        const scoreLines = readFileSync(scoresFile, 'utf8').split('\n').filter(Boolean);
        const written = { moments: momentLines, scores: scoreLines, 'summary (stderr)': [run.stderr], stdout: [run.stdout] };
        expect(leaksIn(history, written, config)).toEqual([]);

        // No sensitive signal was scored, let alone named by a moment; each was dropped as sensitive.
        const moments = momentLines.map((l) => JSON.parse(l) as MomentDetectedDetail);
        const digestOf = (id: string) => messageDigestOf(config.localPepper, id);
        expect(sensitiveNamed(history.sensitive, moments.flatMap(namedBy), digestOf)).toEqual([]);
        expect(sensitiveNamed(history.sensitive, scoreLines.map((l) => (JSON.parse(l) as { messageId: string }).messageId), digestOf)).toEqual([]);
        const droppedSensitive = Number(/sensitive: (\d+)/.exec(run.stderr)?.[1]);
        expect(droppedSensitive).toBeGreaterThanOrEqual(history.sensitive.length);

        // The pipeline was live: benign customers got moments, exactly those they get without the attack.
        const benign = digestsOf(config, history.benignMessageIds);
        const benignLines = history.lines.filter((l) => history.benignMessageIds.includes((JSON.parse(l) as { messageId: string }).messageId));
        const alone = (await runReplay(benignLines, config)).moments.map((l) => JSON.parse(l) as MomentDetectedDetail);
        const attacked = moments.filter((m) => benign.has(m.trigger.messageId));
        expect(attacked.map(momentKey).sort()).toEqual(alone.map(momentKey).sort());
        benignMoments += attacked.length;
        const carriers = digestsOf(config, history.attacks.map((a) => a.messageId));
        attackerMoments += moments.filter((m) => carriers.has(m.trigger.messageId)).length;
      }),
      { numRuns: 2, endOnFailure: true },
    );
    expect(benignMoments).toBeGreaterThan(5);
    // Identifier carriers are built to open moments: their identifiers had every chance to come out.
    expect(attackerMoments).toBeGreaterThan(5);
  });
});

describe('(b) the local pipeline', () => {
  let pipeline: LocalPipeline;
  let dataDir: string;
  const events: BusEvent[] = [];
  let config: MicroMomentsConfig;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mm-privacy-pipeline-'));
    handlerLogsOn(); // the log lines are among what is searched
    const base = loadConfig({ stage: 'test' });
    const now = Date.now();
    // Quiet hours away from now: the identifier carriers should reach the channels too.
    config = { ...base, guardrails: { ...base.guardrails, quietHours: { start: hhmm(now + 3 * 60 * MINUTE), end: hhmm(now + 4 * 60 * MINUTE) } } };
    pipeline = await LocalPipeline.start({ config, dataDir, pollIntervalMs: 20, retryDelayMs: 5, busRetryDelayMs: 5 });
    pipeline.bus.on('*', (e) => events.push(e));
  });
  afterAll(async () => {
    await pipeline?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores, publishes, sends and logs nothing carrying an identifier or a sensitive term, and benign customers got moments', async () => {
    const producer = new Producer({ kinesis: pipeline.emulators.clients.kinesis, streamName: pipeline.emulators.streams.signals.name });
    const sent: PrivacyHistory[] = [];
    await fc.assert(
      fc.asyncProperty(privacyHistoryArb({ config, nowMs: Date.now() }), async (history) => {
        sent.push(history);
        // In file order, partitioned by customer as the producer library does.
        const result = await producer.sendRaw(history.lines.map((l) => ({ partitionKey: partitionKeyOf(JSON.parse(l) as Record<string, unknown>), data: Buffer.from(l) })));
        expect(result.failed).toEqual([]);
        await pipeline.drain();
        const written = await everythingWritten(pipeline, dataDir, events);
        const all: PrivacyHistory = {
          lines: [],
          benignMessageIds: [],
          sensitive: sent.flatMap((h) => h.sensitive),
          attacks: [],
          identifiers: sent.flatMap((h) => h.identifiers),
        };
        expect(leaksIn(all, written, config)).toEqual([]);
        // No sensitive signal reached the enriched stream, a table item or the bus.
        const sensitive = digestsOf(config, all.sensitive.map((s) => s.messageId));
        for (const where of ['enriched stream', 'table', 'bus'] as const) {
          expect([where, written[where].filter((s) => [...sensitive].some((d) => s.includes(d)))]).toEqual([where, []]);
        }
      }),
      { numRuns: 1, endOnFailure: true },
    );

    // The pipeline was live: moments for benign customers and for identifier carriers, notifications sent.
    const moments = events.filter((e) => e['detail-type'] === DETAIL_TYPES.momentDetected).map((e) => e.detail as MomentDetectedDetail);
    const benign = digestsOf(config, sent.flatMap((h) => h.benignMessageIds));
    const benignMoments = moments.filter((m) => benign.has(m.trigger.messageId));
    expect(benignMoments.length).toBeGreaterThan(3);
    expect(new Set(benignMoments.map((m) => m.customerKey)).size).toBeGreaterThan(1);
    const carriers = digestsOf(config, sent.flatMap((h) => h.attacks.map((a) => a.messageId)));
    expect(moments.filter((m) => carriers.has(m.trigger.messageId)).length).toBeGreaterThan(3);
    expect(pipeline.delivered('webhook').length + pipeline.delivered('push').length).toBeGreaterThan(0);
    expect(readFileSync(join(dataDir, 'handlers.log'), 'utf8')).toContain('moment detected');
  });
});
