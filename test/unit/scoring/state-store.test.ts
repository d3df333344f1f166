import { defaultConfig } from '../../../shared/config/defaults';
import { scoreCustomer } from '../../../shared/scoring/score-customer';
import { InMemoryStateStore } from '../../../shared/store/in-memory-state-store';
import { momentItem, stateItem, stateOfItem } from '../../../shared/adapters/dynamo-state-store';
import { recentKey } from '../../../shared/scoring/recent-key';
import { momentItemForAccess, momentOfItem } from '../../../shared/store/moment-codec';
import { itemSize } from '../../../bench/dynamo-capacity';
import { at, enriched, KEY } from './builders';

const { moments, state } = scoreCustomer(undefined, [enriched({ event: 'Directions Requested', context: { deviceClass: 'mobile' }, timestamp: at(0) })], defaultConfig.scoring);

describe('state store items', () => {
  it('keys a moment by customer and M#<detectedAt>#<momentId>, expiring momentsDays after detection', () => {
    const item = momentItem(moments[0], { momentsDays: 30 });
    expect(item).toMatchObject({ pk: `C#${KEY}`, sk: `M#${at(0)}#${moments[0].momentId}`, v: 2, i: 'go' });
    expect(item.expiresAt).toBe(Date.parse(at(0)) / 1000 + 30 * 86400);
  });

  it('stores a moment compact (under 1 KB, nothing the keys hold) and decodes it to the published detail, byte for byte', () => {
    const item = momentItem(moments[0], { momentsDays: 30 });
    for (const repeated of ['customerKey', 'momentId', 'detectedAt', 'kind', 'version']) expect(item).not.toHaveProperty(repeated);
    expect(JSON.stringify(momentOfItem(item))).toBe(JSON.stringify(moments[0]));
    expect(itemSize(item)).toBeLessThan(1024);
  });

  it('reads a version 1 moment item (the detail beside kind) as it was, and leaves it as stored in the access export', () => {
    const legacy = { pk: `C#${KEY}`, sk: `M#${at(0)}#${moments[0].momentId}`, kind: 'moment', ...moments[0], expiresAt: 1 };
    expect(momentOfItem(legacy)).toEqual(moments[0]);
    expect(momentItemForAccess(legacy)).toBe(legacy);
    expect(momentItemForAccess(momentItem(moments[0], { momentsDays: 30 }))).toEqual({ ...legacy, expiresAt: Date.parse(at(0)) / 1000 + 30 * 86400 });
  });

  it('keys the state as STATE in the compact encoding, expiring idleStateDays after the latest signal', () => {
    const item = stateItem(state, { idleStateDays: 30 });
    expect(item).toMatchObject({ pk: `C#${KEY}`, sk: 'STATE', v: 2, w: Date.parse(at(0)) });
    expect(item.expiresAt).toBe(Date.parse(at(0)) / 1000 + 30 * 86400);
    expect(stateOfItem(item)).toEqual(state);
  });

  it('reads a version 1 item (the state as a map) as it was, its dedupe ids as recent keys', () => {
    const legacy = { pk: `C#${KEY}`, sk: 'STATE', kind: 'state', state: { ...state, recent: [[moments[0].trigger.messageId, Date.parse(at(0))]] }, updatedAt: at(0) };
    const read = stateOfItem(legacy);
    expect(read).toEqual({ ...state, recent: [[recentKey(moments[0].trigger.messageId), Date.parse(at(0))]] });
    // Scoring the same signal again on the legacy state is a redelivery: nothing new.
    const again = scoreCustomer(read, [enriched({ event: 'Directions Requested', context: { deviceClass: 'mobile' }, timestamp: at(0), messageId: moments[0].trigger.messageId })], defaultConfig.scoring);
    expect(again.skipped).toHaveLength(1);
    expect(again.changed).toBe(false);
  });

  it('in memory: writes a moment once and keeps the last state', async () => {
    const store = new InMemoryStateStore();
    expect(await store.putMoments(moments)).toEqual([{ status: 'written' }]);
    expect(await store.putMoments(moments)).toEqual([{ status: 'exists' }]);
    await store.putStates([state]);
    expect((await store.getStates([KEY, 'f'.repeat(64)])).get(KEY)).toBe(state);
    expect((await store.getStates(['f'.repeat(64)])).size).toBe(0);
  });
});
