/**
 * A Lambda bundle carries only the AWS clients its entry point lists (functions/<name>/index.ts,
 * BUNDLE_CHOICES.clients 'used'); reading another throws at run time. This reads each handler's
 * source for the ports it takes and fails here, before a deploy, when a port's client is missing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The client each Runtime port is built on (shared/adapters/runtime.ts). */
const PORT_CLIENT: Record<string, string> = { stores: 'dynamo', publisher: 'eventBridge', quarantine: 'sqs', secrets: 'secrets' };

/** The clients `runtimeFromEnvironment('<fn>', { ... })` is given in functions/<fn>/index.ts. */
function listedClients(fn: string): string[] {
  const m = /runtimeFromEnvironment\('\w+',\s*\{([^}]*)\}\)/.exec(read(`functions/${fn}/index.ts`));
  if (!m) throw new Error(`functions/${fn}/index.ts does not call runtimeFromEnvironment with its clients`);
  return m[1].split(',').map((kv) => kv.split(':')[0].trim()).filter(Boolean);
}

/** The clients a source reads: through a port (`runtime.publisher`) or directly (`runtime.clients.sqs`). */
function clientsRead(source: string): string[] {
  const ports = [...source.matchAll(/runtime\.(stores|publisher|quarantine|secrets)\b/g)].map((m) => PORT_CLIENT[m[1]]);
  const direct = [...source.matchAll(/\bclients\.(dynamo|doc|kinesis|eventBridge|sqs|sns|secrets)\b/g)].map((m) => (m[1] === 'doc' ? 'dynamo' : m[1]));
  return [...new Set([...ports, ...direct])].sort();
}

describe('the clients a Lambda entry point lists', () => {
  test.each(['enrich', 'score', 'notify', 'privacy'])('%s lists every client its handler reads', (fn) => {
    let sources = [read(`functions/${fn}/handler.ts`)];
    // notify loads its channel's adapter, which may read a client of its own.
    if (fn === 'notify') sources = sources.concat(readdirSync(join(ROOT, 'shared', 'adapters')).filter((f) => f.endsWith('-channel.ts') || f === 'channel-adapters.ts').map((f) => read(`shared/adapters/${f}`)));
    const needed = clientsRead(sources.join('\n'));
    expect(needed.length).toBeGreaterThan(0);
    expect(needed.filter((c) => !listedClients(fn).includes(c))).toEqual([]);
  });

  test('the source reader finds ports and direct reads (so the check above can fail)', () => {
    expect(clientsRead('const q = runtime.quarantine; runtime.clients.kinesis.send(x); runtime.stores.profiles; c.clients.doc')).toEqual(['dynamo', 'kinesis', 'sqs']);
  });
});
