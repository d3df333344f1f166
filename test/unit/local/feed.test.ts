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
    const records = readInputFile(file([signal('a', '2026-01-01T10:00:00.000Z'), '{"truncated":', signal('b', '2026-01-01T10:05:00.000Z')]));
    expect(records.map((r) => r.partitionKey)).toEqual(['u-a', 'unidentified', 'u-b']);
    expect(records.map((r) => r.messageId)).toEqual(['a', undefined, 'b']);
    expect(Buffer.from(records[1].data).toString()).toBe('{"truncated":');
  });

  test('--shift-to-now moves all times so the latest is now, keeping the gaps; bad lines untouched', () => {
    const now = new Date('2026-12-24T12:00:00.000Z');
    const records = readInputFile(file([signal('a', '2026-01-01T10:00:00.000Z'), 'not json', signal('b', '2026-01-01T10:05:00.000Z')]), { shiftTo: now });
    const times = [records[0], records[2]].map((r) => JSON.parse(Buffer.from(r.data).toString()).timestamp);
    expect(times).toEqual(['2026-12-24T11:55:00.000Z', '2026-12-24T12:00:00.000Z']);
    expect(Buffer.from(records[1].data).toString()).toBe('not json');
  });
});
