/**
 * The published events as EventBridge schema registry documents: the detail's JSON Schema from
 * shared/contracts/schemas (draft-07) inside the EventBridge envelope (source, detail-type,
 * detail), converted to draft-04, the only JSON Schema dialect the registry accepts.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DETAIL_TYPES, EVENT_SOURCE } from '../../shared/contracts/events';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: Json): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keywords whose value is a schema, or a map or list of schemas: converted recursively. */
const SCHEMA_VALUED = new Set(['items', 'additionalItems', 'additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependencies']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
/** Draft-06/07 keywords that draft-04 lacks and that constrain nothing we can express there. */
const DROPPED = new Set(['$schema', '$id', '$comment', 'examples', 'readOnly', 'writeOnly', 'contentMediaType', 'contentEncoding', 'propertyNames', 'contains']);

/** Converts one draft-07 schema (and its subschemas) to draft-04. */
export function toDraft4(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(toDraft4);
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key) || key === 'if' || key === 'then' || key === 'else') continue;
    if (key === 'const') out.enum = [value];
    else if ((key === 'exclusiveMinimum' || key === 'exclusiveMaximum') && typeof value === 'number') {
      out[key === 'exclusiveMinimum' ? 'minimum' : 'maximum'] = value;
      out[key] = true;
    } else if (key === '$ref' && typeof value === 'string') out.$ref = value.replace('#/$defs/', '#/definitions/');
    else if (SCHEMA_VALUED.has(key)) out[key] = toDraft4(value);
    else if (SCHEMA_MAPS.has(key) && isObject(value)) {
      const target = key === '$defs' ? 'definitions' : key;
      out[target] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? v : toDraft4(v)]));
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) out[key] = value.map(toDraft4);
    else out[key] = value;
  }
  // if/then/else has a draft-04 equivalent: (not if or then) and (if or else).
  if ('if' in schema) {
    const cond = toDraft4(schema.if);
    const branches: Json[] = [];
    if ('then' in schema) branches.push({ anyOf: [{ not: cond }, toDraft4(schema.then)] });
    if ('else' in schema) branches.push({ anyOf: [cond, toDraft4(schema.else)] });
    if (branches.length > 0) out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), ...branches];
  }
  return out;
}

export interface PublishedEvent {
  detailType: string;
  /** File under shared/contracts/schemas/. */
  file: string;
  /** Registry schema name. */
  schemaName: string;
}

export const PUBLISHED_EVENTS: PublishedEvent[] = [
  { detailType: DETAIL_TYPES.momentDetected, file: 'moment-detected.schema.json', schemaName: `${EVENT_SOURCE}@MomentDetected` },
  { detailType: DETAIL_TYPES.notificationSent, file: 'notification-sent.schema.json', schemaName: `${EVENT_SOURCE}@NotificationSent` },
  { detailType: DETAIL_TYPES.notificationSuppressed, file: 'notification-suppressed.schema.json', schemaName: `${EVENT_SOURCE}@NotificationSuppressed` },
  { detailType: DETAIL_TYPES.customerErased, file: 'customer-erased.schema.json', schemaName: `${EVENT_SOURCE}@CustomerErased` },
];

export const SCHEMAS_DIR = path.resolve(__dirname, '..', '..', 'shared', 'contracts', 'schemas');

/** The registry document of one published event: the envelope with the detail inlined. */
export function envelopeSchema(event: PublishedEvent, dir = SCHEMAS_DIR): JsonObject {
  const detail = toDraft4(JSON.parse(readFileSync(path.join(dir, event.file), 'utf8')) as Json) as JsonObject;
  // Inlined as `detail`, its #/definitions/... references must resolve from the envelope's root.
  const { definitions, title, ...detailSchema } = detail;
  return {
    $schema: 'http://json-schema.org/draft-04/schema#',
    title: typeof title === 'string' ? title : event.detailType,
    description: `EventBridge event: source ${EVENT_SOURCE}, detail-type ${event.detailType}.`,
    type: 'object',
    required: ['detail-type', 'source', 'detail'],
    properties: {
      version: { type: 'string' },
      id: { type: 'string' },
      'detail-type': { type: 'string', enum: [event.detailType] },
      source: { type: 'string', enum: [EVENT_SOURCE] },
      account: { type: 'string' },
      time: { type: 'string', format: 'date-time' },
      region: { type: 'string' },
      resources: { type: 'array', items: { type: 'string' } },
      detail: detailSchema,
    },
    ...(definitions !== undefined ? { definitions } : {}),
  };
}
