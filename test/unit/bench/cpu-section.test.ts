/**
 * The `cpu` section's table: each tracing its own rows, labelled, and the targets judged on the
 * rows measured as deployed (BUNDLE_CHOICES.tracing) only.
 */
import { BUNDLE_CHOICES } from '../../../infra/lib/bundling';
import type { Measurement } from '../../../bench/harness';
import { summarise, throughputSection, type ThroughputCase } from '../../../bench/throughput';

const run = (cpuMs: number): Measurement => ({
  signals: 1000,
  batches: 10,
  wallMs: cpuMs,
  cpuMs,
  batchWallMs: [cpuMs / 10],
  requests: {},
  capacity: { readUnits: 0, writeUnits: 0, itemsRead: 0, itemsWritten: 0, bytesWritten: 0 },
  busEvents: 0,
  busChunks64k: 0,
  reportedFailures: 0,
  recordsPut: 0,
  logBytes: 0,
});

const other = BUNDLE_CHOICES.tracing === 'lambda' ? 'powertools' : 'lambda';
const cases: ThroughputCase[] = [
  // As deployed: 20 µs per signal, the target of batches of 100 exactly.
  { ...summarise('enrich', 'memory', 100, 'sim', [run(20)], 90), tracing: BUNDLE_CHOICES.tracing },
  // The old way: 40 µs, which must not be what the target note reports.
  { ...summarise('enrich', 'memory', 100, 'sim', [run(40)], 90), tracing: other },
];

describe('cpu section', () => {
  const section = throughputSection({ runsPerCase: 1, cases, recordBytes: { signal: 0, enriched: 0 }, loadAverageAtEnd: 1 });

  it('labels each row with its tracing, as deployed or as run from source', () => {
    expect(section.rows.map((r) => r.tracing)).toEqual([`${BUNDLE_CHOICES.tracing} (as deployed)`, `${other} (as run from source, before)`]);
    expect(section.rows.map((r) => r['CPU µs/signal'])).toEqual([20, 40]);
  });

  it('judges the target on the rows as deployed only', () => {
    const targets = section.notes.filter((n) => n.startsWith('Target enrich'));
    expect(targets).toHaveLength(1);
    expect(targets[0]).toContain('50,000 (20 µs/signal), met');
  });
});
