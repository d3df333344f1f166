/**
 * BUNDLE_CHOICES.lazyHttp2: in a bundle, `@smithy/node-http-handler` is the stand-in that loads
 * the HTTP/2 handler (and `node:http2`) only when one is built. Run in fresh Node processes, as
 * Lambda loads the bundles.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { bundleBuildOptions, PROJECT_ROOT } from '../../bench/bundles-build';
import { childNode, coldInitEnvironment } from '../../bench/bundles-cold-init';
import { BUNDLE_CHOICES, bundleAliases } from '../../infra/lib/bundling';
import { loadConfig } from '../../shared/config';

const run = async (file: string, env: Record<string, string> = {}) => {
  const { stdout } = await promisify(execFile)(childNode(), [file], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
};

describe('HTTP/2 loaded on first use (BUNDLE_CHOICES.lazyHttp2)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mm-bundle-http2-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const http2Loaded = "process.moduleLoadList.includes('NativeModule http2')";

  test('the stand-in keeps the handlers: a given handler is used as it is, otherwise a real HTTP/2 handler is built then', async () => {
    writeFileSync(
      join(dir, 'entry.ts'),
      `import { NodeHttp2Handler, NodeHttpHandler, streamCollector } from '@smithy/node-http-handler';
const given = new NodeHttpHandler();
const atLoad = ${http2Loaded};
const same = NodeHttp2Handler.create(given) === given;
const afterGiven = ${http2Loaded};
const built = NodeHttp2Handler.create({});
console.log(JSON.stringify({ atLoad, same, afterGiven, builtHandles: typeof built.handle === 'function', afterBuilt: ${http2Loaded}, collector: typeof streamCollector }));
`,
    );
    await build({
      entryPoints: [join(dir, 'entry.ts')],
      absWorkingDir: PROJECT_ROOT,
      nodePaths: [join(PROJECT_ROOT, 'node_modules')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: join(dir, 'entry.js'),
      alias: bundleAliases({ ...BUNDLE_CHOICES, bundleSdk: true, lazyHttp2: true }),
      logLevel: 'silent',
    });
    expect(await run(join(dir, 'entry.js'))).toEqual({ atLoad: false, same: true, afterGiven: false, builtHandles: true, afterBuilt: true, collector: 'function' });
  }, 60_000);

  test('the deployed enrich bundle (its Kinesis client names the HTTP/2 handler as default) does not load node:http2 at cold start', async () => {
    const config = loadConfig();
    const options = bundleBuildOptions('enrich', join(dir, 'enrich'), config, { ...BUNDLE_CHOICES, bundleSdk: true, lazyHttp2: true });
    await build({ ...options, sourcemap: false });
    writeFileSync(join(dir, 'load.cjs'), `require(${JSON.stringify(options.outfile)}); console.log(JSON.stringify({ http2: ${http2Loaded} }));\n`);
    expect(await run(join(dir, 'load.cjs'), coldInitEnvironment('enrich', config))).toEqual({ http2: false });
    // The same bundle without the stand-in does: the check can fail.
    const eager = bundleBuildOptions('enrich', join(dir, 'enrich-eager'), config, { ...BUNDLE_CHOICES, bundleSdk: true, lazyHttp2: false });
    await build({ ...eager, sourcemap: false });
    writeFileSync(join(dir, 'load-eager.cjs'), `require(${JSON.stringify(eager.outfile)}); console.log(JSON.stringify({ http2: ${http2Loaded} }));\n`);
    expect(await run(join(dir, 'load-eager.cjs'), coldInitEnvironment('enrich', config))).toEqual({ http2: true });
  }, 120_000);
});
