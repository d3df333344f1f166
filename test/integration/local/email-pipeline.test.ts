/**
 * Email in local mode (examples/email.json): moments routed to email reach the ses kind's
 * stand-in through the real SES adapter; the report counts what it took, equal to the decisions
 * sent on email; each recorded SendEmail goes from the configured address to a relay address
 * through the configuration set; no relay address, external id or user id is in a log line or
 * on the bus.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Producer } from '../../../shared/adapters/kinesis-producer';
import { loadConfig } from '../../../shared/config';
import { createSimulator } from '../../../local/simulator';
import { LocalPipeline } from '../../../local/pipeline';
import type { RecordedEmail } from '../../../local/channels/ses';
import { runFeed, type FeedRecord } from '../../../local/feed';
import { buildReport, formatReport } from '../../../local/report';
import type { BusEvent } from '../../../local/bus';

const config = loadConfig({ stage: 'itest', file: resolve(__dirname, '..', '..', '..', 'examples', 'email.json') });

test('moments routed to email are sent through the SES adapter to its stand-in, counted by the report, and leak no address', async () => {
  const records: FeedRecord[] = [];
  const userIds = new Set<string>();
  for (const r of createSimulator({ seed: 11, customers: 30, ratePerSecond: 2000, durationSeconds: 0.4, config })) {
    records.push({ at: r.at, partitionKey: r.partitionKey, data: r.record, ...(r.messageId ? { messageId: r.messageId } : {}) });
    // Malformed records are part of the feed: a user id is taken from those that parse.
    const userId = /"userId":"([^"]+)"/.exec(Buffer.from(r.record).toString('utf8'))?.[1];
    if (userId) userIds.add(userId);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'mm-email-'));
  const p = await LocalPipeline.start({ config, dataDir, pollIntervalMs: 25, retryDelayMs: 5, busRetryDelayMs: 5 });
  const events: BusEvent[] = [];
  p.bus.on('*', (e) => events.push(e));
  try {
    const producer = new Producer({ kinesis: p.emulators.clients.kinesis, streamName: p.emulators.streams.signals.name, onPut: (id, at) => p.stats.recordPut(id, at) });
    await runFeed(producer, records, { progress: p.stats.feed });
    await p.drain();
    const r = buildReport(p);
    const sent = r.counts.notificationsSent.email ?? 0;
    expect(sent).toBeGreaterThan(0);
    expect(r.counts.delivered.email).toMatchObject({ standIn: 'SES recorder', received: sent });
    expect(formatReport(r)).toMatch(new RegExp(`Delivered locally .*email ${sent} \\(SES recorder`));

    const emails = p.delivered('email') as RecordedEmail[];
    for (const e of emails) {
      expect(e.email).toMatchObject({ FromEmailAddress: 'moments@mail.example.com', ConfigurationSetName: 'local-email' });
      expect(e.email.Destination?.ToAddresses).toEqual([expect.stringMatching(/^[^@\s]+@customers\.example\.com$/)]);
      expect(e.email.Content?.Simple?.Subject?.Data).toBe(e.title);
    }
    // The addresses are the customers' user ids at the relay: they are in no log line and on no event.
    const addresses = emails.flatMap((e) => e.email.Destination?.ToAddresses ?? []);
    const logs = readFileSync(join(dataDir, 'handlers.log'), 'utf8');
    const bus = JSON.stringify(events);
    for (const secret of [...addresses, ...userIds]) {
      expect(logs.includes(secret)).toBe(false);
      expect(bus.includes(secret)).toBe(false);
    }
  } finally {
    await p.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  // A whole pipeline run: like the other local-mode tests, it needs more than the default minute on a loaded machine.
}, 180_000);
