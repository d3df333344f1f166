import { formatDistance, renderMessage } from '../../../shared/notify/render';
import { config, moment } from '../../fixtures/notify';

const cfg = config();

describe('formatDistance', () => {
  it.each([
    [347, '350 m'],
    [0, '10 m'],
    [994, '990 m'],
    [996, '1.0 km'],
    [1234, '1.2 km'],
    [15_049, '15.0 km'],
  ])('%d m → %s', (m, text) => expect(formatDistance(m)).toBe(text));
});

describe('renderMessage', () => {
  it('names the store and distance for a go moment near an open store', () => {
    expect(renderMessage(moment(), cfg)).toEqual({ templateId: 'go-near-store', title: 'Soho store is open', body: 'Soho store is 350 m away and open now.' });
  });
  it('falls back when the store is closed or too far', () => {
    const closed = moment({ context: { ...moment().context, nearestLocation: { id: 'x', name: 'X', distanceMeters: 100, open: false } } });
    expect(renderMessage(closed, cfg).templateId).toBe('go-generic');
    const far = moment({ context: { ...moment().context, nearestLocation: { id: 'x', name: 'X', distanceMeters: 5000, open: true } } });
    expect(renderMessage(far, cfg).templateId).toBe('go-generic');
  });
  it('reminds of the cart after an abandoned checkout, offers the generic buy message otherwise', () => {
    const reasons = [{ kind: 'event' as const, feature: 'Checkout Started', messageId: 'c', weight: 0.6, contribution: 0.5 }];
    expect(renderMessage(moment({ intent: 'buy', reasons, trigger: { messageId: 'p', event: 'Product Viewed', time: moment().trigger.time } }), cfg).templateId).toBe('buy-cart');
    expect(renderMessage(moment({ intent: 'buy', reasons: [] , trigger: { messageId: 'p', event: 'Product Viewed', time: moment().trigger.time } }), cfg).templateId).toBe('buy-generic');
  });
  it('offers the guide for a know moment and fills the life event type', () => {
    expect(renderMessage(moment({ intent: 'know' }), cfg).templateId).toBe('know-guide');
    expect(renderMessage(moment({ intent: 'life-event', lifeEventType: 'new-home' }), cfg).body).toBe('Congratulations on the new home: here is what can help.');
  });
});
