import { parseSignal, validateSignal } from '../../../shared/contracts';
import { SIGNAL_LIMITS } from '../../../shared/contracts/signal';

const bytes = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));

const track = {
  type: 'track',
  event: 'Products Searched',
  messageId: 'm-1',
  timestamp: '2026-11-23T08:00:00.000Z',
  userId: 'user-1',
  properties: { query: 'coffee near me' },
  context: {
    timezone: 'Europe/London',
    locale: 'en-GB',
    device: { type: 'ios' },
    location: { latitude: 51.5, longitude: -0.12 },
    consent: { categoryPreferences: { personalization: true, push: true } },
  },
};

describe('Signal contract: valid samples', () => {
  test.each([
    ['track with userId', track],
    ['identify with anonymousId', { type: 'identify', messageId: 'm-2', timestamp: '2026-11-23T08:00:00Z', anonymousId: 'a-1', traits: { timezone: 'Europe/Paris' } }],
    ['page with name and category', { type: 'page', messageId: 'm-3', timestamp: '2026-11-23T08:00:00+01:00', userId: 'u', name: 'Guide', properties: { category: 'how-to' } }],
    ['screen', { type: 'screen', messageId: 'm-4', timestamp: '2026-11-23T08:00:00Z', userId: 'u', name: 'Cart' }],
  ])('%s is accepted', (_name, signal) => {
    const result = parseSignal(bytes(signal));
    expect(result).toEqual({ ok: true, value: signal });
  });
});

describe('Signal contract: invalid samples name the field and the rule', () => {
  test.each<[string, unknown, string]>([
    ['missing messageId', { ...track, messageId: undefined }, 'Signal.messageId: is required (required)'],
    ['empty messageId', { ...track, messageId: '' }, 'Signal.messageId: must NOT have fewer than 1 characters (minLength)'],
    ['missing ids', { ...track, userId: undefined }, 'Signal.userId: userId or anonymousId is required, a non-empty string (anyOf)'],
    ['track without event', { ...track, event: undefined }, 'Signal.event: is required (required)'],
    ['unknown type', { ...track, type: 'alias' }, 'Signal.type: must be one of ["track","identify","page","screen"] (enum)'],
    ['timestamp not ISO', { ...track, timestamp: 'yesterday' }, 'Signal.timestamp: must match format "date-time" (format)'],
    ['timezone not a string', { ...track, context: { timezone: 42 } }, 'Signal.context.timezone: must be string (type)'],
    ['latitude out of range', { ...track, context: { location: { latitude: 91, longitude: 0 } } }, 'Signal.context.location.latitude: must be <= 90 (maximum)'],
    ['consent not boolean', { ...track, context: { consent: { categoryPreferences: { push: 'yes' } } } }, 'Signal.context.consent.categoryPreferences.push: must be boolean (type)'],
    ['query too long', { ...track, properties: { query: 'x'.repeat(513) } }, 'Signal.properties.query: must NOT have more than 512 characters (maxLength)'],
    ['proto key', JSON.parse('{"type":"track","event":"e","messageId":"m","timestamp":"2026-11-23T08:00:00Z","userId":"u","properties":{"__proto__":{"admin":true}}}'), 'Signal.properties.__proto__: key is not allowed (forbiddenKey)'],
    ['deep nesting', { ...track, properties: { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } } }, 'Signal.properties.a.b.c.d.e.f: nested deeper than 6 levels (maxDepth)'],
    ['not an object', [track], 'Signal: must be a JSON object (type)'],
    ['huge string', { ...track, properties: { note: 'x'.repeat(SIGNAL_LIMITS.maxStringLength + 1) } }, `Signal.properties.note: must NOT have more than ${SIGNAL_LIMITS.maxStringLength} characters (maxLength)`],
  ])('%s', (_name, value, message) => {
    expect(validateSignal(value)).toEqual({ ok: false, error: message });
  });

  test('a record over the size limit is refused before parsing', () => {
    const big = bytes({ ...track, properties: { blob: 'x'.repeat(SIGNAL_LIMITS.maxRecordBytes) } });
    const result = parseSignal(big);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^Signal: record is \d+ bytes, more than 32768 \(maxRecordBytes\)$/);
  });

  test('invalid UTF-8 is refused', () => {
    expect(parseSignal(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))).toEqual({ ok: false, error: 'Signal: record is not valid UTF-8 (encoding)' });
  });

  test('truncated JSON is refused with the position of the error, not the parser message (which quotes the record)', () => {
    const result = parseSignal(bytes(JSON.stringify(track).slice(0, 40)));
    expect(result).toEqual({ ok: false, error: 'Signal: record is not JSON (syntax error at position 40) (json)' });
  });
});
