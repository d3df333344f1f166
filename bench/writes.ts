/**
 * Section "writes": DynamoDB write units per signal end to end (enrich, then score, on dynalite),
 * by item kind, with the size distribution of the items written. The simulator mix runs through
 * both stages in order over several batches, so customers come back (their STATE and PROFILE
 * are rewritten, not only created) as in a steady stream.
 */
import type { KinesisStreamEvent } from 'aws-lambda';
import { createEnrichHandler } from '../functions/enrich/handler';
import { createScoreHandler } from '../functions/score/handler';
import { benchContext, withOutputDropped } from './aws-doubles';
import { BENCH_CONFIG, createRig, startBenchEmulators } from './harness';
import { CapacityMeter, itemSize, writeUnits } from './dynamo-capacity';
import { chunks, kinesisEvent, simulateRecords, WORKLOADS, type RawRecord } from './workload';
import { inMemoryKinesis, CapturedStream } from './aws-doubles';
import { percentile } from './stats';

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
    const ctxE = benchContext('bench-enrich', BENCH_CONFIG.functions.enrich.memoryMb);
    const ctxS = benchContext('bench-score', BENCH_CONFIG.functions.score.memoryMb);
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

if (require.main === module) {
  const signals = Number(process.argv[2] ?? 5000);
  measureWrites({ signals, batchSize: 100, seed: 7, customers: Number(process.argv[3] ?? 2000) }).then((d) => console.log(JSON.stringify(d, null, 1)));
}
