/**
 * What infra/lib/bundling.ts asks of the stack: env-only credentials hold only where Lambda puts the
 * execution role's credentials in the environment, which a function with SnapStart does not.
 */
import { BUNDLE_CHOICES, bundleAliases, bundleEsbuildArgs, ENV_CREDENTIALS_MODULE, LAZY_HTTP2_MODULE, LAZY_STREAM_WEB_MODULE, LAZY_ZLIB_MODULE, NODE_STREAM_WEB, NODE_ZLIB, SDK_CREDENTIAL_CHAIN, SDK_HTTP_HANDLER } from '../../infra/lib/bundling';
import { ofType, synth } from './helpers';

describe('bundling choices in the stack', () => {
  const s = synth();

  test('with env-only credentials no function uses SnapStart (its credentials come from the container endpoint)', () => {
    const functions = ofType(s.resources, 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(0);
    if (BUNDLE_CHOICES.credentials !== 'env') return;
    for (const [, fn] of functions) {
      expect(fn.Properties.SnapStart).toBeUndefined();
      const vars = Object.keys((fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {});
      expect(vars.filter((v) => v.startsWith('AWS_'))).toEqual([]);
    }
  });

  test('modules are replaced only when the SDK is bundled and their choice is on', () => {
    const sdk = { ...BUNDLE_CHOICES, bundleSdk: true, lazyBuiltins: false };
    expect(bundleAliases({ ...sdk, credentials: 'env', lazyHttp2: false })).toEqual({ [SDK_CREDENTIAL_CHAIN]: ENV_CREDENTIALS_MODULE });
    expect(bundleAliases({ ...sdk, credentials: 'chain', lazyHttp2: true })).toEqual({ [SDK_HTTP_HANDLER]: LAZY_HTTP2_MODULE });
    expect(bundleAliases({ ...sdk, credentials: 'chain', lazyHttp2: false })).toEqual({});
    expect(bundleAliases({ ...sdk, bundleSdk: false, credentials: 'env', lazyHttp2: true })).toEqual({});
    expect(bundleEsbuildArgs({ ...sdk, credentials: 'env', lazyHttp2: true })).toEqual({
      [`--alias:${SDK_CREDENTIAL_CHAIN}`]: ENV_CREDENTIALS_MODULE,
      [`--alias:${SDK_HTTP_HANDLER}`]: LAZY_HTTP2_MODULE,
    });
  });

  test('with lazyBuiltins, node:stream/web is replaced with or without the SDK bundled (middy is always bundled); with lazyZlib, node:zlib only with it', () => {
    const off = { ...BUNDLE_CHOICES, credentials: 'chain', lazyHttp2: false, lazyBuiltins: false, lazyZlib: false } as const;
    expect(bundleAliases({ ...off, bundleSdk: false, lazyBuiltins: true, lazyZlib: true })).toEqual({ [NODE_STREAM_WEB]: LAZY_STREAM_WEB_MODULE });
    expect(bundleAliases({ ...off, bundleSdk: true, lazyBuiltins: true })).toEqual({ [NODE_STREAM_WEB]: LAZY_STREAM_WEB_MODULE });
    expect(bundleAliases({ ...off, bundleSdk: true, lazyZlib: true })).toEqual({ [NODE_ZLIB]: LAZY_ZLIB_MODULE });
    expect(bundleAliases({ ...off, bundleSdk: true })).toEqual({});
    expect(bundleEsbuildArgs({ ...off, lazyBuiltins: true, lazyZlib: true })).toEqual({ [`--alias:${NODE_STREAM_WEB}`]: LAZY_STREAM_WEB_MODULE, [`--alias:${NODE_ZLIB}`]: LAZY_ZLIB_MODULE });
  });
});
