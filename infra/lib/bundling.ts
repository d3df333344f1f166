/**
 * How every function is bundled, in one place: CDK's NodejsFunction reads it at synth and
 * `npm run bench` builds the same bundles with esbuild directly to measure their size and cold
 * initialisation, so the figures are those of what is deployed.
 */
import type { MicroMomentsConfig } from '../../shared/config';
import { ENV } from '../../shared/names';

/** esbuild target of the Lambda runtime (Node.js 24). */
export const BUNDLE_TARGET = 'node24';

/**
 * Left out of the bundles because the Node.js 24 runtime provides them: AWS SDK v3 (`@aws-sdk/*`)
 * and the Smithy packages it is built on, which the runtime's SDK copy carries.
 */
export const BUNDLE_EXTERNALS: string[] = ['@aws-sdk/*'];

/** Resolution order: ESM builds first, which tree-shake better. */
export const BUNDLE_MAIN_FIELDS: string[] = ['module', 'main'];

/**
 * The configuration validated at synth becomes a literal in the bundle: the function runs exactly
 * what `cdk synth` checked, with no config file to ship or to drift.
 */
export function bundleDefines(config: MicroMomentsConfig): Record<string, string> {
  return { [`process.env.${ENV.config}`]: JSON.stringify(JSON.stringify(config)) };
}
