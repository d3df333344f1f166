/** Plain-text tables of benchmark sections, for the terminal and the README. */
import type { BenchRow, BenchSection } from './types';

function cell(value: string | number): string {
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  // Thousands separators make 23,456 signals/s readable at a glance; decimals are kept as rounded.
  return value.toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** Columns in first-seen order over all rows; numbers right-aligned, text left-aligned. */
export function formatTable(rows: readonly BenchRow[]): string {
  if (rows.length === 0) return '(no rows)';
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const text = rows.map((row) => columns.map((c) => (row[c] === undefined ? '' : cell(row[c]))));
  const numeric = columns.map((c) => rows.every((row) => row[c] === undefined || typeof row[c] === 'number'));
  const widths = columns.map((c, i) => Math.max(c.length, ...text.map((r) => r[i].length)));
  const pad = (s: string, i: number) => (numeric[i] ? s.padStart(widths[i]) : s.padEnd(widths[i]));
  const line = (cells: string[]) => cells.map(pad).join(' | ').trimEnd();
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('-|-'), ...text.map(line)].join('\n');
}

export function formatSection(section: BenchSection): string {
  const underline = '='.repeat(section.title.length);
  const notes = section.notes.map((n) => `  - ${n}`);
  return [section.title, underline, formatTable(section.rows), ...(notes.length > 0 ? ['', 'Notes:', ...notes] : []), ''].join('\n');
}
