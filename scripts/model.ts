/**
 * Shared types of the pipeline: diagnostics and the in-memory model passed between stages.
 * Everything else lives in the stage that uses it.
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
}

export interface Diagnostic {
  severity: Severity;
  message: string;
  /** Stable rule id, e.g. `fsh`, `config-unknown-key`, `cardinality-min`, or an invariant key. */
  rule: string;
  location?: Location;
}

/** A compiled FHIR resource with what we know about where it came from. */
export interface CompiledResource {
  /** File name in fsh-generated/resources, the same name `sushi build` uses. */
  fileName: string;
  resource: FhirResource;
  /** For instances: the profile or type named by FSH `InstanceOf`. */
  instanceOf?: string;
  /** `example`, `definition` or `inline` for instances; undefined for definitions. */
  usage?: string;
  /** FSH source of the definition, relative to the project root. */
  source?: { file: string; startLine: number; endLine: number };
}

export interface FhirResource {
  resourceType: string;
  id?: string;
  url?: string;
  [key: string]: unknown;
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

/** One formatter for locations, so editors can jump to them: `file:line:col: severity message`. */
export function formatDiagnostic(d: Diagnostic): string {
  const loc = d.location;
  let where = '';
  if (loc?.file) {
    where = loc.file;
    if (loc.line !== undefined) where += `:${loc.line}`;
    if (loc.line !== undefined && loc.column !== undefined) where += `:${loc.column}`;
    where += ': ';
  }
  const expr = loc?.expression ? `${loc.expression}: ` : '';
  return escapeControl(`${where}${d.severity} ${expr}${d.message}`);
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

/** Validation result of one file or compiled instance (the validate stage fills these). */
export interface FileReport {
  /** Project-relative path, or the name the user gave. */
  file: string;
  resourceType?: string;
  id?: string;
  /** Profiles the instance was checked against. */
  profiles?: string[];
  diagnostics: Diagnostic[];
}

export interface ValidationReport {
  files: FileReport[];
}
