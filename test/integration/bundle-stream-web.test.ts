/**
 * BUNDLE_CHOICES.lazyStreamWeb: in a bundle, `node:stream/web` is the stand-in whose exports load
 * the module when first read, so `@middy/core`'s import of `ReadableStream` (for streamed
 * responses, which no function returns) costs nothing at cold start. Run in fresh Node processes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { bundleBuildOptions } from '../../bench/bundles-build';
import { childNode, coldInitEnvironment } from '../../bench/bundles-cold-init';
import { BUNDLE_CHOICES, LAZY_STREAM_WEB_MODULE } from '../../infra/lib/bundling';
import { loadConfig } from '../../shared/config';

const run = async (file: string, env: Record<string, string> = {}) => {
  const { stdout } = await promisify(execFile)(childNode(), [file], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
};
const streamWebLoaded = "process.moduleLoadList.includes('NativeModule stream/web')";

describe('node:stream/web loaded on first use (BUNDLE_CHOICES.lazyStreamWeb)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mm-bundle-stream-web-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the stand-in has the names of the runtime Node’s module, each the same object, loaded when first read', async () => {
    writeFileSync(
      join(dir, 'names.cjs'),
      `const stand = require(${JSON.stringify(LAZY_STREAM_WEB_MODULE)});
const atLoad = ${streamWebLoaded};
const names = Object.keys(stand);
const read = stand.ReadableStream;
const afterRead = ${streamWebLoaded};
const real = require('node:stream/web');
console.log(JSON.stringify({ atLoad, afterRead, names, realNames: Object.keys(real), same: Object.keys(real).every((k) => stand[k] === real[k]), instance: new read() instanceof real.ReadableStream }));
`,
    );
    const r = await run(join(dir, 'names.cjs'));
    expect(r.names).toEqual(r.realNames);
    expect(r).toMatchObject({ atLoad: false, afterRead: true, same: true, instance: true });
  }, 60_000);

  test('the deployed score bundle (middy imports ReadableStream) does not load node:stream/web at cold start; without the choice it does', async () => {
    const config = loadConfig();
    const load = async (name: string, lazyStreamWeb: boolean) => {
      const options = bundleBuildOptions('score', join(dir, name), config, { ...BUNDLE_CHOICES, lazyStreamWeb });
      await build({ ...options, sourcemap: false });
      writeFileSync(join(dir, `${name}.cjs`), `const m = require(${JSON.stringify(options.outfile)}); console.log(JSON.stringify({ handler: typeof m.handler, streamWeb: ${streamWebLoaded} }));\n`);
      return run(join(dir, `${name}.cjs`), coldInitEnvironment('score', config));
    };
    expect(await load('lazy', true)).toEqual({ handler: 'function', streamWeb: false });
    expect(await load('eager', false)).toEqual({ handler: 'function', streamWeb: true });
  }, 120_000);
});
