/** The draft-07 → draft-04 conversion of the schema registry documents. */
import { envelopeSchema, PUBLISHED_EVENTS, toDraft4 } from '../../infra/lib/event-schemas';

test('const becomes a one-value enum, numeric exclusive bounds become draft-04 booleans', () => {
  expect(toDraft4({ type: 'object', properties: { v: { const: 1 }, n: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 } } })).toEqual({
    type: 'object',
    properties: { v: { enum: [1] }, n: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true } },
  });
});

test('if/then/else becomes the equivalent allOf of anyOf; $defs and $id/$schema/$comment are handled', () => {
  const out = toDraft4({
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'x',
    $comment: 'c',
    if: { properties: { type: { const: 'track' } } },
    then: { required: ['event'] },
    else: { required: ['traits'] },
    $defs: { a: { const: 'a' } },
    properties: { a: { $ref: '#/$defs/a' } },
  });
  expect(out).toEqual({
    definitions: { a: { enum: ['a'] } },
    properties: { a: { $ref: '#/definitions/a' } },
    allOf: [
      { anyOf: [{ not: { properties: { type: { enum: ['track'] } } } }, { required: ['event'] }] },
      { anyOf: [{ properties: { type: { enum: ['track'] } } }, { required: ['traits'] }] },
    ],
  });
});

test.each(PUBLISHED_EVENTS)('$detailType: the envelope is draft-04 with the detail inlined and no draft-07 keyword left', (event) => {
  const doc = envelopeSchema(event);
  const text = JSON.stringify(doc);
  expect(doc.$schema).toBe('http://json-schema.org/draft-04/schema#');
  for (const keyword of ['"const"', '"$id"', '"$defs"', '"if"', 'draft-07']) expect(text).not.toContain(keyword);
  const detail = (doc.properties as Record<string, { properties?: Record<string, unknown> }>).detail;
  expect(detail.properties?.version).toBeDefined();
});
