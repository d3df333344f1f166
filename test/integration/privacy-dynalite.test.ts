/**
 * Access and erasure against DynamoDB (dynalite, in process): erasure leaves zero items of the
 * customer and every item of the others, across many pages; access returns exactly that
 * customer's items; erasing twice is fine. The operator CLI (npm run privacy) does the same
 * against the emulator's endpoint, as it would against a running `npm start`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchWrite } from '../../shared/adapters/dynamo';
import { defaultConfig } from '../../shared/config';
import { customerKeyOf, legacyCustomerKeyOf } from '../../shared/enrich/pseudonymise';
import { accessCustomer } from '../../shared/privacy/access';
import { eraseCustomer } from '../../shared/privacy/erase';
import { customerPk, SK } from '../../shared/store/keys';
import { emptyNotifyItem, encodeNotifyItem } from '../../shared/notify/notify-item';
import { main as privacyCli } from '../../scripts/privacy';
import { validateCustomerErased } from '../../shared/contracts/validate';
import { keyOf, moment, momentIdOf, NOW, profile } from '../fixtures/notify';
import { RecordingPublisher } from '../fixtures/notify-doubles';
import { DynamoCustomerItems } from '../../shared/adapters/dynamo-customer-items';
import { startDynaliteTable, type DynaliteTable } from '../fixtures/dynalite-table';

let db: DynaliteTable;
let emptyDir: string;
beforeAll(async () => {
  db = await startDynaliteTable('micro-moments-dev-customers');
  emptyDir = mkdtempSync(join(tmpdir(), 'mm-privacy-'));
});
afterAll(async () => {
  await db.stop();
  rmSync(emptyDir, { recursive: true, force: true });
});

/** The NOTIFY item of a customer who was sent one notification and holds its cap slot and cooldown. */
function notifyItem(customerKey: string): Record<string, unknown> {
  const item = emptyNotifyItem();
  item.decisions.set('0123456789abcdef', { state: 'pending', decidedAtMs: NOW.getTime(), leaseUntilMs: NOW.getTime() + 35_000, attempt: 1 });
  item.reservations.capDays.set('2026-11-24', ['0123456789abcdef']);
  item.reservations.cooldowns.set('go', { holder: '0123456789abcdef', untilMs: NOW.getTime() + 3_600_000 });
  return { pk: customerPk(customerKey), sk: SK.notify, kind: 'notify', ...encodeNotifyItem(item, 1), expiresAt: 2_000_000_000 };
}

/**
 * A customer with a profile, a state, `moments` moments with their notifications, the NOTIFY
 * item, and the items NOTIFY replaced (caps, cooldowns, decisions) as a partition written before it holds them.
 */
async function seed(customerKey: string, moments: number) {
  const items: Record<string, unknown>[] = [
    { pk: customerPk(customerKey), sk: 'PROFILE', ...profile({ customerKey }) },
    { pk: customerPk(customerKey), sk: 'STATE', kind: 'state', state: { customerKey, watermarkMs: 1 } },
    notifyItem(customerKey),
    { pk: customerPk(customerKey), sk: 'CAP#D#2026-11-24', kind: 'cap', count: 1, ids: new Set(['n0']) },
    { pk: customerPk(customerKey), sk: 'COOL#go', kind: 'cooldown', untilMs: 1 },
  ];
  for (let i = 0; i < moments; i++) {
    const m = moment({ customerKey, momentId: momentIdOf(`${customerKey}-${i}`), detectedAt: new Date(NOW.getTime() + i * 1000).toISOString() });
    items.push({ pk: customerPk(customerKey), sk: `M#${m.detectedAt}#${m.momentId}`, kind: 'moment', ...m, expiresAt: 2_000_000_000 });
    items.push({ pk: customerPk(customerKey), sk: `N#${m.detectedAt}#${i}`, kind: 'notification', outcome: 'suppressed', reason: 'QUIET_HOURS', momentId: m.momentId });
    items.push({ pk: customerPk(customerKey), sk: `DEC#${m.momentId}#push`, kind: 'decision', state: 'done' });
  }
  await batchWrite(db.clients.doc, db.table, items.map((put) => ({ put })));
  return items.length;
}

async function count(customerKey: string): Promise<number> {
  let n = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db.clients.doc.send(
      new QueryCommand({ TableName: db.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': customerPk(customerKey) }, Select: 'COUNT', ExclusiveStartKey: start }),
    );
    n += res.Count ?? 0;
    start = res.LastEvaluatedKey;
  } while (start);
  return n;
}

describe('privacy against dynalite', () => {
  const A = keyOf('privacy-a');
  const B = keyOf('privacy-b');

  it('access returns exactly that customer, with moment reasons and notification reasons, across pages', async () => {
    const seededA = await seed(A, 40);
    const seededB = await seed(B, 5);
    const doc = await accessCustomer({ customers: new DynamoCustomerItems(db.clients.doc, db.table, { pageSize: 25 }) }, A, NOW);
    expect(doc.customerKey).toBe(A);
    expect(doc.profile).toMatchObject({ itemKey: 'PROFILE', customerKey: A, consent: { push: true } });
    expect(doc.state).toMatchObject({ itemKey: 'STATE' });
    expect(doc.moments).toHaveLength(40);
    expect(doc.moments[0].reasons).toEqual(moment().reasons);
    expect(doc.moments[0].retainedUntil).toBe(new Date(2_000_000_000 * 1000).toISOString());
    expect(doc.notifications).toHaveLength(40);
    expect(doc.notifications[0]).toMatchObject({ outcome: 'suppressed', reason: 'QUIET_HOURS' });
    expect(doc.notificationControls.caps[0].ids).toEqual(['n0']);
    // The NOTIFY item decoded: readable times, no packed body, no version counter.
    expect(doc.notificationControls.notify).toEqual({
      itemKey: 'NOTIFY',
      retainedUntil: new Date(2_000_000_000 * 1000).toISOString(),
      decisions: [{ notification: '0123456789abcdef', state: 'pending', decidedAt: NOW.toISOString(), attempt: 1 }],
      capSlots: [{ day: '2026-11-24', notifications: ['0123456789abcdef'] }],
      cooldowns: [{ intent: 'go', until: new Date(NOW.getTime() + 3_600_000).toISOString(), notification: '0123456789abcdef' }],
    });
    expect(Object.values(doc.counts).reduce((a, b) => a + b, 0)).toBe(seededA);
    // Nothing of B anywhere in A's document, and the document is plain JSON.
    const text = JSON.stringify(doc);
    expect(text).not.toContain(B);
    expect(JSON.parse(text)).toEqual(doc);
    expect(seededB).toBe(20);
  });

  it('erasure deletes every item of the customer over many pages, touches no other, and announces it', async () => {
    const seeded = await count(A);
    const otherBefore = await count(B);
    const publisher = new RecordingPublisher();
    const report = await eraseCustomer({ customers: new DynamoCustomerItems(db.clients.doc, db.table, { pageSize: 25 }), publisher, tombstoneDays: 31 }, A, 'req-1', () => NOW);
    expect(report.itemsDeleted).toBe(seeded);
    expect(report.byKind).toMatchObject({ profile: 1, state: 1, moments: 40, notifications: 40, notify: 1, decisions: 40, caps: 1, cooldowns: 1, tombstone: 0, other: 0 });
    // Only the tombstone is left: the key, when, and when it goes; nothing else.
    expect(await count(A)).toBe(1);
    const left = await db.clients.doc.send(new QueryCommand({ TableName: db.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': customerPk(A) } }));
    expect(left.Items).toEqual([
      { pk: customerPk(A), sk: 'TOMBSTONE', kind: 'tombstone', customerKey: A, erasedAt: NOW.toISOString(), expiresAt: Math.floor(NOW.getTime() / 1000) + 31 * 86400 },
    ]);
    expect(report.tombstoneUntil).toBe(new Date(NOW.getTime() + 31 * 86_400_000).toISOString());
    expect(await count(B)).toBe(otherBefore);
    expect(publisher.events).toHaveLength(1);
    expect(publisher.events[0].detailType).toBe('Customer Erased');
    expect(validateCustomerErased(publisher.events[0].detail).ok).toBe(true);
    expect(publisher.events[0].detail).toMatchObject({ customerKey: A, requestId: 'req-1', itemsDeleted: seeded });
  });

  it('erasing twice is fine: nothing left to delete, the tombstone moved forward, announced again', async () => {
    const publisher = new RecordingPublisher();
    const later = new Date(NOW.getTime() + 60_000);
    const report = await eraseCustomer({ customers: new DynamoCustomerItems(db.clients.doc, db.table), publisher, tombstoneDays: 31 }, A, 'req-1', () => later);
    expect(report.itemsDeleted).toBe(0);
    expect(publisher.events).toHaveLength(1);
    const doc = await accessCustomer({ customers: new DynamoCustomerItems(db.clients.doc, db.table) }, A, NOW);
    expect(doc.profile).toBeNull();
    expect(doc.erasure).toMatchObject({ itemKey: 'TOMBSTONE', customerKey: A, erasedAt: later.toISOString() });
    expect(Object.entries(doc.counts).filter(([, n]) => n > 0)).toEqual([['tombstone', 1]]);
    // A retry of the older request does not move it back.
    await eraseCustomer({ customers: new DynamoCustomerItems(db.clients.doc, db.table), publisher, tombstoneDays: 31 }, A, 'req-1', () => NOW);
    expect((await accessCustomer({ customers: new DynamoCustomerItems(db.clients.doc, db.table) }, A, NOW)).erasure).toMatchObject({ erasedAt: later.toISOString() });
  });

  it('the CLI erases by user id against the local endpoint, deriving the key with the local pepper', async () => {
    const userId = 'cli-user-7@example.com';
    const key = customerKeyOf(defaultConfig.localPepper, 'user', userId);
    await seed(key, 3);
    await db.clients.doc.send(new PutCommand({ TableName: db.table, Item: { pk: customerPk(key), sk: 'X#future-kind', kind: 'other' } }));
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) };

    expect(await privacyCli(['access', '--user-id', userId, '--endpoint-url', db.endpoint], io)).toBe(0);
    const document = JSON.parse(out.join(''));
    expect(document.customerKey).toBe(key);
    expect(document.moments).toHaveLength(3);
    expect(document.other).toHaveLength(1);

    out.length = 0;
    expect(await privacyCli(['erase', '--user-id', userId, '--endpoint-url', db.endpoint, '--request-id', 'op-1', '--settle-seconds', '0', '--data-dir', emptyDir], io)).toBe(0);
    const report = JSON.parse(out.join(''));
    expect(report).toMatchObject({ customerKey: key, requestId: 'op-1', itemsDeleted: 15, byKind: { notify: 1, other: 1 }, quarantine: [] });
    expect(await count(key)).toBe(1); // the tombstone
    // The user id is never printed, on either stream.
    expect([...out, ...err].join('')).not.toContain(userId);
    expect(err.join('')).toContain('Customer Erased not published');
  });

  it('keys before namespacing: the CLI finds and erases the id\'s pre-0.2 partition too, and never the other id kind\'s', async () => {
    const id = 'legacy-user-9';
    const pepper = defaultConfig.localPepper;
    const key = customerKeyOf(pepper, 'user', id);
    const legacy = legacyCustomerKeyOf(pepper, id);
    const anon = customerKeyOf(pepper, 'anonymous', id);
    expect(new Set([key, legacy, anon]).size).toBe(3);
    await seed(key, 1);
    const legacyItems = await seed(legacy, 2);
    const anonItems = await seed(anon, 1);
    const out: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: () => undefined };

    expect(await privacyCli(['access', '--user-id', id, '--endpoint-url', db.endpoint], io)).toBe(0);
    const document = JSON.parse(out.join(''));
    expect(document.customerKey).toBe(key);
    expect(document.moments).toHaveLength(1);
    expect(document.legacy).toMatchObject({ customerKey: legacy });
    expect(document.legacy.moments).toHaveLength(2);
    expect(JSON.stringify(document)).not.toContain(anon);

    out.length = 0;
    expect(await privacyCli(['erase', '--user-id', id, '--endpoint-url', db.endpoint, '--request-id', 'op-legacy', '--settle-seconds', '0', '--data-dir', emptyDir], io)).toBe(0);
    const report = JSON.parse(out.join(''));
    expect(report).toMatchObject({ customerKey: key, legacy: { customerKey: legacy, itemsDeleted: legacyItems, tombstoneUntil: null } });
    expect(await count(key)).toBe(1); // the tombstone
    expect(await count(legacy)).toBe(0);
    // The anonymous visitor whose anonymous id equals this user id is another customer.
    expect(await count(anon)).toBe(anonItems);

    out.length = 0;
    expect(await privacyCli(['access', '--anonymous-id', id, '--endpoint-url', db.endpoint], io)).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ customerKey: anon, counts: { moments: 1 } });
  });

  it('the CLI refuses bad arguments with a clear message', async () => {
    const err: string[] = [];
    const io = { stdout: () => undefined, stderr: (t: string) => err.push(t) };
    expect(await privacyCli(['delete', '--user-id', 'u'], io)).toBe(2);
    expect(await privacyCli(['erase', '--user-id', 'u', '--customer-key', 'a'.repeat(64)], io)).toBe(2);
    expect(await privacyCli(['erase', '--customer-key', 'nothex', '--endpoint-url', db.endpoint], io)).toBe(1);
    expect(err.join('')).toContain('customerKey: must be 64 lower-case hex characters');
  });
});
