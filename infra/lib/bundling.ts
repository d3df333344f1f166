/**
 * How every function is bundled, in one place: CDK's NodejsFunction reads it at synth and
 * `npm run bench` builds the same bundles with esbuild directly to measure their size and cold
 * initialisation, so the figures are those of what is deployed.
 */
import { join } from 'node:path';
import type { MicroMomentsConfig } from '../../shared/config';
import { ENV } from '../../shared/names';
import type { TracingMode } from '../../shared/observability/tracing-mode';

/** esbuild target of the Lambda runtime (Node.js 24). */
export const BUNDLE_TARGET = 'node24';

/**
 * What a cold start costs, chosen here (measured by `npm run bench -- --only bundles`, which shows
 * the other choices beside these; docs/ARCHITECTURE.md "Decisions" has the figures):
 */
export interface BundleChoices {
  /**
   * Bundle the AWS SDK v3 clients the function uses (tree-shaken, one file) rather than load the
   * runtime's copy, hundreds of files, at every cold start. The price: bigger bundles (still under
   * 1 MB) and an SDK version pinned by package-lock.json rather than patched by the runtime.
   */
  bundleSdk: boolean;
  /** functions/common/tracing.ts: `lambda` leaves the X-Ray SDK out; `powertools` traces every AWS call. */
  tracing: TracingMode;
  /**
   * NODE_OPTIONS=--enable-source-maps: stack traces point at the TypeScript, but Node reads and
   * parses the .map at every cold start. Off, the .map is still built and shipped, and a minified
   * trace can be mapped offline.
   */
  sourceMapsAtRuntime: boolean;
  /**
   * Where the SDK clients find credentials. `chain`: the SDK's default provider chain
   * (`@aws-sdk/credential-provider-node`: environment, SSO, ini files, credential_process, web
   * identity, container, instance metadata, with a nested STS/SSO client). `env`: the environment
   * alone (shared/adapters/env-credentials.ts, aliased in place of the chain), which is where Lambda
   * puts the execution role's credentials in a function without SnapStart; the rest of the chain
   * is not bundled. A function with SnapStart would get its credentials from the container
   * endpoint and must use `chain` (test/infra/bundling.test.ts checks that no function has it).
   */
  credentials: 'chain' | 'env';
  /**
   * Which SDK clients a bundle carries. `used`: those its entry point lists
   * (functions/<name>/index.ts; reading another throws, naming it), so score carries no Kinesis
   * client (nor the HTTP/2 module its default handler loads) and enrich no SNS or EventBridge
   * client. `all`: the seven of shared/adapters/aws-clients.ts in every bundle, as before.
   */
  clients: 'used' | 'all';
  /**
   * `@smithy/node-http-handler` replaced by shared/adapters/node-http-handler-lazy-http2.mjs, which
   * loads the HTTP/2 handler (and `node:http2`) only when one is built: the Kinesis client names it
   * as its default, and enrich, which always gives Kinesis the HTTP/1.1 handler, paid for loading
   * `node:http2` at every cold start.
   */
  lazyHttp2: boolean;
  /**
   * `node:stream/web` replaced by a stand-in whose exports load the module when first read
   * (shared/adapters/stream-web-on-first-use.cjs): `@middy/core` imports it at load for streamed
   * responses, which no function here returns (about 8 ms of a cold start). Either way of the SDK
   * (middy is always bundled).
   */
  lazyBuiltins: boolean;
  /**
   * `node:zlib` replaced the same way (shared/adapters/zlib-on-first-use.cjs): the bundled SDK
   * requires it at load for a CRC32 that only its event-stream codec uses (4-7 ms). Off: a privacy
   * invocation against dynalite was seen to load Node's undici, which loads zlib itself, in its
   * first invocation (test/integration/bundle-credentials.test.ts), so the saving may only move
   * the cost there; on once that is explained. Only with `bundleSdk`.
   */
  lazyZlib: boolean;
}

export const BUNDLE_CHOICES: BundleChoices = { bundleSdk: true, tracing: 'lambda', sourceMapsAtRuntime: false, credentials: 'env', clients: 'used', lazyHttp2: true, lazyBuiltins: true, lazyZlib: false };

/** How the bundles were built before issue 12: the SDK from the runtime, Powertools tracing, source maps on. */
export const BUNDLE_CHOICES_BEFORE: BundleChoices = { bundleSdk: false, tracing: 'powertools', sourceMapsAtRuntime: true, credentials: 'chain', clients: 'all', lazyHttp2: false, lazyBuiltins: false, lazyZlib: false };

/**
 * The SDK bundled whole, as deployed from the first cold-start change of issue 12 until the
 * credential and client choices: the default credential chain and all seven clients in every
 * bundle. Measured beside BUNDLE_CHOICES so that those two choices have their own before/after.
 */
export const BUNDLE_CHOICES_WHOLE_SDK: BundleChoices = { ...BUNDLE_CHOICES, credentials: 'chain', clients: 'all', lazyHttp2: false, lazyBuiltins: false, lazyZlib: false };

/**
 * Left out of the bundle: with `bundleSdk` off, AWS SDK v3 (`@aws-sdk/*`), which the Node.js 24
 * runtime provides (the Smithy packages it is built on come with the runtime's copy).
 */
export function bundleExternals(choices: BundleChoices = BUNDLE_CHOICES): string[] {
  return choices.bundleSdk ? [] : ['@aws-sdk/*'];
}

/** The module every client's runtime configuration takes its default credential provider from. */
export const SDK_CREDENTIAL_CHAIN = '@aws-sdk/credential-provider-node';
/** What replaces it with `credentials: 'env'` (absolute: esbuild resolves an alias from its working directory). */
export const ENV_CREDENTIALS_MODULE = join(__dirname, '..', '..', 'shared', 'adapters', 'env-credentials.ts');

/** The SDK's HTTP handlers, and what replaces them with `lazyHttp2`. */
export const SDK_HTTP_HANDLER = '@smithy/node-http-handler';
export const LAZY_HTTP2_MODULE = join(__dirname, '..', '..', 'shared', 'adapters', 'node-http-handler-lazy-http2.mjs');

/** Node built-ins, and what replaces them with `lazyBuiltins`. */
export const NODE_STREAM_WEB = 'node:stream/web';
export const LAZY_STREAM_WEB_MODULE = join(__dirname, '..', '..', 'shared', 'adapters', 'stream-web-on-first-use.cjs');
export const NODE_ZLIB = 'node:zlib';
export const LAZY_ZLIB_MODULE = join(__dirname, '..', '..', 'shared', 'adapters', 'zlib-on-first-use.cjs');

/**
 * Import paths esbuild replaces (its `alias`): when the SDK is bundled (an external SDK brings its
 * own), the credential chain by the environment provider when `credentials` is `env` and the HTTP
 * handlers by the ones that load HTTP/2 on first use when `lazyHttp2` is on, and zlib by its
 * stand-in with `lazyZlib`; with `lazyBuiltins`, Node's web streams by theirs in any case.
 */
export function bundleAliases(choices: BundleChoices = BUNDLE_CHOICES): Record<string, string> {
  const streamWeb: Record<string, string> = choices.lazyBuiltins ? { [NODE_STREAM_WEB]: LAZY_STREAM_WEB_MODULE } : {};
  if (!choices.bundleSdk) return streamWeb;
  return {
    ...(choices.credentials === 'env' ? { [SDK_CREDENTIAL_CHAIN]: ENV_CREDENTIALS_MODULE } : {}),
    ...(choices.lazyHttp2 ? { [SDK_HTTP_HANDLER]: LAZY_HTTP2_MODULE } : {}),
    ...streamWeb,
    ...(choices.lazyZlib ? { [NODE_ZLIB]: LAZY_ZLIB_MODULE } : {}),
  };
}

/** The same aliases as NodejsFunction's `esbuildArgs` (it has no `alias` option of its own). */
export function bundleEsbuildArgs(choices: BundleChoices = BUNDLE_CHOICES): Record<string, string> {
  return Object.fromEntries(Object.entries(bundleAliases(choices)).map(([from, to]) => [`--alias:${from}`, to]));
}

/** The function's NODE_OPTIONS. */
export function bundleNodeOptions(choices: BundleChoices = BUNDLE_CHOICES): string {
  return choices.sourceMapsAtRuntime ? '--enable-source-maps' : '';
}

/** Resolution order: ESM builds first, which tree-shake better. */
export const BUNDLE_MAIN_FIELDS: string[] = ['module', 'main'];

/**
 * The configuration validated at synth becomes a literal in the bundle: the function runs exactly
 * what `cdk synth` checked, with no config file to ship or to drift.
 */
export function bundleDefines(config: MicroMomentsConfig, choices: BundleChoices = BUNDLE_CHOICES): Record<string, string> {
  return {
    [`process.env.${ENV.config}`]: JSON.stringify(JSON.stringify(config)),
    'process.env.MM_TRACING': JSON.stringify(choices.tracing),
    'process.env.MM_CLIENTS': JSON.stringify(choices.clients),
  };
}
