import { defaultConfig } from '../../../shared/config';
import { mismatchedFields } from '../../../shared/routing/explain-mismatch';

const event = (detail: Record<string, unknown>) => ({ source: 'micro-moments', 'detail-type': 'Moment Detected', detail });
const goRule = defaultConfig.routing.find((r) => r.name === 'go-nearby-push')!.pattern;
const go = { version: 1, intent: 'go', score: 0.8, consent: { channels: ['push'] }, context: { device: 'mobile' } };

describe('mismatchedFields', () => {
  it('is empty for a matching event', () => {
    expect(mismatchedFields(goRule, event(go))).toEqual([]);
  });
  it('names each field the event fails, on its own', () => {
    expect(mismatchedFields(goRule, event({ ...go, consent: { channels: ['sms'] } }))).toEqual(['detail.consent.channels']);
    expect(mismatchedFields(goRule, event({ ...go, score: 0.4, context: { device: 'desktop' } }))).toEqual(['detail.score', 'detail.context.device']);
    expect(mismatchedFields(goRule, event({ ...go, consent: {} }))).toEqual(['detail.consent.channels']);
  });
  it('names an $or as a whole', () => {
    const pattern = { detail: { $or: [{ intent: ['go'] }, { score: [{ numeric: ['>', 0.9] }] }] } };
    expect(mismatchedFields(pattern, event({ intent: 'buy', score: 0.5 }))).toEqual(['detail']);
    expect(mismatchedFields(pattern, event({ intent: 'go', score: 0.5 }))).toEqual([]);
  });
});
