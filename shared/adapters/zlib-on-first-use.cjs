/**
 * What a Lambda bundle gets for `node:zlib` when `BUNDLE_CHOICES.lazyBuiltins` is on
 * (infra/lib/bundling.ts aliases the module to this file): the same names, each loading
 * `node:zlib` when first read or, for `crc32`, first called. `@smithy/core` requires zlib at load
 * for its CRC32 (`typeof zlib.crc32 === 'function'`), which only the event-stream codec uses
 * (SubscribeToShard and the like, which these functions never call), and zlib costs 4-7 ms of
 * every cold start. The names are Node 24's (test/integration/bundle-lazy-builtins.test.ts).
 */
'use strict';

require('./builtin-on-first-use.cjs').defineOnFirstUse(
  exports,
  'node:zlib',
  [
    'crc32', 'Deflate', 'Inflate', 'Gzip', 'Gunzip', 'DeflateRaw', 'InflateRaw', 'Unzip', 'BrotliCompress', 'BrotliDecompress',
    'ZstdCompress', 'ZstdDecompress', 'deflate', 'deflateSync', 'gzip', 'gzipSync', 'deflateRaw', 'deflateRawSync', 'unzip',
    'unzipSync', 'inflate', 'inflateSync', 'gunzip', 'gunzipSync', 'inflateRaw', 'inflateRawSync', 'brotliCompress',
    'brotliCompressSync', 'brotliDecompress', 'brotliDecompressSync', 'zstdCompress', 'zstdCompressSync', 'zstdDecompress',
    'zstdDecompressSync', 'createDeflate', 'createInflate', 'createDeflateRaw', 'createInflateRaw', 'createGzip', 'createGunzip',
    'createUnzip', 'createBrotliCompress', 'createBrotliDecompress', 'createZstdCompress', 'createZstdDecompress', 'constants', 'codes',
  ],
  ['crc32'],
);
