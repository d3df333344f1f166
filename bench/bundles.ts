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
import { BUNDLE_CHOICES, BUNDLE_CHOICES_BEFORE, BUNDLE_CHOICES_WHOLE_SDK, type BundleChoices } from '../infra/lib/bundling';
import { bundleNotes, bundleRows, type BundleMeasurement } from './bundles-report';
import type { BenchSection, BundleData } from './types';

/** The channels with a notify function: those enabled in the configuration (infra/constructs/notification.ts). */
export function notifyChannels(config: MicroMomentsConfig): string[] {
  return Object.entries(config.channels)
    .filter(([, c]) => c?.enabled)
    .map(([name]) => name);
}

/** The bundles as deployed, with the SDK bundled whole, and as they were built before issue 12, measured side by side. */
const VARIANTS: { suffix: string; choices: BundleChoices }[] = [
  { suffix: '', choices: BUNDLE_CHOICES },
  { suffix: ' (SDK bundled whole: credential chain, every client, HTTP/2, zlib and web streams at load)', choices: BUNDLE_CHOICES_WHOLE_SDK },
  { suffix: ' (before: SDK external, X-Ray SDK, source maps, credential chain, every client)', choices: BUNDLE_CHOICES_BEFORE },
];

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
      const built = await Promise.all(VARIANTS.map((v, i) => buildFunctionBundle(entry, join(dir, `${entry}-${i}`), config, v.choices)));
      const envs = VARIANTS.map((v) => coldInitEnvironment(entry, config, entry === 'notify' ? channels[0] : undefined, v.choices));
      // Runs of the variants alternate, so a change in the machine's load falls on all of them.
      const reports: ChildReport[][] = VARIANTS.map(() => []);
      const errors: string[][] = VARIANTS.map(() => []);
      for (let r = 0; r < runs; r++) {
        for (let i = 0; i < VARIANTS.length; i++) {
          try {
            const report = await runChild(node, child, built[i].file, envs[i]);
            if (report.error !== undefined) errors[i].push(report.error);
            else if (!report.handlerIsFunction) errors[i].push('the bundle exports no handler function');
            else reports[i].push(report);
          } catch (e) {
            errors[i].push((e as Error).message);
          }
        }
      }
      const base = entry === 'notify' && channels.length > 0 ? `notify (${channels.join(', ')})` : entry;
      VARIANTS.forEach((v, i) => {
        nodeVersion ||= reports[i][0]?.nodeVersion ?? '';
        const coldInitRunsMs = reports[i].map((r) => r.requireMs);
        measurements.push({
          label: `${base}${v.suffix}`,
          bytes: built[i].bytes,
          coldInitMs: median(coldInitRunsMs),
          coldInitCpuMs: median(reports[i].map((r) => r.requireCpuMs)),
          processToReadyMs: median(reports[i].map((r) => r.processToReadyMs)),
          externalsMs: median(reports[i].map((r) => Object.values(r.externalsMs).reduce((a, b) => a + b, 0))),
          topInputs: built[i].topInputs,
          topPackages: built[i].topPackages,
          network: reports[i].flatMap((r) => r.network),
          errors: [...new Set(errors[i])],
        });
        if (i === 0) data.push({ service: entry, bytes: built[i].bytes, coldInitMs: median(coldInitRunsMs), coldInitRunsMs });
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const n = VARIANTS.length;
  const ratio = (k: number, i: number) => measurements[n * k].coldInitMs / measurements[n * k + i].coldInitMs;
  const ratios = (i: number) => FUNCTION_ENTRIES.map((e, k) => `${e} ${Number.isFinite(ratio(k, i)) ? ratio(k, i).toFixed(2) : '-'}`).join(', ');
  return {
    title: 'Bundle size and cold initialisation',
    rows: bundleRows(measurements),
    notes: [
      `Bundles built with esbuild from infra/lib/bundling.ts (target, externals, main fields, the stage "${config.stage}" configuration baked in by bundleDefines), ` +
        `as deployed (BUNDLE_CHOICES: SDK ${BUNDLE_CHOICES.bundleSdk ? 'bundled' : 'external'}, tracing ${BUNDLE_CHOICES.tracing}, source maps at run time ${BUNDLE_CHOICES.sourceMapsAtRuntime ? 'on' : 'off'}, credentials ${BUNDLE_CHOICES.credentials === 'env' ? 'from the environment only' : 'by the SDK default chain'}, SDK clients: ${BUNDLE_CHOICES.clients === 'used' ? 'those the entry point lists' : 'all seven'}, HTTP/2 ${BUNDLE_CHOICES.lazyHttp2 ? 'loaded on first use' : 'loaded with the handlers'}, web streams ${BUNDLE_CHOICES.lazyBuiltins ? 'loaded on first use' : 'at load'}, zlib ${BUNDLE_CHOICES.lazyZlib ? 'loaded on first use' : 'at load'}), with the SDK bundled whole (BUNDLE_CHOICES_WHOLE_SDK) and as before issue 12 (BUNDLE_CHOICES_BEFORE), ` +
        'and the flags of CDK NodejsFunction (bundle, platform node, cjs, minify, linked source map, no sources content); KB is index.js alone, not the .map.',
      `Cold init = require() of the bundle, which builds the handler, timed with process.hrtime inside a fresh ${nodeVersion || 'Node.js'} process; median of ${runs} runs each, the runs of the builds alternating; CPU ms is the process's CPU time over the same require (steadier than wall time on a loaded machine). ` +
        '"process start → ready" is performance.now() at that point, for context (Node bootstrap included).',
      'The child has a Lambda-like environment (fake credentials and region, the variables CDK sets for the function, NODE_OPTIONS as deployed) ' +
        'and resolves the externals (@aws-sdk/*, provided by the Lambda runtime) from the project node_modules through NODE_PATH: loading the SDK is part of a real cold start, and is shown apart.',
      `notify is one bundle (functions/notify/index.ts) for every channel, and the channel adapter is chosen at the first invocation, not at load: measured once, with MM_CHANNEL=${channels[0] ?? 'webhook'}.`,
      `Cold init as deployed / SDK bundled whole, median per function: ${ratios(1)}.`,
      `Cold init as deployed / before issue 12, median per function: ${ratios(2)}.`,
      ...bundleNotes(measurements),
    ],
    data,
  };
}
