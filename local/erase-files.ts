/**
 * Erasure in local mode's files: `npm start` keeps, under its data directory (`.local/`), the
 * quarantine (`quarantine.jsonl`, raw payloads), the notify failures (`notify-failures.jsonl`,
 * whole moments), the handlers' log (`handlers.log`, customer keys) and the on-failure records
 * (coordinates only). The privacy CLI rewrites each: a line goes when it names the customer key, or
 * is a quarantined record whose payload keys to that customer as enrich would
 * (shared/privacy/quarantine-purge.ts).
 *
 * A running `npm start` appends to these files: a file that grew while it was read is read again
 * (a few times), so a line appended meanwhile is not lost; the swap itself is a rename.
 */
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QuarantineEntry } from '../shared/stream/quarantine';
import type { KeyOf } from '../shared/enrich/record-identity';
import { quarantineCustomerKey, type QuarantinePurge, type QuarantinePurgeReport } from '../shared/privacy/quarantine-purge';

const ATTEMPTS = 5;

function verdict(line: string, customerKey: string, keyOf: KeyOf): 'theirs' | 'unattributed' | 'other' {
  if (line.includes(customerKey)) return 'theirs';
  if (!line.includes('"payloadBase64"')) return 'other';
  let entry: Partial<QuarantineEntry>;
  try {
    entry = JSON.parse(line) as Partial<QuarantineEntry>;
  } catch {
    return 'other';
  }
  const key = quarantineCustomerKey(entry, keyOf);
  return key === customerKey ? 'theirs' : key === undefined ? 'unattributed' : 'other';
}

export class LocalFilePurge implements QuarantinePurge {
  constructor(
    readonly file: string,
    private readonly keyOf: KeyOf,
  ) {}

  async purge(customerKey: string): Promise<QuarantinePurgeReport> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const text = readFileSync(this.file, 'utf8');
      const report: QuarantinePurgeReport = { where: this.file, scanned: 0, deleted: 0, unattributed: 0, complete: true };
      const kept: string[] = [];
      for (const line of text.split('\n')) {
        if (line === '') continue;
        report.scanned++;
        const v = verdict(line, customerKey, this.keyOf);
        if (v === 'theirs') report.deleted++;
        else {
          if (v === 'unattributed') report.unattributed++;
          kept.push(line);
        }
      }
      if (report.deleted === 0) return report;
      const tmp = `${this.file}.erasing`;
      writeFileSync(tmp, kept.map((l) => `${l}\n`).join(''), { mode: 0o600 });
      // Appended to while we read: read again rather than lose the new lines.
      if (statSync(this.file).size !== Buffer.byteLength(text)) continue;
      renameSync(tmp, this.file);
      return report;
    }
    throw new Error(`${this.file}: still being written to after ${ATTEMPTS} reads; stop npm start and erase again`);
  }
}

/** One purge per JSON-lines file and log of a local data directory (none if it does not exist). */
export function localFilePurges(dataDir: string, keyOf: KeyOf): LocalFilePurge[] {
  if (!existsSync(dataDir)) return [];
  return readdirSync(dataDir)
    .filter((name) => name.endsWith('.jsonl') || name.endsWith('.log'))
    .sort()
    .map((name) => new LocalFilePurge(join(dataDir, name), keyOf));
}
