/**
 * Issue 9, finding 7, as an attacker: deliveries of the real WebhookChannel, captured on the
 * wire, replayed to the reference receiver (local mode's WebhookReceiver, which does what
 * docs/SUBSCRIBERS.md asks) with generated alterations: a new timestamp, a new notification id,
 * both, another delivery's signature, a body changed by a byte or re-serialised, a header sent
 * twice, a signature made with another secret. Every altered replay is refused (401); a replay as
 * it was is a duplicate (200, recorded once); each notification is received exactly once.
 */
import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { NotificationMessage } from '../../shared/notify/channel';
import { NOTIFICATION_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookChannel } from '../../shared/notify/webhook-channel';
import { WebhookReceiver } from '../../local/channels';

const SECRET = randomBytes(32).toString('hex');

interface Captured {
  url: string;
  headers: Record<string, string>;
  body: string;
}

let receiver: WebhookReceiver;
const captured: Captured[] = [];

function message(i: number): NotificationMessage {
  return {
    version: 1,
    notificationId: createHmac('sha256', 'ids').update(String(i)).digest('hex').slice(0, 32),
    momentId: createHmac('sha256', 'moments').update(String(i)).digest('hex').slice(0, 32),
    customerKey: 'c'.repeat(64),
    channel: 'webhook',
    intent: 'know',
    templateId: 'know-guide',
    title: 'A guide',
    body: 'Our guide.',
    decidedAt: new Date().toISOString(),
  };
}

beforeAll(async () => {
  receiver = new WebhookReceiver(SECRET);
  const url = await receiver.start();
  // The real channel, its requests recorded as they go on the wire.
  const recording: typeof fetch = async (input, init) => {
    captured.push({ url: String(input), headers: { ...(init?.headers as Record<string, string>) }, body: String(init?.body) });
    return fetch(input, init);
  };
  const channel = new WebhookChannel({ settings: { endpoint: url, timeoutMs: 2000, maxAttempts: 1 }, secret: async () => SECRET, fetch: recording });
  for (let i = 0; i < 4; i++) expect(await channel.send(message(i), { customerKey: 'c'.repeat(64) })).toMatchObject({ status: 'delivered' });
});
afterAll(async () => receiver?.stop());

type Alteration =
  | { kind: 'timestamp'; deltaSeconds: number }
  | { kind: 'notification-id'; id: string }
  | { kind: 'both'; deltaSeconds: number; id: string }
  | { kind: 'signature-of'; other: number }
  | { kind: 'body-byte'; at: number }
  | { kind: 'body-reserialised' }
  | { kind: 'body-id'; id: string }
  | { kind: 'header-twice'; header: string }
  | { kind: 'other-secret'; secret: string };

const hex32 = fc.stringMatching(/^[0-9a-f]{32}$/);
const alterationArb: fc.Arbitrary<Alteration> = fc.oneof(
  fc.integer({ min: -200, max: 200 }).filter((d) => d !== 0).map((deltaSeconds) => ({ kind: 'timestamp' as const, deltaSeconds })),
  hex32.map((id) => ({ kind: 'notification-id' as const, id })),
  fc.tuple(fc.integer({ min: 1, max: 200 }), hex32).map(([deltaSeconds, id]) => ({ kind: 'both' as const, deltaSeconds, id })),
  fc.integer({ min: 1, max: 3 }).map((other) => ({ kind: 'signature-of' as const, other })),
  fc.nat().map((at) => ({ kind: 'body-byte' as const, at })),
  fc.constant({ kind: 'body-reserialised' as const }),
  hex32.map((id) => ({ kind: 'body-id' as const, id })),
  fc.constantFrom(TIMESTAMP_HEADER, NOTIFICATION_ID_HEADER, SIGNATURE_HEADER).map((header) => ({ kind: 'header-twice' as const, header })),
  fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s !== SECRET).map((secret) => ({ kind: 'other-secret' as const, secret })),
);

function altered(index: number, a: Alteration): { headers: Headers; body: string } {
  const original = captured[index];
  const headers = new Headers(original.headers);
  let body = original.body;
  const signatureOf = (secret: string, ts: string, id: string, b: string) => `v2=${createHmac('sha256', secret).update(`${ts}.${id}.${b}`).digest('hex')}`;
  switch (a.kind) {
    case 'timestamp':
      headers.set(TIMESTAMP_HEADER, String(Number(headers.get(TIMESTAMP_HEADER)) + a.deltaSeconds));
      break;
    case 'notification-id':
      headers.set(NOTIFICATION_ID_HEADER, a.id === headers.get(NOTIFICATION_ID_HEADER) ? a.id.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) : a.id);
      break;
    case 'both':
      headers.set(TIMESTAMP_HEADER, String(Number(headers.get(TIMESTAMP_HEADER)) + a.deltaSeconds));
      headers.set(NOTIFICATION_ID_HEADER, a.id);
      break;
    case 'signature-of':
      headers.set(SIGNATURE_HEADER, captured[(index + a.other) % captured.length].headers[SIGNATURE_HEADER]);
      break;
    case 'body-byte': {
      const i = a.at % body.length;
      body = body.slice(0, i) + (body[i] === ' ' ? '_' : ' ') + body.slice(i + 1);
      break;
    }
    case 'body-reserialised':
      body = JSON.stringify(JSON.parse(body), null, 1);
      break;
    case 'body-id':
      body = body.replace(/"notificationId":"[0-9a-f]{32}"/, `"notificationId":"${a.id}"`);
      if (body === original.body) body = body.replace('"version":1', '"version": 1');
      break;
    case 'header-twice':
      headers.append(a.header, headers.get(a.header) ?? '');
      break;
    case 'other-secret':
      headers.set(SIGNATURE_HEADER, signatureOf(a.secret, headers.get(TIMESTAMP_HEADER) ?? '', headers.get(NOTIFICATION_ID_HEADER) ?? '', body));
      break;
  }
  return { headers, body };
}

test('a replayed delivery with any altered header or body is refused; one replayed as it was is a duplicate', async () => {
  expect(captured).toHaveLength(4);
  expect(receiver.received.map((r) => r.notificationId)).toEqual([0, 1, 2, 3].map((i) => message(i).notificationId));
  await fc.assert(
    fc.asyncProperty(fc.nat(3), alterationArb, async (index, alteration) => {
      const before = { rejected: receiver.rejected, duplicates: receiver.duplicates, received: receiver.received.length };
      const { headers, body } = altered(index, alteration);
      const res = await fetch(captured[index].url, { method: 'POST', headers, body });
      expect([alteration.kind, res.status]).toEqual([alteration.kind, 401]);
      expect(receiver.rejected).toBe(before.rejected + 1);
      expect(receiver.received).toHaveLength(before.received);

      const plain = await fetch(captured[index].url, { method: 'POST', headers: captured[index].headers, body: captured[index].body });
      expect(plain.status).toBe(200);
      expect(receiver.duplicates).toBe(before.duplicates + 1);
      expect(receiver.received).toHaveLength(before.received);
    }),
    { numRuns: 60 },
  );
  // Each notification received once, whatever was replayed.
  expect(receiver.received.map((r) => r.notificationId)).toEqual([0, 1, 2, 3].map((i) => message(i).notificationId));
});
