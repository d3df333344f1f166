/**
 * Where a handler's CPU goes: runs enrich or score in memory (as the throughput section does) under
 * V8's sampling profiler, started after the warm-up so tsx, module loading and the JIT's first
 * minutes are not in it, and prints the top frames by self time, by function and by file.
 *
 *   node --import tsx bench/profile.ts --handler enrich --batch 100 [--signals 20000] [--top 25] [--out FILE.cpuprofile] [--tracing powertools]
 *
 * By default it profiles with the tracing the deployed bundles are built with (BUNDLE_CHOICES
 * in infra/lib/bundling.ts, `lambda`: no X-Ray SDK, so none of the async hooks its `cls-hooked`
 * installs on every promise), as the `cpu` section's target rows measure; `--tracing powertools`
 * runs the handlers as from source (the Powertools tracer loaded, tracing disabled).
 *
 * The .cpuprofile opens in Chrome DevTools (Performance → Load profile) or speedscope. Figures are
 * shares of the sampled time: indicative, for choosing what to change; the throughput section
 * measures the result.
 */
process.env.POWERTOOLS_TRACE_ENABLED = 'false';

import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { basename, relative } from 'node:path';
import { defineCommand, intValue, runCommand, UsageError } from '../scripts/cli';
import { BUNDLE_CHOICES } from '../infra/lib/bundling';
import { createEnrichHandler } from '../functions/enrich/handler';
import { createScoreHandler } from '../functions/score/handler';
import { benchContext } from './bench-context';
import { BENCH_CONFIG, createRig, enrichedRecords, measure, type KinesisHandler } from './harness';
import { chunks, kinesisEvent, simulateRecords, WORKLOADS } from './workload';

export const command = defineCommand({
  name: 'node --import tsx bench/profile.ts',
  summary: 'profile enrich or score in memory and print the top frames by self time.',
  usage: ['--handler enrich|score [--batch N] [--signals N] [--top N] [--out FILE.cpuprofile] [--tracing lambda|powertools]'],
  flags: {
    handler: { type: 'string', value: 'NAME', description: 'enrich or score', required: true },
    batch: { type: 'string', value: 'N', description: 'records per invocation', defaultText: '100' },
    signals: { type: 'string', value: 'N', description: 'signals profiled (after as many again of warm-up)', defaultText: '20000' },
    top: { type: 'string', value: 'N', description: 'frames printed', defaultText: '25' },
    out: { type: 'string', value: 'FILE', description: 'where to write the .cpuprofile', defaultText: 'not written' },
    tracing: { type: 'string', value: 'MODE', description: 'lambda (as deployed: no X-Ray SDK) or powertools (as from source)', defaultText: `${BUNDLE_CHOICES.tracing} (as deployed)` },
  },
  examples: ['node --import tsx bench/profile.ts --handler enrich --batch 100', 'node --import tsx bench/profile.ts --handler score --batch 1000 --out /tmp/score.cpuprofile'],
});

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface Frame {
  name: string;
  /** Share of the sampled time, 0..1. */
  self: number;
}

const where = (url: string): string => {
  if (!url) return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  return path.startsWith('node:') ? path : relative(process.cwd(), path);
};

/** Self time by function and by file or package, and inclusive time by function, as shares of all samples. */
export function topFrames(profile: CpuProfile): { byFunction: Frame[]; byFile: Frame[]; inclusive: Frame[] } {
  const hits = new Map<number, number>();
  for (const id of profile.samples ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
  const total = profile.samples?.length ?? 0;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Line numbers are the transpiled file's (tsx), not the source's: a function is named by its file.
  const nameOf = (node: ProfileNode) => {
    const place = where(node.callFrame.url);
    return `${node.callFrame.functionName || '(anonymous)'}${place === '(native)' ? '' : ` ${basename(place)}`}`;
  };
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const node of profile.nodes) {
    const n = hits.get(node.id) ?? 0;
    if (n === 0) continue;
    const name = nameOf(node);
    byFunction.set(name, (byFunction.get(name) ?? 0) + n);
    const place = where(node.callFrame.url);
    byFile.set(place, (byFile.get(place) ?? 0) + n);
    // Each function once per stack (recursion counted once).
    const onStack = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) onStack.add(nameOf(nodes.get(id) as ProfileNode));
    for (const f of onStack) inclusive.set(f, (inclusive.get(f) ?? 0) + n);
  }
  const sorted = (m: Map<string, number>) => [...m].map(([name, n]) => ({ name, self: total === 0 ? 0 : n / total })).sort((a, b) => b.self - a.self);
  return { byFunction: sorted(byFunction), byFile: sorted(byFile), inclusive: sorted(inclusive) };
}

async function main(values: { handler?: string; batch?: string; signals?: string; top?: string; out?: string; tracing?: string }): Promise<number> {
  const name = values.handler;
  if (name !== 'enrich' && name !== 'score') throw new UsageError(`--handler: must be enrich or score, got "${name}"`);
  const tracingMode = values.tracing ?? BUNDLE_CHOICES.tracing;
  if (tracingMode !== 'lambda' && tracingMode !== 'powertools') throw new UsageError(`--tracing: must be lambda or powertools, got "${tracingMode}"`);
  // Read when the handlers are built (functions/common/tracing.ts), below.
  process.env.MM_TRACING = tracingMode;
  const batch = intValue('batch', values.batch, 100, { min: 1 });
  const signals = intValue('signals', values.signals, 20_000, { min: 100 });
  const top = intValue('top', values.top, 25, { min: 1 });

  const rig = createRig(BENCH_CONFIG);
  const handler: KinesisHandler = name === 'enrich' ? createEnrichHandler(rig.runtime) : createScoreHandler(rig.runtime);
  const stream = name === 'enrich' ? rig.runtime.names.signalsStream : rig.runtime.names.enrichedStream;
  const input = async (seed: number) => (name === 'enrich' ? simulateRecords(WORKLOADS.simulator, signals, seed) : enrichedRecords(WORKLOADS.simulator, signals, seed));
  const context = benchContext(rig.runtime.names.function(name), BENCH_CONFIG.functions[name].timeoutSeconds, BENCH_CONFIG.functions[name].memoryMb);

  await measure(handler, chunks(await input(1), batch).map((b) => kinesisEvent(b, stream)), context, rig);
  const events = chunks(await input(2), batch).map((b) => kinesisEvent(b, stream));

  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const m = await measure(handler, events, context, rig);
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
  session.disconnect();

  if (values.out) writeFileSync(values.out, JSON.stringify(profile));
  const { byFunction, byFile, inclusive } = topFrames(profile);
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)} %`;
  const out = process.stdout;
  out.write(`${name}, batches of ${batch}, ${m.signals} signals, tracing ${tracingMode}: ${((m.cpuMs * 1000) / m.signals).toFixed(1)} CPU µs per signal (profiler on)\n`);
  out.write(`\nTop ${top} functions by self time:\n`);
  for (const f of byFunction.slice(0, top)) out.write(`${pct(f.self)}  ${f.name}\n`);
  out.write(`\nTop ${top} files and packages by self time:\n`);
  for (const f of byFile.slice(0, top)) out.write(`${pct(f.self)}  ${f.name}\n`);
  out.write(`\nTop ${top} functions by inclusive time (self and callees):\n`);
  for (const f of inclusive.filter((f) => f.name.includes(' ')).slice(0, top)) out.write(`${pct(f.self)}  ${f.name}\n`);
  return 0;
}

if (require.main === module) {
  runCommand(command, ({ values }) => main(values));
}
