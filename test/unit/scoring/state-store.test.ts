import { defaultConfig } from '../../../shared/config/defaults';
import { scoreCustomer } from '../../../shared/scoring/score-customer';
import { InMemoryStateStore } from '../../../shared/store/in-memory-state-store';
import { momentItem, stateItem } from '../../../shared/adapters/dynamo-state-store';
import { at, enriched, KEY } from './builders';

const { moments, state } = scoreCustomer(undefined, [enriched({ event: 'Directions Requested', context: { deviceClass: 'mobile' }, timestamp: at(0) })], defaultConfig.scoring);

describe('state store items', () => {
  it('keys a moment by customer and M#<detectedAt>#<momentId>, expiring momentsDays after detection', () => {
    const item = momentItem(moments[0], { momentsDays: 30 });
    expect(item).toMatchObject({ pk: `C#${KEY}`, sk: `M#${at(0)}#${moments[0].momentId}`, kind: 'moment', intent: 'go' });
    expect(item.expiresAt).toBe(Date.parse(at(0)) / 1000 + 30 * 86400);
  });

  it('keys the state as STATE, expiring idleStateDays after the latest signal', () => {
    const item = stateItem(state, { idleStateDays: 30 });
    expect(item).toMatchObject({ pk: `C#${KEY}`, sk: 'STATE', kind: 'state', state, updatedAt: at(0) });
    expect(item.expiresAt).toBe(Date.parse(at(0)) / 1000 + 30 * 86400);
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
