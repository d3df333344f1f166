/**
 * What a Lambda bundle gets for `node:stream/web` when `BUNDLE_CHOICES.lazyBuiltins` is on
 * (infra/lib/bundling.ts aliases the module to this file): the same names, each loading
 * `node:stream/web` when first read. `@middy/core` imports `ReadableStream` at load for its
 * streamed responses, which these functions do not use, and Node's web streams (with their
 * encoding, compression and worker messaging modules) cost about 8 ms of every cold start.
 * CommonJS because an ES module's export is bound at load. The names are Node 24's
 * (test/integration/bundle-lazy-builtins.test.ts fails if the runtime's module has others).
 */
'use strict';

require('./builtin-on-first-use.cjs').defineOnFirstUse(exports, 'node:stream/web', [
  'ReadableStream', 'ReadableStreamTee', 'ReadableStreamDefaultReader', 'ReadableStreamBYOBReader', 'ReadableStreamBYOBRequest',
  'ReadableByteStreamController', 'ReadableStreamDefaultController', 'TransformStream', 'TransformStreamDefaultController',
  'WritableStream', 'WritableStreamDefaultWriter', 'WritableStreamDefaultController', 'ByteLengthQueuingStrategy',
  'CountQueuingStrategy', 'TextEncoderStream', 'TextDecoderStream', 'CompressionStream', 'DecompressionStream',
]);
