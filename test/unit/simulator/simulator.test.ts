import { defaultConfig } from '../../../shared/config/defaults';
import { parseSignal, validateSignal, type Signal } from '../../../shared/contracts';
import { deviceClassOf } from '../../../shared/enrich/context';
import { sensitiveInputOf } from '../../../shared/enrich/features';
import { haversineMeters } from '../../../shared/geo/distance';
import { classifySensitive } from '../../../shared/privacy/sensitive';
import {
  createSimulator,
  JOURNEY_KINDS,
  MALFORMATIONS,
  plannedRecords,
  type SimulatedRecord,
  type SimulatorOptions,
} from '../../../local/simulator';

const START = new Date('2026-11-23T08:00:00.000Z');
const base: SimulatorOptions = { seed: 42, customers: 300, ratePerSecond: 100, durationSeconds: 100, config: defaultConfig, startTime: START };
const run = (over: Partial<SimulatorOptions> = {}): SimulatedRecord[] => [...createSimulator({ ...base, ...over })];

/** 10k records with shares big enough to count: shared by the tests that only read them. */
const SHARES = { malformedShare: 0.05, sensitiveShare: 0.08 };
const big = run(SHARES);
const valid = big.filter((r) => r.kind === 'valid');
const text = (r: SimulatedRecord) => Buffer.from(r.record).toString('latin1');
const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g;
const withoutTimestamps = (records: SimulatedRecord[]) => records.map((r) => ({ ...r, record: text(r).replace(ISO, '<ts>'), signal: undefined }));

describe('createSimulator: determinism', () => {
  it('gives byte-identical records for the same seed and start time', () => {
    const again = run(SHARES);
    expect(again).toHaveLength(big.length);
    expect(again.map(text)).toEqual(big.map(text));
    expect(again.map((r) => [r.at, r.partitionKey, r.kind, r.label])).toEqual(big.map((r) => [r.at, r.partitionKey, r.kind, r.label]));
  });

  it('gives other records for another seed', () => {
    const other = run({ ...SHARES, seed: 43 });
    const same = other.filter((r, i) => text(r) === text(big[i])).length;
    expect(same).toBe(0);
  });

  it('stamps startTime + at, and with another start time changes nothing but the timestamps', () => {
    for (const r of valid.slice(0, 500)) expect(r.signal!.timestamp).toBe(new Date(START.getTime() + r.at).toISOString());
    const later = run({ ...SHARES, startTime: new Date('2027-03-01T17:30:00.000Z') });
    expect(withoutTimestamps(later)).toEqual(withoutTimestamps(big));
    expect(later.map(text)).not.toEqual(big.map(text));
  });

  it('with a clock, stamps the clock time when the record is generated, and changes nothing else', () => {
    let t = Date.parse('2030-01-01T00:00:00.000Z');
    const clock = () => (t += 7);
    const stamped: number[] = [];
    const records: SimulatedRecord[] = [];
    for (const r of createSimulator({ ...base, ...SHARES, clock })) {
      records.push(r);
      stamped.push(t);
    }
    expect(withoutTimestamps(records)).toEqual(withoutTimestamps(big));
    records.forEach((r, i) => {
      if (r.kind === 'valid') expect(r.signal!.timestamp).toBe(new Date(stamped[i]).toISOString());
    });
  });
});

describe('createSimulator: rate, duration and options', () => {
  it('yields rate × duration records, evenly spread over the duration', () => {
    const records = run({ ratePerSecond: 7.5, durationSeconds: 10 });
    expect(records).toHaveLength(75);
    expect(plannedRecords({ ratePerSecond: 7.5, durationSeconds: 10 })).toBe(75);
    expect(records.map((r) => r.at)).toEqual(records.map((_, i) => Math.floor((i * 1000) / 7.5)));
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i));
    expect(records[records.length - 1].at).toBeLessThan(10_000);
  });

  it('runs without end when the duration is Infinity', () => {
    const sim = createSimulator({ ...base, durationSeconds: Infinity, ratePerSecond: 1 });
    let n = 0;
    for (const r of sim) {
      if (++n === 20_000) {
        expect(r.at).toBe(19_999_000);
        break;
      }
    }
    expect(n).toBe(20_000);
  });

  it.each([
    [{ seed: 1.5 }, 'Simulator.seed: must be an integer, got 1.5'],
    [{ customers: 0 }, 'Simulator.customers: must be an integer >= 1, got 0'],
    [{ ratePerSecond: 0 }, 'Simulator.ratePerSecond: must be a number > 0, got 0'],
    [{ durationSeconds: -1 }, 'Simulator.durationSeconds: must be > 0'],
    [{ malformedShare: 1.2 }, 'Simulator.malformedShare: must be in [0, 1], got 1.2'],
    [{ malformedShare: 0.6, sensitiveShare: 0.6 }, 'Simulator.malformedShare + sensitiveShare: must be at most 1'],
    [{ startTime: new Date('nope') }, 'Simulator.startTime: must be a valid date'],
  ])('rejects %j naming the option', (over, message) => {
    expect(() => run(over)).toThrow(message);
  });
});

describe('createSimulator: record kinds', () => {
  const share = (kind: SimulatedRecord['kind']) => big.filter((r) => r.kind === kind).length / big.length;

  it('respects the declared shares of malformed and sensitive records over 10k records', () => {
    expect(big).toHaveLength(10_000);
    expect(Math.abs(share('malformed') - SHARES.malformedShare)).toBeLessThan(0.01);
    expect(Math.abs(share('sensitive') - SHARES.sensitiveShare)).toBeLessThan(0.012);
    const defaults = run({ malformedShare: undefined, sensitiveShare: undefined });
    const d = (kind: string) => defaults.filter((r) => r.kind === kind).length / defaults.length;
    expect(Math.abs(d('malformed') - 0.02)).toBeLessThan(0.006);
    expect(Math.abs(d('sensitive') - 0.03)).toBeLessThan(0.008);
    expect(run({ malformedShare: 0, sensitiveShare: 0 }).every((r) => r.kind === 'valid')).toBe(true);
  });

  it('makes every valid and sensitive record a valid signal, equal to the signal it reports', () => {
    for (const r of big.filter((x) => x.kind !== 'malformed')) {
      const parsed = parseSignal(r.record);
      if (!parsed.ok) throw new Error(`${r.kind} ${r.label} record ${r.seq} is invalid: ${parsed.error}`);
      expect(validateSignal(r.signal).ok).toBe(true);
      expect(parsed.value).toEqual(r.signal);
      expect(r.messageId).toBe(r.signal!.messageId);
      expect(r.partitionKey).toBe(r.signal!.userId ?? r.signal!.anonymousId);
    }
  });

  it('makes every malformed record fail the contract, with every kind of malformation present', () => {
    const malformed = big.filter((r) => r.kind === 'malformed');
    for (const r of malformed) {
      const parsed = parseSignal(r.record);
      if (parsed.ok) throw new Error(`malformed record ${r.seq} (${r.label}) passes validation: ${text(r).slice(0, 200)}`);
      expect(r.signal).toBeUndefined();
      expect(r.partitionKey.length).toBeGreaterThan(0);
    }
    expect(new Set(malformed.map((r) => r.label))).toEqual(new Set(MALFORMATIONS));
    const reasons = new Set(malformed.map((r) => (parseSignal(r.record) as { error: string }).error.match(/\((\w+)\)$/)?.[1]));
    for (const rule of ['json', 'encoding', 'maxRecordBytes', 'required', 'type', 'enum', 'format', 'anyOf']) expect(reasons).toContain(rule);
  });

  it('makes every sensitive signal one the classifier drops, and no valid signal one it drops', () => {
    for (const r of big.filter((x) => x.kind === 'sensitive')) {
      expect(classifySensitive(sensitiveInputOf(r.signal!), defaultConfig.sensitive)).toBeDefined();
    }
    for (const r of valid) {
      const hit = classifySensitive(sensitiveInputOf(r.signal!), defaultConfig.sensitive);
      if (hit) throw new Error(`valid ${r.label} signal ${r.seq} is sensitive (${hit.category}: ${hit.matched})`);
    }
    const topics = new Set(big.filter((r) => r.kind === 'sensitive').map((r) => r.label));
    for (const topic of ['pregnancy', 'medical', 'religion']) expect(topics).toContain(topic);
  });
});

describe('createSimulator: customers and journeys', () => {
  const events = (r: SimulatedRecord) => {
    const s = r.signal!;
    return s.type === 'track' ? s.event : s.type === 'identify' ? 'Identify' : 'View';
  };
  const byCustomer = new Map<number, SimulatedRecord[]>();
  for (const r of valid) byCustomer.set(r.customer, [...(byCustomer.get(r.customer) ?? []), r]);

  it('walks journeys of every kind', () => {
    const counts = new Map<string, number>();
    for (const r of valid) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
    for (const kind of JOURNEY_KINDS) expect(counts.get(kind) ?? 0).toBeGreaterThan(0);
  });

  it('keeps each customer in order: one journey at a time, timestamps never going back', () => {
    for (const records of byCustomer.values()) {
      for (let i = 1; i < records.length; i++) expect(records[i].signal!.timestamp >= records[i - 1].signal!.timestamp).toBe(true);
    }
  });

  it('walks buy journeys as views, add to cart, cart, checkout and sometimes an order', () => {
    let orders = 0;
    for (const records of byCustomer.values()) {
      const buy = records.filter((r) => r.label === 'buy').map(events).join(',');
      if (!buy) continue;
      // Whole journeys, then possibly one the end of the simulation cut short.
      expect(`${buy},`).toMatch(
        /^((Products Searched,)?(Product Viewed,){1,3}Product Added,Cart Viewed,Checkout Started,(Order Completed,)?)*((Products Searched,)?(Product Viewed,){0,3}(Product Added,(Cart Viewed,)?)?)$/,
      );
      orders += (buy.match(/Order Completed/g) ?? []).length;
    }
    expect(orders).toBeGreaterThan(0);
  });

  it('walks go journeys on a phone or tablet near a configured store, starting with a search', () => {
    const go = valid.filter((r) => r.label === 'go');
    for (const r of go) {
      const s = r.signal!;
      expect(['mobile', 'tablet']).toContain(deviceClassOf(s));
      const { latitude, longitude } = s.context!.location as { latitude: number; longitude: number };
      const nearest = Math.min(...defaultConfig.locations.map((l) => haversineMeters(latitude, longitude, l.latitude, l.longitude)));
      expect(nearest).toBeLessThan(700);
    }
    expect(go.some((r) => events(r) === 'Products Searched' && /near me/.test(String(r.signal!.properties!.query)))).toBe(true);
    expect(go.some((r) => events(r) === 'Directions Requested')).toBe(true);
  });

  it('walks do, know and life-event journeys with the content the scorer reads', () => {
    const doEvents = valid.filter((r) => r.label === 'do');
    expect(doEvents.some((r) => r.signal!.properties?.query === 'how to fix a leaking tap')).toBe(true);
    expect(doEvents.some((r) => events(r) === 'Video Playback Started')).toBe(true);
    expect(doEvents.some((r) => r.signal!.category === 'how-to')).toBe(true);
    const know = valid.filter((r) => r.label === 'know');
    expect(know.some((r) => r.signal!.properties?.query === 'best running shoes 2026')).toBe(true);
    expect(know.some((r) => events(r) === 'Review Read')).toBe(true);
    const life = valid.filter((r) => events(r) === 'Life Event').map((r) => r.signal!.properties!.type);
    expect(new Set(life)).toContain('moved');
    expect(new Set(life)).toContain('new-job');
    for (const t of life) expect(defaultConfig.scoring.lifeEvents.allowedTypes).toContain(t);
  });

  it('sends lone passive geofences in the background', () => {
    const geo = valid.filter((r) => r.label === 'background-geofence');
    expect(geo.length).toBeGreaterThan(0);
    for (const r of geo) {
      expect(events(r)).toBe('Location Entered');
      expect(r.signal!.context!.background).toBe(true);
    }
  });

  it('mixes devices, timezones of the configured stores and consent choices', () => {
    const devices = new Set(valid.map((r) => deviceClassOf(r.signal!)));
    expect(devices).toEqual(new Set(['mobile', 'tablet', 'desktop']));
    const zones = new Set(valid.map((r) => r.signal!.context!.timezone));
    expect(zones).toEqual(new Set(defaultConfig.locations.map((l) => l.timezone)));
    const prefs = valid.map((r) => r.signal!.context!.consent!.categoryPreferences!);
    expect(prefs.filter((p) => p.personalization && p.push && p.webhook && p.sms).length / prefs.length).toBeGreaterThan(0.5);
    expect(prefs.some((p) => p.personalization === false)).toBe(true);
    expect(prefs.some((p) => p.personalization && !p.push && !p.webhook && !p.sms)).toBe(true);
  });

  it('has customers who start anonymous and are identified later, under the same anonymousId', () => {
    const signIns = valid.filter((r) => r.label === 'sign-in');
    expect(signIns.length).toBeGreaterThan(0);
    for (const r of signIns) {
      const s = r.signal! as Signal;
      expect(s.type).toBe('identify');
      expect(s.userId).toBeDefined();
      const records = byCustomer.get(r.customer)!;
      const i = records.indexOf(r);
      expect(i).toBeGreaterThan(0);
      for (const before of records.slice(0, i)) {
        expect(before.signal!.userId).toBeUndefined();
        expect(before.signal!.anonymousId).toBe(s.anonymousId);
        expect(before.partitionKey).toBe(s.anonymousId);
      }
      for (const after of records.slice(i)) expect(after.signal!.userId).toBe(s.userId);
    }
  });

  it('sends identify calls with traits: timezone, home location, sometimes an email to be stripped', () => {
    const identifies = valid.filter((r) => r.signal!.type === 'identify');
    for (const r of identifies) {
      expect(r.signal!.traits!.timezone).toBe(r.signal!.context!.timezone);
      expect(r.signal!.traits!.location).toEqual({ latitude: expect.any(Number), longitude: expect.any(Number) });
    }
    expect(identifies.some((r) => typeof r.signal!.traits!.email === 'string')).toBe(true);
  });
});
