/**
 * The two NotifyStores answer alike (InMemoryNotifyStore stands in for DynamoNotifyStore in the
 * unit and property tests): the NOTIFY item's version condition, the one read of profile,
 * tombstone and NOTIFY, and the audit item written once and found by key or by notification id.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoNotifyStore } from '../../shared/adapters/dynamo-notify-store';
import { InMemoryNotifyStore } from '../../shared/notify/in-memory-notify-store';
import { emptyNotifyItem, type NotifyItem } from '../../shared/notify/notify-item';
import type { NotificationRecord, NotifyStore } from '../../shared/notify/notify-store';
import { customerPk, SK } from '../../shared/store/keys';
import { keyOf, NOW, profile } from '../fixtures/notify';
import { startDynaliteTable, type DynaliteTable } from '../fixtures/dynalite-table';

let db: DynaliteTable;
beforeAll(async () => {
  db = await startDynaliteTable();
});
afterAll(async () => db.stop());

function withDecision(item: NotifyItem, key: string, attempt: number): NotifyItem {
  const next = { ...item, decisions: new Map(item.decisions) };
  next.decisions.set(key, { state: 'pending', decidedAtMs: NOW.getTime(), leaseUntilMs: NOW.getTime() + 35_000, attempt });
  next.reservations = { capDays: new Map([['2026-11-24', [key]]]), cooldowns: new Map([['go', { holder: key, untilMs: NOW.getTime() + 60_000 }]]) };
  return next;
}

const audit = (customerKey: string, notificationId: string, decidedAt: string, outcome: 'sent' | 'suppressed'): NotificationRecord => ({
  customerKey,
  momentId: 'a'.repeat(32),
  channel: 'push',
  notificationId,
  intent: 'go',
  decidedAt,
  outcome,
  ...(outcome === 'sent' ? { templateId: 't', message: { title: 'T', body: 'B' } } : { reason: 'COOLDOWN' as const }),
  expiresAt: 2_000_000_000,
});

/** One script, any store: what it observes. */
async function script(store: NotifyStore, customerKey: string, setProfile: () => Promise<void>) {
  const seen: unknown[] = [];
  const first = await store.getCustomer(customerKey);
  seen.push({ profile: first.profile ?? null, version: first.notify.version, decisions: first.notify.decisions.size });
  await setProfile();
  const a = withDecision(first.notify, '0123456789abcdef', 1);
  seen.push(await store.writeNotify(customerKey, a, 2_000_000_000));
  // A second writer that read version 0 too loses.
  seen.push(await store.writeNotify(customerKey, withDecision(first.notify, 'fedcba9876543210', 1), 2_000_000_000));
  const second = await store.getCustomer(customerKey);
  seen.push({ consent: second.profile?.consent.push, version: second.notify.version, decisions: [...second.notify.decisions], r: second.notify.reservations });
  seen.push(await store.writeNotify(customerKey, withDecision(second.notify, '0123456789abcdef', 2), 2_000_000_000));
  seen.push(await store.writeNotify(customerKey, withDecision(second.notify, '0123456789abcdef', 3), 2_000_000_000));
  seen.push((await store.getCustomer(customerKey)).notify.version);

  const id = '0123456789abcdef0123456789abcdef';
  seen.push((await store.getAudit(customerKey, NOW.toISOString(), id)) ?? null);
  await store.putAudit(audit(customerKey, id, NOW.toISOString(), 'sent'));
  await store.putAudit(audit(customerKey, id, NOW.toISOString(), 'suppressed'));
  seen.push(await store.getAudit(customerKey, NOW.toISOString(), id));
  seen.push(await store.findAudit(customerKey, id, new Date(NOW.getTime() - 60_000).toISOString()));
  seen.push((await store.findAudit(customerKey, id, new Date(NOW.getTime() + 60_000).toISOString())) ?? null);
  seen.push((await store.findAudit(customerKey, 'f'.repeat(32), '2000-01-01T00:00:00.000Z')) ?? null);
  return seen;
}

test('DynamoNotifyStore and InMemoryNotifyStore observe the same', async () => {
  const key = keyOf('store-contract');
  const dynamo = await script(new DynamoNotifyStore(db.clients.doc, db.table), key, async () => {
    await db.clients.doc.send(new PutCommand({ TableName: db.table, Item: { pk: customerPk(key), sk: SK.profile, ...profile({ customerKey: key }) } }));
  });
  const memory = new InMemoryNotifyStore();
  const inMemory = await script(memory, key, async () => {
    memory.profiles.set(key, profile({ customerKey: key }));
  });
  expect(inMemory).toEqual(dynamo);
  // And what they observed is what the port promises.
  expect(dynamo.slice(0, 3)).toEqual([{ profile: null, version: 0, decisions: 0 }, true, false]);
  expect(dynamo.slice(4, 7)).toEqual([true, false, 2]);
  expect(dynamo[8]).toMatchObject({ outcome: 'sent' });
  expect(dynamo[10]).toBeNull();
  expect(emptyNotifyItem().version).toBe(0);
});
