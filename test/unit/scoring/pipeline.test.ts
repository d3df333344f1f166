/**
 * scoreBatch with every port in memory: the order it owns (moments written, then published, then
 * the state as the commit point), what it reports when a port fails, and redelivery.
 */
import { defaultConfig } from '../../../shared/config/defaults';
import type { EnrichedSignal } from '../../../shared/contracts/enriched';
import type { MomentDetectedDetail } from '../../../shared/contracts/events';
import { MemoryPublisher, PublishError, type OutgoingEvent } from '../../../shared/events/publisher';
import { scoreBatch, type ScorePorts } from '../../../shared/scoring/pipeline';
import type { ScoreState } from '../../../shared/scoring/state';
import { InMemoryStateStore } from '../../../shared/store/in-memory-state-store';
import { MemoryQuarantine, QuarantineError, type QuarantineEntry } from '../../../shared/stream/quarantine';
import type { StreamRecord } from '../../../shared/stream/record';
import { at, enriched, KEY, OTHER_KEY } from './builders';
import type { CustomerGuards } from '../../../shared/privacy/customer-guard';

const NOW = new Date('2026-11-23T08:10:00.000Z');

const coffee = (customerKey: string, minutes: number, messageId: string) =>
  enriched({ customerKey, messageId, event: 'Products Searched', timestamp: at(minutes), features: { query: 'coffee near me' }, context: { deviceClass: 'mobile', daypart: 'morning' } });

let seq = 0;
const record = (value: EnrichedSignal | string): StreamRecord => ({
  data: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  sequenceNumber: String(++seq).padStart(6, '0'),
  shardId: 'shardId-000000000000',
  partitionKey: 'pk',
  arrivedAtMs: NOW.getTime(),
  stream: 'micro-moments-test-enriched',
});

/** In-memory ports that log every call, in order, so the test can read the protocol. */
function ports(overrides: { publish?: (events: OutgoingEvent[]) => Promise<void>; putStates?: (states: readonly ScoreState[]) => Promise<{ failed: string[] }>; send?: (e: QuarantineEntry[]) => Promise<void> } = {}) {
  const calls: string[] = [];
  const states = new InMemoryStateStore();
  const publisher = new MemoryPublisher();
  const quarantine = new MemoryQuarantine();
  const customers = (list: readonly { customerKey: string }[]) => [...new Set(list.map((x) => x.customerKey.slice(0, 1)))].join('');
  const guards: CustomerGuards = { tombstones: new Map(), withdrawn: new Set() };
  const p: ScorePorts = {
    scoring: defaultConfig.scoring,
    window: defaultConfig,
    guards: { readGuards: async () => guards },
    sensitive: defaultConfig.sensitive,
    now: () => NOW,
    states: {
      getStates: async (keys) => {
        calls.push('getStates');
        return states.getStates(keys);
      },
      putMoments: async (moments) => {
        calls.push(`putMoments ${customers(moments)}`);
        return states.putMoments(moments);
      },
      putStates: async (list) => {
        calls.push(`putStates ${customers(list)}`);
        return overrides.putStates ? overrides.putStates(list) : states.putStates(list);
      },
    },
    publisher: {
      publish: async (events) => {
        calls.push(`publish ${customers(events.map((e) => e.detail as MomentDetectedDetail))}`);
        return overrides.publish ? overrides.publish(events) : publisher.publish(events);
      },
    },
    quarantine: {
      send: async (entries) => {
        calls.push('quarantine');
        return overrides.send ? overrides.send(entries) : quarantine.send(entries);
      },
    },
  };
  return { ports: p, calls, states, publisher, quarantine, guards };
}

const momentIds = (events: OutgoingEvent[]) => events.map((e) => (e.detail as MomentDetectedDetail).momentId);

describe('scoreBatch', () => {
  it('writes the moments, then publishes them, then writes the states, and reports nothing', async () => {
    const rig = ports();
    const batch = [coffee(KEY, 0, 'a1'), coffee(OTHER_KEY, 0, 'b1')].map(record);
    const result = await scoreBatch(batch, rig.ports);
    expect(rig.calls).toEqual(['getStates', 'putMoments ab', 'publish ab', 'putStates ab']);
    expect(result.failed.size).toBe(0);
    expect(result.published.map((m) => m.trigger.messageId)).toEqual(['a1', 'b1']);
    expect(momentIds(rig.publisher.events)).toEqual(result.moments.map((m) => m.momentId));
    expect([...rig.states.states.keys()]).toEqual([KEY, OTHER_KEY]);
    expect(result.counts).toEqual({ records: 2, valid: 2, dropped: { erased: 0, 'no-consent': 0 }, quarantined: 0, sensitive: 0, customers: 2, moments: 2, skipped: 0, failedRecords: 0 });
  });

  it('does not write the state of a customer whose moment cannot be published, and reports all its records', async () => {
    const rig = ports({
      publish: async (events) => {
        const failures = events.filter((e) => (e.detail as MomentDetectedDetail).customerKey === OTHER_KEY).map((entry) => ({ entry, error: 'ThrottlingException' }));
        if (failures.length > 0) throw new PublishError(failures);
      },
    });
    const batch = [coffee(KEY, 0, 'a1'), coffee(OTHER_KEY, 0, 'b1'), enriched({ customerKey: OTHER_KEY, event: 'Page Viewed', timestamp: at(1) })].map(record);
    const result = await scoreBatch(batch, rig.ports);
    expect(rig.calls).toEqual(['getStates', 'putMoments ab', 'publish ab', 'putStates a']);
    expect([...result.failed].sort()).toEqual([batch[1].sequenceNumber, batch[2].sequenceNumber]);
    expect([...rig.states.states.keys()]).toEqual([KEY]);
    expect(result.published.map((m) => m.customerKey)).toEqual([KEY]);
  });

  it('reports every customer of the publish when the publisher fails without naming entries', async () => {
    const rig = ports({ publish: async () => Promise.reject(new Error('bus down')) });
    const batch = [coffee(KEY, 0, 'a1'), coffee(OTHER_KEY, 0, 'b1')].map(record);
    const result = await scoreBatch(batch, rig.ports);
    expect(result.failed.size).toBe(2);
    expect(rig.calls).toEqual(['getStates', 'putMoments ab', 'publish ab']);
    expect(rig.states.states.size).toBe(0);
  });

  it('does not publish nor commit a customer whose moment write fails', async () => {
    const rig = ports();
    const write = rig.ports.states.putMoments;
    rig.ports.states.putMoments = async (moments) => (await write(moments)).map((o, i) => (moments[i].customerKey === OTHER_KEY ? { status: 'failed', error: 'boom' } : o));
    const batch = [coffee(KEY, 0, 'a1'), coffee(OTHER_KEY, 0, 'b1')].map(record);
    const result = await scoreBatch(batch, rig.ports);
    expect(rig.calls).toEqual(['getStates', 'putMoments ab', 'publish a', 'putStates a']);
    expect([...result.failed]).toEqual([batch[1].sequenceNumber]);
  });

  it('reports the records of a customer whose state write fails, after publishing its moments', async () => {
    const rig = ports({ putStates: async (list) => ({ failed: list.filter((s) => s.customerKey === KEY).map((s) => s.customerKey) }) });
    const batch = [coffee(KEY, 0, 'a1'), coffee(OTHER_KEY, 0, 'b1')].map(record);
    const result = await scoreBatch(batch, rig.ports);
    expect([...result.failed]).toEqual([batch[0].sequenceNumber]);
    expect(result.published).toHaveLength(2);
  });

  it('reports every valid record when the states cannot be read, and still quarantines the bad ones', async () => {
    const rig = ports();
    rig.ports.states.getStates = async () => Promise.reject(new Error('throttled'));
    const batch = [record('{bad'), ...[coffee(KEY, 0, 'a1'), coffee(OTHER_KEY, 0, 'b1')].map(record)];
    const result = await scoreBatch(batch, rig.ports);
    expect([...result.failed].sort()).toEqual([batch[1].sequenceNumber, batch[2].sequenceNumber]);
    expect(rig.quarantine.entries).toHaveLength(1);
    expect(rig.calls).toEqual(['quarantine']);
  });

  it('quarantines a bad record with its stream coordinates and scores the rest', async () => {
    const rig = ports();
    const batch = [record('{"messageId": "m-1", oops'), record(JSON.stringify({ ...coffee(KEY, 0, 'x'), customerKey: 'someone@example.com' })), record(coffee(OTHER_KEY, 0, 'b1'))];
    const result = await scoreBatch(batch, rig.ports);
    expect(result.failed.size).toBe(0);
    expect(result.quarantined.map((q) => q.code)).toEqual(['invalid-json', 'schema']);
    expect(rig.quarantine.entries[0]).toEqual({
      reason: 'EnrichedSignal: record is not JSON (syntax error at position 21) (json)',
      code: 'invalid-json',
      stage: 'score',
      source: { stream: 'micro-moments-test-enriched', shardId: 'shardId-000000000000', sequenceNumber: batch[0].sequenceNumber, partitionKey: 'pk', arrivedAt: NOW.toISOString() },
      payloadBase64: Buffer.from('{"messageId": "m-1", oops').toString('base64'),
      quarantinedAt: NOW.toISOString(),
    });
    expect(rig.quarantine.entries[1].reason).toBe('EnrichedSignal.customerKey: must match pattern "^[0-9a-f]{64}$" (pattern)');
    expect(result.published.map((m) => m.trigger.messageId)).toEqual(['b1']);
  });

  it('reports only the quarantined records the sink says it lost', async () => {
    const rig = ports({ send: async (entries) => Promise.reject(new QuarantineError([{ entry: entries[1], error: 'InternalError' }])) });
    const batch = [record('{bad'), record('[1'), record(coffee(KEY, 0, 'a1'))];
    const result = await scoreBatch(batch, rig.ports);
    expect([...result.failed]).toEqual([batch[1].sequenceNumber]);
  });

  it('is idempotent under redelivery: the same batch again writes, publishes and commits nothing', async () => {
    const rig = ports();
    const batch = [coffee(KEY, 0, 'a1'), coffee(KEY, 1, 'a2'), coffee(OTHER_KEY, 0, 'b1')].map(record);
    const first = await scoreBatch(batch, rig.ports);
    const committed = new Map(rig.states.states);
    rig.calls.length = 0;
    const again = await scoreBatch(batch, rig.ports);
    expect(again.failed.size).toBe(0);
    expect(again.counts.skipped).toBe(3);
    expect(again.moments).toEqual([]);
    expect(rig.calls).toEqual(['getStates']);
    expect(rig.states.states).toEqual(committed);
    expect(rig.states.moments.size).toBe(first.moments.length);
  });

  it('after a failed publish, the redelivery derives the same moments, publishes them and commits', async () => {
    let down = true;
    const rig = ports({ publish: async (events) => (down ? Promise.reject(new Error('bus down')) : rig.publisher.publish(events)) });
    const batch = [coffee(KEY, 0, 'a1'), coffee(OTHER_KEY, 0, 'b1')].map(record);
    const first = await scoreBatch(batch, rig.ports);
    expect(first.failed.size).toBe(2);
    expect(rig.states.moments.size).toBe(2);
    down = false;
    const retry = await scoreBatch(batch, rig.ports);
    expect(retry.failed.size).toBe(0);
    expect(momentIds(rig.publisher.events)).toEqual(first.moments.map((m) => m.momentId));
    // The conditional writes found them written: one item per moment.
    expect(rig.states.moments.size).toBe(2);
    expect(rig.states.states.size).toBe(2);
  });

  it('drops, before scoring, the signals of a customer erased since they were enriched, and of one who withdrew personalization', async () => {
    const rig = ports();
    const erasedAt = at(5);
    rig.guards.tombstones.set(KEY, { customerKey: KEY, erasedAt });
    rig.guards.withdrawn.add(OTHER_KEY);
    const third = 'c'.repeat(64);
    const later = new Date(Date.parse(erasedAt) + 11 * 60_000).toISOString();
    const batch = [
      coffee(KEY, 0, 'a1'), // stamped and enriched before the erasure
      { ...coffee(KEY, 0, 'a2'), timestamp: later, enrichedAt: erasedAt }, // enriched before it, however stamped
      coffee(OTHER_KEY, 0, 'b1'),
      coffee(third, 0, 'c1'),
    ].map(record);
    // The records reached the enriched stream after the erasure: only their own times give them away.
    for (const r of batch) r.arrivedAtMs = Date.parse(later);
    const result = await scoreBatch(batch, rig.ports);
    expect(result.counts.dropped).toEqual({ erased: 2, 'no-consent': 1 });
    expect(result.moments.map((m) => m.customerKey)).toEqual([third]);
    expect([...rig.states.states.keys()]).toEqual([third]);
    expect(rig.calls).toEqual(['getStates', 'putMoments c', 'publish c', 'putStates c']);
    expect(result.failed.size).toBe(0);
  });

  it('scores what the erased customer did after the erasure (stamped, enriched and arrived after it)', async () => {
    const rig = ports();
    rig.guards.tombstones.set(KEY, { customerKey: KEY, erasedAt: at(-30) });
    const result = await scoreBatch([coffee(KEY, 0, 'a1')].map(record), rig.ports);
    expect(result.counts.dropped).toEqual({ erased: 0, 'no-consent': 0 });
    expect(result.moments).toHaveLength(1);
  });

  it('returns each applied signal\'s scores when asked', async () => {
    const rig = ports();
    const result = await scoreBatch([coffee(KEY, 0, 'a1'), coffee(KEY, 1, 'a2')].map(record), rig.ports, { withScores: true });
    expect(result.scores.map((s) => s.messageId)).toEqual(['a1', 'a2']);
    expect(result.scores[1].scores.go).toBeGreaterThan(result.scores[0].scores.go);
  });
});
