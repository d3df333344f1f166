/**
 * The evaluation report as one self-contained web page for people: inline SVG charts drawn here
 * (no script, no stylesheet or font from elsewhere, nothing fetched), so it opens from a file,
 * from a CI artefact or offline, and the same report always gives the same bytes.
 */
import type { EvaluationReport, ScorerFigures } from './evaluate';
import { showInterval } from './format';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n2 = (x: number): string => (Math.round(x * 100) / 100).toString();

const COLOURS = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

interface Series {
  name: string;
  points: readonly (readonly [number, number])[];
  colour: string;
  dashed?: boolean;
}

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const FRAME: Frame = { width: 520, height: 360, left: 56, right: 16, top: 16, bottom: 44 };

function scale(f: Frame, xMax: number, yMax: number) {
  const w = f.width - f.left - f.right;
  const h = f.height - f.top - f.bottom;
  return {
    x: (v: number) => f.left + (w * v) / xMax,
    y: (v: number) => f.top + h - (h * v) / yMax,
  };
}

function axes(f: Frame, xLabel: string, yLabel: string, xMax: number, yMax: number, yRight?: { label: string; max: number }): string {
  const s = scale(f, xMax, yMax);
  const out: string[] = [];
  const bottom = f.height - f.bottom;
  out.push(`<line class="axis" x1="${f.left}" y1="${bottom}" x2="${f.width - f.right}" y2="${bottom}"/>`);
  out.push(`<line class="axis" x1="${f.left}" y1="${f.top}" x2="${f.left}" y2="${bottom}"/>`);
  for (let k = 0; k <= 4; k++) {
    const xv = (xMax * k) / 4;
    const yv = (yMax * k) / 4;
    out.push(`<text class="tick" x="${n2(s.x(xv))}" y="${bottom + 14}" text-anchor="middle">${n2(xv)}</text>`);
    out.push(`<text class="tick" x="${f.left - 6}" y="${n2(s.y(yv) + 4)}" text-anchor="end">${n2(yv)}</text>`);
    out.push(`<line class="grid" x1="${f.left}" y1="${n2(s.y(yv))}" x2="${f.width - f.right}" y2="${n2(s.y(yv))}"/>`);
    if (yRight) out.push(`<text class="tick" x="${f.width - f.right + 4}" y="${n2(s.y(yv) + 4)}">${n2((yRight.max * k) / 4)}</text>`);
  }
  out.push(`<text class="label" x="${(f.left + f.width - f.right) / 2}" y="${f.height - 8}" text-anchor="middle">${esc(xLabel)}</text>`);
  out.push(`<text class="label" transform="translate(14 ${(f.top + bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  if (yRight) out.push(`<text class="label" transform="translate(${f.width - 6} ${(f.top + bottom) / 2}) rotate(90)" text-anchor="middle">${esc(yRight.label)}</text>`);
  return out.join('');
}

function path(points: readonly (readonly [number, number])[], sx: (v: number) => number, sy: (v: number) => number): string {
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${n2(sx(x))} ${n2(sy(y))}`).join(' ');
}

function legend(series: readonly Series[], f: Frame): string {
  const rows = series.map((s, i) => {
    const y = f.top + 10 + i * 16;
    const x = f.width - f.right - 230;
    return `<g class="legend-entry"><line x1="${x}" y1="${y - 4}" x2="${x + 18}" y2="${y - 4}" stroke="${s.colour}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/><text x="${x + 24}" y="${y}">${esc(s.name)}</text></g>`;
  });
  return `<g class="legend">${rows.join('')}</g>`;
}

function lineChart(id: string, title: string, series: readonly Series[], xLabel: string, yLabel: string, extra = ''): string {
  const f = FRAME;
  const s = scale(f, 1, 1);
  const lines = series.map(
    (x) => `<path class="series" data-series="${esc(x.name)}" d="${path(x.points, s.x, s.y)}" fill="none" stroke="${x.colour}" stroke-width="2"${x.dashed ? ' stroke-dasharray="4 3"' : ''}/>`,
  );
  return figure(id, title, `${axes(f, xLabel, yLabel, 1, 1)}${extra}${lines.join('')}${legend(series, f)}`);
}

function figure(id: string, title: string, body: string, f: Frame = FRAME): string {
  return `<figure id="${id}"><figcaption>${esc(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" role="img" aria-label="${esc(title)}">${body}</svg></figure>`;
}

function scorerSeries(r: EvaluationReport, pick: (f: ScorerFigures) => readonly (readonly [number, number])[]): Series[] {
  return [r.model, ...r.baselines].map((f, i) => ({ name: f.name, points: pick(f), colour: COLOURS[i % COLOURS.length], dashed: i > 0 }));
}

function leadHistogram(r: EvaluationReport): string {
  const f = FRAME;
  const bins = r.model.leadTimeMinutes.histogram;
  const max = Math.max(1, ...bins.map((b) => b.sessions));
  const top = Math.ceil(max / 4) * 4;
  const s = scale(f, bins.length, top);
  const bars = bins.map((b, i) => {
    const x = s.x(i) + 4;
    const w = s.x(i + 1) - s.x(i) - 8;
    const y = s.y(b.sessions);
    const label = b.upToMinutes === null ? `> ${bins[i - 1]?.upToMinutes ?? 0}` : `≤ ${b.upToMinutes}`;
    return `<g class="bar"><path d="M${n2(x)} ${n2(s.y(0))} L${n2(x)} ${n2(y)} L${n2(x + w)} ${n2(y)} L${n2(x + w)} ${n2(s.y(0))} Z" fill="${COLOURS[0]}"/><text class="tick" x="${n2(x + w / 2)}" y="${f.height - f.bottom + 14}" text-anchor="middle">${esc(label)}</text><text class="tick" x="${n2(x + w / 2)}" y="${n2(y - 3)}" text-anchor="middle">${b.sessions}</text></g>`;
  });
  const axesOnly = [
    `<line class="axis" x1="${f.left}" y1="${f.height - f.bottom}" x2="${f.width - f.right}" y2="${f.height - f.bottom}"/>`,
    `<line class="axis" x1="${f.left}" y1="${f.top}" x2="${f.left}" y2="${f.height - f.bottom}"/>`,
    ...[0, 1, 2, 3, 4].map((k) => `<text class="tick" x="${f.left - 6}" y="${n2(s.y((top * k) / 4) + 4)}" text-anchor="end">${(top * k) / 4}</text>`),
    `<text class="label" x="${(f.left + f.width) / 2}" y="${f.height - 8}" text-anchor="middle">minutes from the moment to the ${esc(r.outcomeEvents.join(' / '))}</text>`,
    `<text class="label" transform="translate(14 ${(f.top + f.height - f.bottom) / 2}) rotate(-90)" text-anchor="middle">sessions</text>`,
  ];
  return figure('lead-time', `Lead time: moment → outcome (${r.model.leadTimeMinutes.count} sessions, median ${r.model.leadTimeMinutes.median} min)`, axesOnly.join('') + bars.join(''));
}

function thresholdChart(r: EvaluationReport): string {
  const pts = r.model.thresholds;
  const maxAlerts = Math.max(1, ...pts.map((p) => p.alertsPer1000Sessions));
  const precision: Series = { name: 'precision', points: pts.map((p) => [p.threshold, p.precision] as const), colour: COLOURS[0] };
  const alerts: Series = { name: 'sessions flagged per 1,000 (right axis)', points: pts.map((p) => [p.threshold, p.alertsPer1000Sessions / maxAlerts] as const), colour: COLOURS[1], dashed: true };
  const f: Frame = { ...FRAME, right: 56 };
  const s = scale(f, 1, 1);
  const t = r.model.threshold;
  const marker = `<line class="threshold" x1="${n2(s.x(t))}" y1="${f.top}" x2="${n2(s.x(t))}" y2="${f.height - f.bottom}" stroke="#555" stroke-dasharray="2 2"/><text class="tick" x="${n2(s.x(t) + 4)}" y="${f.top + 60}">threshold ${t}</text>`;
  const body =
    axes(f, `${r.intent} score (highest before the outcome)`, 'precision', 1, 1, { label: 'sessions flagged per 1,000', max: maxAlerts }) +
    marker +
    [precision, alerts].map((x) => `<path class="series" data-series="${esc(x.name)}" d="${path(x.points, s.x, s.y)}" fill="none" stroke="${x.colour}" stroke-width="2"${x.dashed ? ' stroke-dasharray="4 3"' : ''}/>`).join('') +
    legend([precision, alerts], f);
  return figure('thresholds', 'Threshold against precision and alert rate', body, f);
}

function featureChart(r: EvaluationReport): string {
  const feats = r.topFeatures;
  const f: Frame = { width: 520, height: Math.max(120, 40 + feats.length * 22), left: 190, right: 50, top: 10, bottom: 20 };
  const maxAbs = Math.max(0.01, ...feats.map((x) => Math.abs(x.weight)));
  const mid = f.left + (f.width - f.left - f.right) / 2;
  const half = (f.width - f.left - f.right) / 2;
  const bars = feats.map((x, i) => {
    const y = f.top + i * 22;
    const w = (half * Math.abs(x.weight)) / maxAbs;
    const x0 = x.weight >= 0 ? mid : mid - w;
    return `<g class="feature"><text class="tick" x="${f.left - 6}" y="${y + 14}" text-anchor="end">${esc(`${x.kind} ${x.feature}`)}</text><path d="M${n2(x0)} ${y + 3} L${n2(x0 + w)} ${y + 3} L${n2(x0 + w)} ${y + 17} L${n2(x0)} ${y + 17} Z" fill="${x.weight >= 0 ? COLOURS[2] : COLOURS[0]}"/><text class="tick" x="${n2(x.weight >= 0 ? x0 + w + 4 : x0 - 4)}" y="${y + 14}" text-anchor="${x.weight >= 0 ? 'start' : 'end'}">${x.weight}</text></g>`;
  });
  const axis = `<line class="axis" x1="${n2(mid)}" y1="${f.top}" x2="${n2(mid)}" y2="${f.height - f.bottom}"/>`;
  return figure('features', `Top features of ${r.intent} by weight (log-odds per ${feats.some((x) => x.per !== 'signal') ? 'signal, or per unit of a level' : 'signal'})`, axis + bars.join(''), f);
}

function table(r: EvaluationReport): string {
  const head = ['', 'ROC AUC', 'PR AUC', 'precision', 'recall', 'F1', 'alerts / 1,000 sessions'];
  const rows = [r.model, ...r.baselines].map(
    (x) =>
      `<tr><th>${esc(x.name)}</th>${[x.rocAuc, x.prAuc, x.precision, x.recall, x.f1].map((i) => `<td>${esc(showInterval(i))}</td>`).join('')}<td>${esc(showInterval(x.alertsPer1000Sessions, 0))}</td></tr>`,
  );
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1120px}
h1{font-size:20px}table{border-collapse:collapse;margin:12px 0}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}
td{font-variant-numeric:tabular-nums}figure{display:inline-block;margin:8px 16px 8px 0;vertical-align:top}figcaption{font-weight:600;margin-bottom:4px}
.axis{stroke:#333}.grid{stroke:#eee}.tick{font-size:10px;fill:#444}.label{font-size:11px;fill:#222}.legend text{font-size:11px}
.note{color:#555;font-size:13px}`;

export function renderHtmlReport(r: EvaluationReport): string {
  const p = r.pipeline;
  const leftOut = Object.entries(r.sessions.leftOut)
    .map(([k, v]) => `${esc(k)} ${v.sessions} (${v.positives} positive)`)
    .join(', ');
  const input = r.input ? `${esc(r.input.name)} (sha256 ${esc(r.input.sha256.slice(0, 16))}…, ${r.input.lines} messages)` : 'history';
  const prov = r.provenance
    ? `<p class="note">Fitted by ${esc(r.provenance.fittedBy)} on ${esc(r.provenance.input.name)}; split by customer, seed ${r.provenance.split.seed}, ${r.provenance.split.trainCustomers} training and ${r.provenance.split.testCustomers} held-out customers; threshold by ${esc(r.provenance.threshold.rule)}.</p>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>micro-moments evaluation: ${esc(r.intent)}</title><style>${STYLE}</style></head>
<body>
<h1>Evaluation of ${esc(r.intent)} moments: ${esc(r.scoringVersion)}</h1>
<p>${input}; outcome ${esc(r.outcomeEvents.join(', '))}; ${r.options.customers === 'held-out' ? 'held-out customers only' : 'all customers'}; sessions end after ${r.options.sessionGapMinutes} minutes without activity${r.options.sessionIdPath ? ` or at a new ${esc(r.options.sessionIdPath)}` : ''}.</p>
<p>Events ${p.events}: enriched ${p.enriched}, dropped ${Object.values(p.dropped).reduce((a, b) => a + b, 0)}, quarantined ${Object.values(p.quarantined).reduce((a, b) => a + b, 0)}, unreadable ${p.unreadable}. Sessions evaluated ${r.sessions.evaluated} (${r.sessions.positives} positive) of ${r.sessions.customers} customers; left out: ${leftOut}. Moments ${r.model.moments} at threshold ${r.model.threshold}; ${r.model.flaggedSessions} sessions flagged before their outcome.</p>
${prov}
${table(r)}
<p class="note">95 % intervals: ${r.options.replicates} bootstrap replicates over customers, seed ${r.options.seed}. ROC and PR AUC rank sessions by the highest score before the outcome; precision, recall and F1 count a session as flagged when a moment opened before its outcome.</p>
${lineChart('roc', 'ROC curves', scorerSeries(r, (f) => f.curves.roc), 'false positive rate', 'true positive rate (recall)', `<path class="chance" d="M${FRAME.left} ${FRAME.height - FRAME.bottom} L${FRAME.width - FRAME.right} ${FRAME.top}" stroke="#bbb" stroke-dasharray="3 3" fill="none"/>`)}
${lineChart('pr', 'Precision-recall curves', scorerSeries(r, (f) => f.curves.pr), 'recall', 'precision')}
${leadHistogram(r)}
${thresholdChart(r)}
${featureChart(r)}
</body></html>
`;
}
