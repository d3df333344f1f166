/**
 * Each `npm start` writes its files (handler logs, quarantine, on-failure destinations, notify
 * failures) to a directory of its own, `<base>/runs/<UTC time>-<pid>`, so a run's files hold that
 * run only; `<base>/latest` links to the newest. The oldest runs beyond KEEP_RUNS are removed, so
 * `.local/` does not grow without end.
 */
import { mkdirSync, readdirSync, rmSync, symlinkSync, unlinkSync, lstatSync } from 'node:fs';
import { join } from 'node:path';

export const KEEP_RUNS = 10;

/** `2026-12-01T10-15-30Z`: sortable, and valid in a file name everywhere. */
const stamp = (d: Date) => `${d.toISOString().slice(0, 19).replace(/:/g, '-')}Z`;

export interface RunDir {
  dir: string;
  /** The link to the newest run (`<base>/latest`), or undefined where links cannot be made. */
  latest?: string;
  /** Older runs removed to keep KEEP_RUNS. */
  removed: string[];
}

export function createRunDir(base: string, now = new Date(), keep = KEEP_RUNS): RunDir {
  const runs = join(base, 'runs');
  const name = `${stamp(now)}-${process.pid}`;
  const dir = join(runs, name);
  mkdirSync(dir, { recursive: true });
  const removed: string[] = [];
  const older = readdirSync(runs).filter((n) => n !== name).sort();
  for (const old of older.slice(0, Math.max(0, older.length - (keep - 1)))) {
    rmSync(join(runs, old), { recursive: true, force: true });
    removed.push(join(runs, old));
  }
  const latest = join(base, 'latest');
  try {
    if (lstatSync(latest, { throwIfNoEntry: false })) unlinkSync(latest);
    symlinkSync(join('runs', name), latest);
    return { dir, latest, removed };
  } catch {
    // A file system without links (some Windows setups): the report names the directory anyway.
    return { dir, removed };
  }
}
