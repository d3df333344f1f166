/**
 * Section "writes": DynamoDB write units per signal end to end (enrich, then score, on dynalite),
 * by item kind, with the size distribution of the items written. The simulator mix runs through
 * both stages in order over several batches, so customers come back (their STATE and PROFILE
 * are rewritten, not only created) as in a steady stream.
 */
import type { KinesisStreamEvent } from 'aws-lambda';
import { createEnrichHandler } from '../functions/enrich/handler';
import { createScoreHandler } from '../functions/score/handler';
import { withOutputDropped } from './aws-doubles';
import { benchContext } from './bench-context';
import { BENCH_CONFIG, createRig, startBenchEmulators } from './harness';
import { CapacityMeter, itemSize, writeUnits } from './dynamo-capacity';
import { chunks, kinesisEvent, simulateRecords, WORKLOADS, type RawRecord } from './workload';
import { inMemoryKinesis, CapturedStream } from './aws-doubles';
import { percentile, significant } from './stats';
import type { BenchRow, BenchSection } from './types';

/** The kind of an item by its sort key, for the breakdown. */
export function writeKindOf(sk: string): string {
  if (sk === 'PROFILE') return 'profile';
  if (sk === 'STATE') return 'state';
  if (sk.startsWith('M#')) return 'moment';
  return 'other';
}

export class KindMeter extends CapacityMeter {
  readonly byKind = new Map<string, { items: number; units: number; sizes: number[] }>();
  override write(item: Record<string, unknown>): void {
    super.write(item);
    const size = itemSize(item);
    const kind = writeKindOf(String(item.sk ?? ''));
    const k = this.byKind.get(kind) ?? { items: 0, units: 0, sizes: [] };
    k.items++;
    k.units += writeUnits(size);
    k.sizes.push(size);
    this.byKind.set(kind, k);
  }
  override reset(): void {
    super.reset();
    this.byKind.clear();
  }
}

export interface WritesData {
  signals: number;
  enriched: number;
  batchSize: number;
  customers: number;
  wruPerSignal: number;
  byKind: Record<string, { itemsPerSignal: number; wruPerSignal: number; sizeP50: number; sizeP95: number; sizeMax: number }>;
}

export async function measureWrites(opts: { signals: number; batchSize: number; seed: number; customers?: number }): Promise<WritesData> {
  const emulators = await startBenchEmulators();
  try {
    const rig = createRig(BENCH_CONFIG, emulators);
    const meter = new KindMeter();
    meter.attach(rig.runtime.clients.dynamo);
    const captured = new CapturedStream();
    inMemoryKinesis(rig.runtime.clients.kinesis, captured);
    const enrich = createEnrichHandler(rig.runtime);
    const score = createScoreHandler(rig.runtime);
    const shape = { ...WORKLOADS.simulator, ...(opts.customers ? { customers: opts.customers } : {}) };
    const input = simulateRecords(shape, opts.signals, opts.seed);
    const ctxE = benchContext('bench-enrich', BENCH_CONFIG.functions.enrich.timeoutSeconds, BENCH_CONFIG.functions.enrich.memoryMb);
    const ctxS = benchContext('bench-score', BENCH_CONFIG.functions.score.timeoutSeconds, BENCH_CONFIG.functions.score.memoryMb);
    await withOutputDropped(async () => {
      for (const batch of chunks(input, opts.batchSize)) {
        const before = captured.records.length;
        await enrich(kinesisEvent(batch, rig.runtime.names.signalsStream), ctxE);
        const out: RawRecord[] = captured.records.slice(before);
        if (out.length > 0) {
          const ev: KinesisStreamEvent = kinesisEvent(out, rig.runtime.names.enrichedStream);
          await score(ev, ctxS);
        }
      }
    });
    const byKind: WritesData['byKind'] = {};
    for (const [kind, k] of meter.byKind) {
      const sizes = [...k.sizes].sort((a, b) => a - b);
      byKind[kind] = {
        itemsPerSignal: k.items / input.length,
        wruPerSignal: k.units / input.length,
        sizeP50: percentile(sizes, 50),
        sizeP95: percentile(sizes, 95),
        sizeMax: sizes[sizes.length - 1] ?? 0,
      };
    }
    return {
      signals: input.length,
      enriched: captured.records.length,
      batchSize: opts.batchSize,
      customers: shape.customers,
      wruPerSignal: meter.totals.writeUnits / input.length,
      byKind,
    };
  } finally {
    await emulators.stop();
  }
}

/** Issue 12's target: write units per signal into the pipeline, enrich + score + moments. */
export const TARGET_WRU_PER_SIGNAL = 1.0;

export function writesSection(runs: WritesData[]): BenchSection<WritesData[]> {
  const rows: BenchRow[] = [];
  for (const d of runs) {
    for (const [kind, k] of Object.entries(d.byKind)) {
      rows.push({ customers: d.customers, item: kind, 'items/signal': significant(k.itemsPerSignal), 'WRU/signal': significant(k.wruPerSignal), 'bytes p50': Math.round(k.sizeP50), 'bytes p95': Math.round(k.sizeP95), 'bytes max': k.sizeMax });
    }
    rows.push({ customers: d.customers, item: 'total', 'items/signal': '', 'WRU/signal': significant(d.wruPerSignal), 'bytes p50': '', 'bytes p95': '', 'bytes max': '' });
  }
  const notes = [
    `Enrich then score on dynalite, batches of ${runs[0]?.batchSize ?? 100}, ${runs[0]?.signals ?? 0} signals of the simulator mix at 200/s; DynamoDB write units as billed (1 WRU per KB of item, bench/dynamo-capacity.ts), per signal put on the signals stream.`,
    '2,000 customers: most are met for the first time (PROFILE and STATE created); 200 customers: each comes back many times (the steady state of a long stream).',
    ...runs.map((d) => `Target <= ${TARGET_WRU_PER_SIGNAL} WRU per signal, ${d.customers} customers: ${significant(d.wruPerSignal)}, ${d.wruPerSignal <= TARGET_WRU_PER_SIGNAL ? 'met' : 'MISSED'} (${significant(d.wruPerSignal / TARGET_WRU_PER_SIGNAL)}x the target).`),
  ];
  return { title: 'DynamoDB writes per signal, end to end (enrich + score + moments)', rows, notes, data: runs };
}

export async function runWritesBench(opts: { quick: boolean; log?: (line: string) => void }): Promise<BenchSection<WritesData[]>> {
  const signals = opts.quick ? 1000 : 5000;
  const runs: WritesData[] = [];
  for (const customers of [2000, 200]) {
    opts.log?.(`writes: ${signals} signals, ${customers} customers`);
    runs.push(await measureWrites({ signals, batchSize: 100, seed: 7, customers }));
  }
  return writesSection(runs);
}
