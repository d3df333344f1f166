/** The evaluation report as text for the terminal: the headline figures, the model beside the baselines. */
import type { Interval } from './bootstrap';
import type { EvaluationReport, ScorerFigures } from './evaluate';

export const showInterval = (i: Interval | undefined, digits = 3): string =>
  i === undefined || Number.isNaN(i.value) ? '—' : `${i.value.toFixed(digits)} [${i.low.toFixed(digits)}, ${i.high.toFixed(digits)}]`;

function row(f: ScorerFigures): string[] {
  return [f.name, showInterval(f.rocAuc), showInterval(f.prAuc), showInterval(f.precision), showInterval(f.recall), showInterval(f.f1), showInterval(f.alertsPer1000Sessions, 0)];
}

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

export function formatReport(r: EvaluationReport): string {
  const p = r.pipeline;
  const count = (rec: Record<string, number>) => Object.entries(rec).map(([k, v]) => `${k} ${v}`).join(', ') || '0';
  const left = Object.entries(r.sessions.leftOut)
    .map(([reason, x]) => `${reason} ${x.sessions} (${x.positives} positive)`)
    .join(', ');
  const lead = r.model.leadTimeMinutes;
  return [
    `${r.intent} (outcome: ${r.outcomeEvents.join(', ')}), scoring ${r.scoringVersion}, ${r.options.customers === 'held-out' ? 'held-out customers' : 'all customers'}`,
    `events ${p.events}: enriched ${p.enriched}, dropped ${count(p.dropped)}, quarantined ${count(p.quarantined)}, unreadable ${p.unreadable}, already applied ${p.alreadyApplied}`,
    `sessions ${r.sessions.evaluated} of ${r.sessions.customers} customers, ${r.sessions.positives} positive; left out: ${left}`,
    `moments ${r.model.moments} (threshold ${r.model.threshold}), ${r.model.flaggedSessions} sessions flagged before the outcome; lead time median ${lead.median} min (quartiles ${lead.q1}–${lead.q3}, ${lead.count} sessions)`,
    '',
    table([['', 'ROC AUC', 'PR AUC', 'precision', 'recall', 'F1', 'alerts/1000'], row(r.model), ...r.baselines.map(row)]),
    '',
    `the ${r.intent} score at the session's last signal before the outcome (not its highest): ROC AUC ${showInterval(r.model.atLastSignal.rocAuc)}, PR AUC ${showInterval(r.model.atLastSignal.prAuc)}`,
    `95 % intervals from ${r.options.replicates} bootstrap replicates over customers (seed ${r.options.seed}).`,
    '',
  ].join('\n');
}
