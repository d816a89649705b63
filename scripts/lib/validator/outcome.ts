/**
 * Reports out: text lines (`file:line:col: severity path: message [rule]`) and the HL7 Java
 * validator's JSON shape - an OperationOutcome per file, a Bundle of them for several files.
 */
import { countBySeverity, formatDiagnostic, type Diagnostic } from '../../model/diagnostics.ts';
import { type FileReport } from '../../model/validation.ts';

const EXT = 'http://hl7.org/fhir/StructureDefinition/';

const ISSUE_TYPES: Record<string, string> = {
  'json-syntax': 'structure',
  'xml-syntax': 'structure',
  'file-too-large': 'too-costly',
  'structure-depth': 'structure',
  'unknown-element': 'structure',
  type: 'structure',
  'primitive-format': 'value',
  'cardinality-min': 'required',
  'cardinality-max': 'structure',
  'fixed-value': 'value',
  'pattern-value': 'value',
  'slice-closed': 'structure',
  'slice-order': 'structure',
  'binding-required': 'code-invalid',
  'binding-extensible': 'code-invalid',
  'binding-unknown-system': 'informational',
  display: 'code-invalid',
  'code-invalid': 'code-invalid',
  'extension-unknown': 'structure',
  'reference-unresolved': 'not-found',
  'narrative-unsafe': 'invalid',
  'nhs-number-check-digit': 'value',
  'nhs-number-test-range': 'security',
  'profile-unknown': 'not-found',
  'resource-type': 'structure',
  'searchparameter-derivedfrom': 'business-rule',
  'capabilitystatement-searchparam-type': 'invalid',
  'measurereport-measure': 'not-found',
  'measurereport-group': 'business-rule',
  'measurereport-population': 'business-rule',
  'measurereport-score': 'business-rule',
  'sd-type-profile': 'exception'
};

export function issueType(d: Diagnostic): string {
  if (d.severity === 'information' && !ISSUE_TYPES[d.rule]) return 'informational';
  return ISSUE_TYPES[d.rule] ?? 'invariant';
}

export function toOperationOutcome(report: FileReport): Record<string, unknown> {
  const issues = report.diagnostics.map(toIssue);
  if (issues.length === 0) issues.push({ severity: 'information', code: 'informational', details: { text: 'All OK' } });
  return {
    resourceType: 'OperationOutcome',
    extension: [{ url: `${EXT}operationoutcome-file`, valueString: report.file }],
    issue: issues
  };
}

function toIssue(d: Diagnostic): Record<string, unknown> {
  const extension: Record<string, unknown>[] = [];
  if (d.location?.line !== undefined) extension.push({ url: `${EXT}operationoutcome-issue-line`, valueInteger: d.location.line });
  if (d.location?.column !== undefined) extension.push({ url: `${EXT}operationoutcome-issue-col`, valueInteger: d.location.column });
  extension.push({ url: `${EXT}operationoutcome-message-id`, valueString: d.rule });
  const issue: Record<string, unknown> = { extension, severity: d.severity, code: issueType(d), details: { text: d.message } };
  if (d.location?.expression) issue.expression = [d.location.expression];
  return issue;
}

export function toJson(reports: FileReport[]): Record<string, unknown> {
  return reports.length === 1 ? toOperationOutcome(reports[0]!) : toBundle(reports);
}

/** A Bundle (type collection) of OperationOutcomes, one per file. */
export function toBundle(reports: FileReport[]): Record<string, unknown> {
  return { resourceType: 'Bundle', type: 'collection', entry: reports.map(r => ({ resource: toOperationOutcome(r) })) };
}

export function formatText(reports: FileReport[]): string[] {
  const lines: string[] = [];
  for (const r of reports) for (const d of r.diagnostics) lines.push(`${formatDiagnostic(d)} [${d.rule}]`);
  lines.push(summaryLine(reports));
  return lines;
}

export function summaryLine(reports: FileReport[]): string {
  const c = countBySeverity(reports.flatMap(r => r.diagnostics));
  const noun = reports.length === 1 ? 'resource' : 'resources';
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${reports.length} ${noun}, ${count(c.error, 'error')}, ${count(c.warning, 'warning')}, ${c.information} information`;
}
