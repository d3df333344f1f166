import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { bundleBuildOptions, packageOf, PROJECT_ROOT, topInputs, topPackages } from '../../../bench/bundles-build';
import { childNode, coldInitEnvironment, median, parseChildReport, runChild, writeChild } from '../../../bench/bundles-cold-init';
import { againstTarget, bundleNotes, bundleRows, type BundleMeasurement } from '../../../bench/bundles-report';
import { notifyChannels } from '../../../bench/bundles';
import { BUNDLE_CHOICES, BUNDLE_CHOICES_BEFORE, BUNDLE_MAIN_FIELDS, BUNDLE_TARGET, bundleAliases, bundleDefines, bundleExternals } from '../../../infra/lib/bundling';
import { loadConfig } from '../../../shared/config';
import { ENV } from '../../../shared/names';

const config = loadConfig();

describe('bundle build options', () => {
  test('take every setting from infra/lib/bundling.ts, with the flags CDK adds', () => {
    const o = bundleBuildOptions('enrich', '/tmp/out', config);
    expect(o).toMatchObject({
      entryPoints: [join(PROJECT_ROOT, 'functions', 'enrich', 'index.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      outfile: join('/tmp/out', 'index.js'),
      target: BUNDLE_TARGET,
      external: bundleExternals(),
      alias: bundleAliases(),
      mainFields: BUNDLE_MAIN_FIELDS,
      define: bundleDefines(config),
    });
  });

  test('the cold-start choices: the SDK bundled or left to the runtime, the tracing mode baked in', () => {
    expect(bundleBuildOptions('enrich', '/tmp/out', config, { ...BUNDLE_CHOICES, bundleSdk: true }).external).toEqual([]);
    const before = bundleBuildOptions('enrich', '/tmp/out', config, BUNDLE_CHOICES_BEFORE);
    expect(before.external).toEqual(['@aws-sdk/*']);
    expect(before.alias).toEqual({});
    expect(before.define?.['process.env.MM_TRACING']).toBe('"powertools"');
    expect(bundleBuildOptions('enrich', '/tmp/out', config, { ...BUNDLE_CHOICES, tracing: 'lambda' }).define?.['process.env.MM_TRACING']).toBe('"lambda"');
  });

  test('a bundle traced by Lambda alone carries no X-Ray SDK; one traced by Powertools does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-bench-tracing-'));
    try {
      const inputs = async (tracing: 'lambda' | 'powertools') => {
        const result = await build(bundleBuildOptions('score', join(dir, tracing), config, { bundleSdk: false, sourceMapsAtRuntime: false, tracing, credentials: 'chain', clients: 'used', lazyHttp2: false, lazyBuiltins: false, lazyZlib: false }));
        return Object.keys(result.metafile?.inputs ?? {}).map(packageOf);
      };
      expect(await inputs('lambda')).not.toContain('aws-xray-sdk-core');
      expect(await inputs('powertools')).toContain('aws-xray-sdk-core');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('bundle contributors (esbuild metafile)', () => {
  const metafile: Metafile = {
    inputs: {},
    outputs: {
      '../tmp/out/index.js.map': { imports: [], exports: [], inputs: {}, bytes: 9 },
      '../tmp/out/index.js': {
        imports: [],
        exports: [],
        bytes: 1000,
        inputs: {
          'node_modules/ajv/dist/core.js': { bytesInOutput: 300 },
          'node_modules/ajv/dist/compile/index.js': { bytesInOutput: 200 },
          'node_modules/@aws-lambda-powertools/logger/lib/esm/Logger.js': { bytesInOutput: 250 },
          'node_modules/a/node_modules/semver/index.js': { bytesInOutput: 120 },
          'shared/store/keys.ts': { bytesInOutput: 100 },
          'functions/enrich/index.ts': { bytesInOutput: 30 },
          'node_modules/tree-shaken/index.js': { bytesInOutput: 0 },
        },
      },
    },
  };
  const outfile = join(PROJECT_ROOT, '../tmp/out/index.js');

  test('top inputs by bytes in the output, largest first, the .map ignored', () => {
    expect(topInputs(metafile, outfile, 3)).toEqual([
      { path: 'node_modules/ajv/dist/core.js', bytes: 300 },
      { path: 'node_modules/@aws-lambda-powertools/logger/lib/esm/Logger.js', bytes: 250 },
      { path: 'node_modules/ajv/dist/compile/index.js', bytes: 200 },
    ]);
  });

  test('grouped by package (scoped, nested) or project folder; tree-shaken inputs left out', () => {
    expect(topPackages(metafile, outfile, 10)).toEqual([
      { path: 'ajv', bytes: 500 },
      { path: '@aws-lambda-powertools/logger', bytes: 250 },
      { path: 'semver', bytes: 120 },
      { path: 'shared/store', bytes: 100 },
      { path: 'functions/enrich', bytes: 30 },
    ]);
    expect(packageOf('index.ts')).toBe('index.ts');
  });

  test('an outfile the metafile does not hold is an error, not an empty list', () => {
    expect(() => topInputs(metafile, '/elsewhere/index.js')).toThrow(/no output/);
  });
});

describe('cold-init environment', () => {
  test('each function gets what CDK sets for it, with fake credentials', () => {
    const enrich = coldInitEnvironment('enrich', config);
    expect(enrich[ENV.quarantineQueueUrl]).toMatch(/^https:\/\/sqs\./);
    expect(enrich[ENV.pepperSecretArn]).toMatch(/^arn:aws:secretsmanager:/);
    expect(enrich.AWS_ACCESS_KEY_ID).toMatch(/FAKE/);
    expect(enrich.NODE_OPTIONS).toBe(BUNDLE_CHOICES.sourceMapsAtRuntime ? '--enable-source-maps' : undefined);
    expect(coldInitEnvironment('enrich', config, undefined, BUNDLE_CHOICES_BEFORE).NODE_OPTIONS).toBe('--enable-source-maps');
    expect(coldInitEnvironment('score', config)[ENV.pepperSecretArn]).toBeUndefined();
    const push = coldInitEnvironment('notify', config, 'push');
    expect(push).toMatchObject({ [ENV.channel]: 'push', POWERTOOLS_SERVICE_NAME: 'notify-push' });
    expect(push[ENV.notificationTopicArn]).toBeDefined();
    expect(push[ENV.webhookSecretArn]).toBeUndefined();
    const webhook = coldInitEnvironment('notify', config, 'webhook');
    expect(webhook[ENV.webhookSecretArn]).toMatch(/^arn:aws:secretsmanager:/);
    expect(webhook[ENV.notificationTopicArn]).toBeUndefined();
    expect(coldInitEnvironment('privacy', config)[ENV.exportBucket]).toBeTruthy();
  });

  test('notify functions exist for the enabled channels only', () => {
    // Not validated on purpose: a routing rule still names sms, which validateConfig refuses.
    const c = { ...config, channels: { ...config.channels, sms: { kind: 'sns' as const, enabled: false } } };
    expect(notifyChannels(c)).toEqual(['webhook', 'push']);
  });
});

describe('cold-init child report', () => {
  test('the JSON line is read among other output', () => {
    const r = parseChildReport(`warning: something\n{"requireMs":12.5,"requireCpuMs":9,"processToReadyMs":40,"handlerIsFunction":true,"externalsMs":{"@aws-sdk/client-sqs":3},"network":[],"nodeVersion":"v22.1.0"}\n`);
    expect(r).toEqual({ requireMs: 12.5, requireCpuMs: 9, processToReadyMs: 40, handlerIsFunction: true, externalsMs: { '@aws-sdk/client-sqs': 3 }, network: [], nodeVersion: 'v22.1.0' });
  });
  test('no report is an error that shows what was printed', () => {
    expect(() => parseChildReport('Segmentation fault')).toThrow(/no report.*Segmentation/);
  });

  // Runs the real child on small fake bundles: it must time the load, see the externals and the
  // network used at init, and report a load that throws instead of hanging.
  const dir = mkdtempSync(join(tmpdir(), 'mm-bench-child-'));
  const child = writeChild(dir);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bundle = (name: string, source: string) => {
    const file = join(dir, `${name}.js`);
    writeFileSync(file, source);
    return file;
  };

  test('a bundle that builds its handler quietly: timed, externals measured, no network', async () => {
    const file = bundle('quiet', `require('@aws-sdk/client-sqs'); exports.handler = async () => 1;`);
    const r = await runChild(childNode(), child, file, {});
    expect(r.error).toBeUndefined();
    expect(r.handlerIsFunction).toBe(true);
    expect(r.requireMs).toBeGreaterThan(0);
    expect(r.requireCpuMs).toBeGreaterThan(0);
    expect(r.processToReadyMs).toBeGreaterThan(r.requireMs);
    expect(Object.keys(r.externalsMs)).toEqual(['@aws-sdk/client-sqs']);
    expect(r.network).toEqual([]);
    expect(r.nodeVersion).toMatch(/^v\d+/);
  });

  test('a bundle that connects at load is reported, with the address', async () => {
    const file = bundle('chatty', `const s = require('node:net').connect(9, '127.0.0.1'); s.on('error', () => {}); exports.handler = async () => 1;`);
    const r = await runChild(childNode(), child, file, {});
    expect(r.network).toContain('connect 127.0.0.1:9');
  });

  test('a bundle that throws at load is reported as an error', async () => {
    const file = bundle('broken', `throw new Error('environment variable MM_TABLE is required');`);
    const r = await runChild(childNode(), child, file, {});
    expect(r.error).toContain('MM_TABLE');
    expect(r.handlerIsFunction).toBe(false);
  });

  test('median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });
});

describe('bundle report', () => {
  const m = (over: Partial<BundleMeasurement>): BundleMeasurement => ({
    label: 'enrich', bytes: 250 * 1024, coldInitMs: 90, coldInitCpuMs: 70, processToReadyMs: 130, externalsMs: 40,
    topInputs: [{ path: 'node_modules/ajv/dist/core.js', bytes: 12 * 1024 }], topPackages: [{ path: 'ajv', bytes: 102 * 1024 }],
    network: [], errors: [], ...over,
  });

  test('targets met and missed, by how much', () => {
    expect(againstTarget(250, 300, 'KB')).toBe('met (250 KB, 17% under 300 KB)');
    expect(againstTarget(384, 300, 'KB')).toBe('missed: 384 KB, 84 KB over 300 KB (1.28×)');
  });

  test('rows in KB and ms; notes carry the contributors and any network use', () => {
    expect(bundleRows([m({})])[0]).toEqual({ function: 'enrich', KB: 250, 'cold init ms (median)': 90, 'cold init CPU ms': 70, 'of which @aws-sdk ms': 40, 'process start → ready ms': 130 });
    const notes = bundleNotes([m({ network: ['connect 1.2.3.4:443', 'connect 1.2.3.4:443'] })]);
    expect(notes.join('\n')).toContain('ajv 102 KB');
    expect(notes.join('\n')).toContain('NETWORK USE AT INIT: connect 1.2.3.4:443');
    expect(bundleNotes([m({})]).join('\n')).toContain('No function opened a socket');
  });
});
