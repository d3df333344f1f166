/**
 * What a Lambda bundle gets for `node:stream/web` when `BUNDLE_CHOICES.lazyStreamWeb` is on
 * (infra/lib/bundling.ts aliases the module to this file): the same names, each a getter that
 * loads `node:stream/web` when first read. `@middy/core` imports `ReadableStream` at load for its
 * streamed responses, which these functions do not use, and Node's web streams (with their
 * encoding, compression and worker messaging modules) cost about 7 ms of every cold start.
 *
 * CommonJS because an ES module's export is bound at load; `process.getBuiltinModule` because a
 * `require` of the module here would be aliased back to this file. The names are Node 24's
 * (test/integration/bundle-stream-web.test.ts fails if the runtime's module has others).
 */
'use strict';

const NAMES = [
  'ReadableStream', 'ReadableStreamTee', 'ReadableStreamDefaultReader', 'ReadableStreamBYOBReader', 'ReadableStreamBYOBRequest',
  'ReadableByteStreamController', 'ReadableStreamDefaultController', 'TransformStream', 'TransformStreamDefaultController',
  'WritableStream', 'WritableStreamDefaultWriter', 'WritableStreamDefaultController', 'ByteLengthQueuingStrategy',
  'CountQueuingStrategy', 'TextEncoderStream', 'TextDecoderStream', 'CompressionStream', 'DecompressionStream',
];

for (const name of NAMES) {
  Object.defineProperty(exports, name, { enumerable: true, get: () => process.getBuiltinModule('node:stream/web')[name] });
}
