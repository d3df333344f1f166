/**
 * `npm run bench`, section 4: bundle size and cold initialisation of each function, built as
 * `cdk synth` builds them (bench/bundles-build.ts) and loaded in fresh Node.js 24 processes
 * (bench/bundles-cold-init.ts). Everything is written to a temp dir, removed at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type MicroMomentsConfig } from '../shared/config';
import { buildFunctionBundle, FUNCTION_ENTRIES } from './bundles-build';
import { childNode, coldInitEnvironment, median, runChild, writeChild, type ChildReport } from './bundles-cold-init';
import { bundleNotes, bundleRows, type BundleMeasurement } from './bundles-report';
import type { BenchSection, BundleData } from './types';

/** The channels with a notify function: those enabled in the configuration (infra/constructs/notification.ts). */
export function notifyChannels(config: MicroMomentsConfig): string[] {
  return Object.entries(config.channels)
    .filter(([, c]) => c?.enabled)
    .map(([name]) => name);
}

async function coldInitRuns(node: string, child: string, file: string, env: Record<string, string>, runs: number) {
  const reports: ChildReport[] = [];
  const errors: string[] = [];
  for (let i = 0; i < runs; i++) {
    try {
      const r = await runChild(node, child, file, env);
      if (r.error !== undefined) errors.push(r.error);
      else if (!r.handlerIsFunction) errors.push('the bundle exports no handler function');
      else reports.push(r);
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  return { reports, errors };
}

export async function runBundleBench(opts: { quick: boolean }): Promise<BenchSection<BundleData[]>> {
  const runs = opts.quick ? 3 : 7;
  // `cdk synth` without context: the default configuration of its default stage.
  const config = loadConfig();
  const channels = notifyChannels(config);
  const dir = mkdtempSync(join(tmpdir(), 'mm-bench-bundles-'));
  const node = childNode();
  const measurements: BundleMeasurement[] = [];
  const data: BundleData[] = [];
  let nodeVersion = '';
  try {
    const child = writeChild(dir);
    for (const entry of FUNCTION_ENTRIES) {
      const built = await buildFunctionBundle(entry, join(dir, entry), config);
      const env = coldInitEnvironment(entry, config, entry === 'notify' ? channels[0] : undefined);
      const { reports, errors } = await coldInitRuns(node, child, built.file, env, runs);
      nodeVersion ||= reports[0]?.nodeVersion ?? '';
      const coldInitRunsMs = reports.map((r) => r.requireMs);
      const externalsMs = reports.map((r) => Object.values(r.externalsMs).reduce((a, b) => a + b, 0));
      const label = entry === 'notify' && channels.length > 0 ? `notify (${channels.join(', ')})` : entry;
      measurements.push({
        label,
        bytes: built.bytes,
        coldInitMs: median(coldInitRunsMs),
        processToReadyMs: median(reports.map((r) => r.processToReadyMs)),
        externalsMs: median(externalsMs),
        topInputs: built.topInputs,
        topPackages: built.topPackages,
        network: reports.flatMap((r) => r.network),
        errors: [...new Set(errors)],
      });
      data.push({ service: entry, bytes: built.bytes, coldInitMs: median(coldInitRunsMs), coldInitRunsMs });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    title: 'Bundle size and cold initialisation',
    rows: bundleRows(measurements),
    notes: [
      `Bundles built with esbuild from infra/lib/bundling.ts (target, externals, main fields, the stage "${config.stage}" configuration baked in by bundleDefines) ` +
        'and the flags of CDK NodejsFunction (bundle, platform node, cjs, minify, linked source map, no sources content); KB is index.js alone, not the .map.',
      `Cold init = require() of the bundle, which builds the handler, timed with process.hrtime inside a fresh ${nodeVersion || 'Node.js'} process; median of ${runs} runs each. ` +
        '"process start → ready" is performance.now() at that point, for context (Node bootstrap included).',
      'The child has a Lambda-like environment (fake credentials and region, the variables CDK sets for the function, NODE_OPTIONS=--enable-source-maps as deployed) ' +
        'and resolves the externals (@aws-sdk/*, provided by the Lambda runtime) from the project node_modules through NODE_PATH: loading the SDK is part of a real cold start, and is shown apart.',
      `notify is one bundle (functions/notify/index.ts) for every channel, and the channel adapter is chosen at the first invocation, not at load: measured once, with MM_CHANNEL=${channels[0] ?? 'webhook'}.`,
      ...bundleNotes(measurements),
    ],
    data,
  };
}
