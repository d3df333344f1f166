import type { EvaluationReport } from './evaluate';
export function renderHtmlReport(r: EvaluationReport): string {
  return `<pre>${JSON.stringify(r.model.rocAuc)}</pre>`;
}
