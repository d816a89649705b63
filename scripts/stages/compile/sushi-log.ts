/**
 * SUSHI logs through a winston singleton. While a compile runs we silence its console output
 * and collect its errors and warnings, then map them to Diagnostics with project-relative paths.
 * One compile at a time: the logger is shared process-wide.
 */
import { relative, isAbsolute } from 'node:path';
import type { Diagnostic } from '../../model/diagnostics.ts';
import { sushiLog, type SushiMessage } from './sushi/adapter.ts';

let running = false;

/** Run `work` with SUSHI's log captured; returns its value and the diagnostics it logged. */
export async function withSushiLog<T>(root: string, work: () => Promise<T>): Promise<{ value: T; diagnostics: Diagnostic[] }> {
  if (running) throw new Error('a SUSHI compile is already running in this process; run one at a time');
  running = true;
  const end = sushiLog.begin();
  try {
    const value = await work();
    const diagnostics = [...sushiLog.errors().map(m => toDiagnostic(root, m, 'error')), ...sushiLog.warnings().map(m => toDiagnostic(root, m, 'warning'))];
    return { value, diagnostics: sortDiagnostics(diagnostics) };
  } finally {
    end();
    running = false;
  }
}

function toDiagnostic(root: string, m: SushiMessage, severity: 'error' | 'warning'): Diagnostic {
  const file = m.input ? (isAbsolute(m.input) ? relative(root, m.input) : m.input) : undefined;
  return {
    severity,
    rule: 'fsh',
    message: m.message.replace(/\s*\n\s*/g, ' ').trim(),
    location: file ? { file, line: m.location?.startLine, column: m.location?.startColumn } : undefined
  };
}

function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => [d.location?.file ?? '', String(d.location?.line ?? 0).padStart(8, '0'), d.message].join('\u0000');
  return ds.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
