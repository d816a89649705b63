/**
 * Repeated diagnostics, grouped: the same severity, rule and message at several places (a code
 * system that cannot be checked offline, named by every resource that binds to it) is one line
 * with a count and its first places, in the terminal, the dev log and qa.html alike. Which
 * severities are shown is the caller's choice (information only with `--verbose`).
 */
import { countBySeverity, escapeControl, formatDiagnostic, type Diagnostic, type Severity } from './diagnostics.ts';

export interface DiagnosticGroup {
  /** The first diagnostic of the group, as it came. */
  first: Diagnostic;
  /** Every diagnostic of the group, in the order they came (the first included). */
  all: Diagnostic[];
}

/** Places named after a repeated message, besides its first. */
export const PLACES_SHOWN = 3;

/** Group by severity, rule and message, in the order each group first appears. */
export function groupDiagnostics(diagnostics: readonly Diagnostic[]): DiagnosticGroup[] {
  const groups = new Map<string, DiagnosticGroup>();
  for (const d of diagnostics) {
    const key = `${d.severity}\u0000${d.rule}\u0000${d.message}`;
    const group = groups.get(key);
    if (group) group.all.push(d);
    else groups.set(key, { first: d, all: [d] });
  }
  return [...groups.values()];
}

/** A place as a short text: `file:line:col`, the FSH position first when there is one, and the FHIRPath. */
export function placeOf(d: Diagnostic): string {
  const loc = d.location;
  if (!loc) return '';
  const at = (file: string, line?: number, column?: number) => [file, line, line !== undefined ? column : undefined].filter(x => x !== undefined).join(':');
  const file = loc.fsh ? at(loc.fsh.file, loc.fsh.line, loc.fsh.column) : loc.file ? at(loc.file, loc.line, loc.column) : '';
  return [file, loc.expression].filter(Boolean).join(' ');
}

/**
 * One line per group: a single diagnostic as `formatDiagnostic` prints it; a repeated one as its
 * first, then how many times and where else (`PLACES_SHOWN` places, then how many more).
 */
export function formatGroup(group: DiagnosticGroup): string {
  const line = formatDiagnostic(group.first);
  if (group.all.length === 1) return line;
  const others = group.all.slice(1);
  const shown = others.slice(0, PLACES_SHOWN).map(placeOf);
  const more = others.length > PLACES_SHOWN ? `, and ${others.length - PLACES_SHOWN} more` : '';
  return `${line} [${group.all.length} times; also ${escapeControl(shown.join(', '))}${more}]`;
}

export interface PrintOptions {
  /** Print information messages too (`--verbose`). */
  verbose?: boolean;
}

/**
 * The lines a command prints for its diagnostics, grouped; information only when verbose. Also
 * how many information messages were left out (the summary says so).
 */
export function diagnosticLines(
  diagnostics: readonly Diagnostic[],
  options: PrintOptions = {}
): { lines: { severity: Severity; text: string }[]; hidden: number } {
  const shown = options.verbose ? diagnostics : diagnostics.filter(d => d.severity !== 'information');
  const lines = groupDiagnostics(shown).map(g => ({ severity: g.first.severity, text: formatGroup(g) }));
  return { lines, hidden: diagnostics.length - shown.length };
}

/** `1 error`, `2 errors`, `0 warnings`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `2 errors, 1 warning` for a list of diagnostics. */
export function severityCounts(diagnostics: readonly Diagnostic[]): string {
  const c = countBySeverity(diagnostics);
  return `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}`;
}
