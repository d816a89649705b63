/**
 * Diagnostics: what every stage, command and check has to say, with where it points. The one
 * formatter for the terminal lives here too.
 */

export type Severity = 'error' | 'warning' | 'information';

/** Where a diagnostic points: a source file position, or a FHIRPath inside an instance. */
export interface Location {
  /** Path relative to the project root (or as the user gave it). */
  file?: string;
  line?: number;
  column?: number;
  /** FHIRPath of the offending node, for instances. */
  expression?: string;
  /**
   * For a resource compiled from FSH: the FSH rule that set the value (or the definition's own
   * line when no rule did), beside the generated file in `file` (stages/compile/fsh-locations.ts).
   */
  fsh?: { file: string; line: number; column?: number };
}

export interface Diagnostic {
  severity: Severity;
  message: string;
  /** Stable rule id, e.g. `fsh`, `config-unknown-key`, `cardinality-min`, or an invariant key. */
  rule: string;
  location?: Location;
}

/** Result of one stage: what it produced and what it has to say. */
export interface StageResult<T> {
  result: T;
  diagnostics: Diagnostic[];
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}

/**
 * One formatter for locations, so editors can jump to them: `file:line:col: severity message`.
 * An issue on a resource compiled from FSH leads with the FSH rule's position and names the
 * generated file after the message.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const loc = d.location;
  const position = (file: string, line?: number, column?: number) =>
    `${file}${line !== undefined ? `:${line}` : ''}${line !== undefined && column !== undefined ? `:${column}` : ''}`;
  const where = loc?.fsh ? `${position(loc.fsh.file, loc.fsh.line, loc.fsh.column)}: ` : loc?.file ? `${position(loc.file, loc.line, loc.column)}: ` : '';
  const expr = loc?.expression ? `${loc.expression}: ` : '';
  const generated = loc?.fsh && loc.file ? ` (in ${position(loc.file, loc.line, loc.column)})` : '';
  return escapeControl(`${where}${d.severity} ${expr}${d.message}${generated}`);
}

/**
 * Text for a terminal: control characters (escape sequences, newlines, C1 codes) and bidirectional
 * overrides from input values are shown as `\xNN` / `\uNNNN` instead of acting on the terminal.
 */
export function escapeControl(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, c => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
