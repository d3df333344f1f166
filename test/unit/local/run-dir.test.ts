import { existsSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRunDir } from '../../../local/run-dir';

describe('run directories of npm start', () => {
  test('each run gets a directory of its own, latest links to the newest, the oldest beyond the limit go', () => {
    const base = mkdtempSync(join(tmpdir(), 'mm-runs-'));
    const dirs: string[] = [];
    for (let i = 0; i < 4; i++) {
      const run = createRunDir(base, new Date(Date.UTC(2026, 11, 1, 10, 0, i)), 3);
      writeFileSync(join(run.dir, 'quarantine.jsonl'), `run ${i}\n`);
      dirs.push(run.dir);
      expect(run.latest).toBe(join(base, 'latest'));
    }
    expect(new Set(dirs).size).toBe(4);
    expect(dirs[3]).toMatch(/runs\/2026-12-01T10-00-03Z-\d+$/);
    expect(readlinkSync(join(base, 'latest'))).toBe(join('runs', dirs[3].split('/').pop() as string));
    // Files never mix runs: the newest holds its own line only.
    expect(readFileSync(join(base, 'latest', 'quarantine.jsonl'), 'utf8')).toBe('run 3\n');
    expect(dirs.map((d) => existsSync(d))).toEqual([false, true, true, true]);
  });
});
