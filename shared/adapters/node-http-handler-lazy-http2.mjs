/**
 * What a Lambda bundle gets for `@smithy/node-http-handler` when `BUNDLE_CHOICES.lazyHttp2` is on
 * (infra/lib/bundling.ts aliases the package to this file): the same exports, except that the
 * HTTP/2 handler's module, and with it `node:http2`, is loaded only when an HTTP/2 handler is
 * really built. The Kinesis client names NodeHttp2Handler as its default handler, so its module
 * loaded `node:http2` (10-15 ms) at every cold start of enrich, whose Kinesis client is always
 * given the HTTP/1.1 handler (shared/adapters/aws-clients.ts).
 *
 * Plain JavaScript that imports the package's own files by relative path: an import of the
 * package name here would be aliased back to this file.
 */
export { DEFAULT_REQUEST_TIMEOUT, NodeHttpHandler } from '../../node_modules/@smithy/node-http-handler/dist-es/node-http-handler.js';
export { streamCollector } from '@smithy/core/serde';

export class NodeHttp2Handler {
  /** As the real one: a handler given is used as it is; otherwise the real HTTP/2 handler is built. */
  static create(instanceOrOptions) {
    if (typeof instanceOrOptions?.handle === 'function') return instanceOrOptions;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use on purpose
    return require('../../node_modules/@smithy/node-http-handler/dist-es/node-http2-handler.js').NodeHttp2Handler.create(instanceOrOptions);
  }
}
