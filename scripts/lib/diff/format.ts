/**
 * The report as text (one line a change: class, artifact, FHIRPath, what, old -> new, rule and
 * the class for producers and consumers) and as JSON for tools.
 */
import { escapeControl } from '../../model/diagnostics.ts';
import { RULES, reportSummary, type Change, type DiffReport } from './model.ts';

export function formatText(report: DiffReport): string {
  const lines: string[] = [];
  for (const a of report.artifacts) for (const c of a.changes) lines.push(escapeControl(changeLine(a.ref, c)));
  lines.push(reportSummary(report));
  return `${lines.join('\n')}\n`;
}

export function changeLine(ref: string, c: Change): string {
  const values = c.old !== undefined || c.new !== undefined ? ` (${c.old ?? '-'} -> ${c.new ?? '-'})` : '';
  const inherited = c.inherited ? ' [inherited from a parent profile]' : '';
  return `${c.class === 'breaking' ? 'BREAKING  ' : 'compatible'} ${ref} ${c.path}: ${c.message}${values}${inherited} [${c.rule}: producers ${c.producer}, consumers ${c.consumer}]`;
}

/** The report, with the classification table it was made with, for tools. */
export function formatJson(report: DiffReport): string {
  const used = [...new Set(report.artifacts.flatMap(a => a.changes.map(c => c.rule)))].sort();
  const rules = Object.fromEntries(used.map(r => [r, RULES[r]]));
  return `${JSON.stringify({ ...report, rules }, null, 2)}\n`;
}
