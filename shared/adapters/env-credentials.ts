/**
 * What a Lambda bundle gets instead of `@aws-sdk/credential-provider-node` when
 * `BUNDLE_CHOICES.credentials` is `env` (infra/lib/bundling.ts aliases the package to this file,
 * so every client's runtime configuration resolves its `defaultProvider` here).
 *
 * The SDK's default chain tries environment, SSO, shared ini files, credential_process, web
 * identity, container and instance metadata, and bundles a nested STS/SSO client for them: about
 * 115 KB of every bundle and a fifth of a cold start. A Lambda function without SnapStart always
 * has its execution role's credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
 * AWS_SESSION_TOKEN, so the first link of the chain is the only one that ever answers. Without
 * them the first call fails with the SDK's own "Unable to find environment variable credentials"
 * rather than falling through to a provider that is not there.
 *
 * Not used by local mode, the CLIs or the tests (they run the sources, with the full chain or
 * static emulator credentials).
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type DefaultProviderInit = Parameters<typeof fromEnv>[0];

/** Same name and call shape as `@aws-sdk/credential-provider-node`'s export, which it replaces. */
export const defaultProvider = (init?: DefaultProviderInit) => fromEnv(init);
