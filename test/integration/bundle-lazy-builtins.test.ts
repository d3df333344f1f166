/**
 * BUNDLE_CHOICES.lazyBuiltins: in a bundle, `node:stream/web` and `node:zlib` are stand-ins whose
 * exports load the module when first read (zlib's `crc32` when first called), so `@middy/core`'s
 * import of `ReadableStream` and the SDK's CRC32 cost nothing at cold start. Run in fresh Node
 * processes, as Lambda loads the bundles.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { bundleBuildOptions } from '../../bench/bundles-build';
import { childNode, coldInitEnvironment } from '../../bench/bundles-cold-init';
import { BUNDLE_CHOICES, LAZY_STREAM_WEB_MODULE, LAZY_ZLIB_MODULE, NODE_STREAM_WEB, NODE_ZLIB } from '../../infra/lib/bundling';
import { loadConfig } from '../../shared/config';

const run = async (file: string, env: Record<string, string> = {}) => {
  const { stdout } = await promisify(execFile)(childNode(), [file], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
};
const loaded = (id: string) => `process.moduleLoadList.includes('NativeModule ${id.replace('node:', '')}')`;

describe('Node built-ins loaded on first use (BUNDLE_CHOICES.lazyBuiltins)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mm-bundle-builtins-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each([
    [NODE_STREAM_WEB, LAZY_STREAM_WEB_MODULE, 'ReadableStream', 'typeof stand.ReadableStream === "function" && new stand.ReadableStream() instanceof real.ReadableStream'],
    [NODE_ZLIB, LAZY_ZLIB_MODULE, 'crc32', 'stand.crc32("hello") === real.crc32("hello") && stand.gunzipSync(real.gzipSync("x")).toString() === "x"'],
  ])('%s: the stand-in has the runtime Node’s names, loads the module only when one is used, and behaves as it', async (id, file, first, works) => {
    const script = join(dir, `${first}.cjs`);
    writeFileSync(
      script,
      `const stand = require(${JSON.stringify(file)});
const atLoad = ${loaded(id)};
const names = Object.keys(stand);
const kind = typeof stand.${first};
const afterTypeof = ${loaded(id)};
const real = require(${JSON.stringify(id)});
const same = Object.keys(real).every((k) => k === '${first}' && kind === 'function' || stand[k] === real[k]);
console.log(JSON.stringify({ atLoad, afterTypeof, names, realNames: Object.keys(real), same, works: ${works} }));
`,
    );
    const r = await run(script);
    expect(r.names).toEqual(r.realNames);
    expect(r).toMatchObject({ atLoad: false, same: true, works: true });
    // zlib's crc32 is tested with typeof at load by the SDK: that must not load the module.
    if (id === NODE_ZLIB) expect(r.afterTypeof).toBe(false);
  }, 60_000);

  test('the score bundle with both stand-ins (middy imports ReadableStream, the SDK reads zlib.crc32) loads neither at cold start; without them it loads both', async () => {
    const config = loadConfig();
    const load = async (name: string, lazy: boolean) => {
      const options = bundleBuildOptions('score', join(dir, name), config, { ...BUNDLE_CHOICES, lazyBuiltins: lazy, lazyZlib: lazy });
      await build({ ...options, sourcemap: false });
      writeFileSync(
        join(dir, `${name}.cjs`),
        `const m = require(${JSON.stringify(options.outfile)}); console.log(JSON.stringify({ handler: typeof m.handler, streamWeb: ${loaded(NODE_STREAM_WEB)}, zlib: ${loaded(NODE_ZLIB)} }));\n`,
      );
      return run(join(dir, `${name}.cjs`), coldInitEnvironment('score', config));
    };
    expect(await load('lazy', true)).toEqual({ handler: 'function', streamWeb: false, zlib: false });
    expect(await load('eager', false)).toEqual({ handler: 'function', streamWeb: true, zlib: true });
  }, 120_000);
});
