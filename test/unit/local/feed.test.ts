import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInputFile } from '../../../local/feed';

function file(lines: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mm-feed-')), 'in.jsonl');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const signal = (id: string, timestamp: string) =>
  JSON.stringify({ type: 'track', event: 'Product Viewed', messageId: id, timestamp, userId: `u-${id}` });

describe('npm start --input', () => {
  test('sends every line as it is, malformed ones included, keyed by user id', () => {
    const { records } = readInputFile(file([signal('a', '2026-01-01T10:00:00.000Z'), '{"truncated":', signal('b', '2026-01-01T10:05:00.000Z')]));
    expect(records.map((r) => r.partitionKey)).toEqual(['u-a', 'unidentified', 'u-b']);
    expect(records.map((r) => r.messageId)).toEqual(['a', undefined, 'b']);
    expect(Buffer.from(records[1].data).toString()).toBe('{"truncated":');
  });

  test('--shift-to-now moves all times by whole days, the latest to the last day before now: gaps and times of day kept; bad lines untouched', () => {
    const now = new Date('2026-12-24T12:00:00.000Z');
    const input = readInputFile(file([signal('a', '2026-01-01T10:00:00.000Z'), 'not json', signal('b', '2026-01-01T13:05:00.000Z')]), { shiftTo: now });
    const times = [input.records[0], input.records[2]].map((r) => JSON.parse(Buffer.from(r.data).toString()).timestamp);
    // 13:05 on the 24th would be in the future: the 23rd, same clock time.
    expect(times).toEqual(['2026-12-23T10:00:00.000Z', '2026-12-23T13:05:00.000Z']);
    expect(input.shiftedByMs).toBe(356 * 86_400_000);
    expect(Buffer.from(input.records[1].data).toString()).toBe('not json');
  });

  test('--shift-by week keeps the weekday too', () => {
    const now = new Date('2026-12-24T12:00:00.000Z'); // a Thursday
    const input = readInputFile(file([signal('a', '2026-01-05T10:00:00.000Z')]), { shiftTo: now, shiftUnit: 'week' }); // a Monday
    const t = new Date(JSON.parse(Buffer.from(input.records[0].data).toString()).timestamp);
    expect(t.toISOString()).toBe('2026-12-21T10:00:00.000Z');
    expect(t.getUTCDay()).toBe(1);
  });

  test('counts the lines the time window will refuse, before and after shifting', () => {
    const lines = [signal('a', '2026-01-01T10:00:00.000Z'), signal('b', '2026-12-23T10:00:00.000Z'), 'not json'];
    const windowStart = new Date('2026-12-17T12:00:00.000Z');
    expect(readInputFile(file(lines), { windowStart })).toMatchObject({ timed: 2, olderThanWindow: 1, shiftedByMs: 0 });
    expect(readInputFile(file(lines), { windowStart, shiftTo: new Date('2026-12-24T12:00:00.000Z') })).toMatchObject({ timed: 2, olderThanWindow: 1 });
  });
});
