/**
 * `package/other/validation-oo.json`: the build's validation report as FHIR. A Bundle (type
 * collection) holding one OperationOutcome per validated file, in the format `vm-ig validate
 * --format json` and the HL7 Java validator print: each outcome names its file with the
 * `operationoutcome-file` extension, each issue carries its FHIRPath in `expression[0]`, the
 * source line/column and the rule id as extensions, the message in `details.text`. When validation did not run, the file is a
 * single OperationOutcome saying so (never an empty, clean-looking Bundle).
 */
import type { Diagnostic, FhirResource, FileReport, ValidationReport } from '../model.ts';

const EXT = 'http://hl7.org/fhir/StructureDefinition/';

export function validationOutcome(report: ValidationReport | undefined): FhirResource {
  if (!report) {
    return operationOutcome([{ severity: 'information', code: 'informational', details: { text: 'validation did not run for this build' } }]);
  }
  const files = [...report.files].sort((a, b) => compare(a.file, b.file));
  return {
    resourceType: 'Bundle',
    id: 'validation-oo',
    type: 'collection',
    entry: files.map(f => ({ resource: fileOutcome(f) }))
  };
}

function fileOutcome(report: FileReport): FhirResource {
  const issues = report.diagnostics.map(issue);
  if (issues.length === 0) issues.push({ severity: 'information', code: 'informational', details: { text: 'All OK' } });
  return {
    ...operationOutcome(issues),
    extension: [{ url: `${EXT}operationoutcome-file`, valueString: report.file }]
  };
}

function operationOutcome(issues: Record<string, unknown>[]): FhirResource {
  return { resourceType: 'OperationOutcome', issue: issues };
}

function issue(d: Diagnostic): Record<string, unknown> {
  const extension: Record<string, unknown>[] = [];
  if (d.location?.line !== undefined) extension.push({ url: `${EXT}operationoutcome-issue-line`, valueInteger: d.location.line });
  if (d.location?.column !== undefined) extension.push({ url: `${EXT}operationoutcome-issue-col`, valueInteger: d.location.column });
  extension.push({ url: `${EXT}operationoutcome-message-id`, valueString: d.rule });
  return {
    extension,
    severity: d.severity,
    code: d.severity === 'information' ? 'informational' : 'processing',
    details: { text: d.message },
    ...(d.location?.expression ? { expression: [d.location.expression] } : {})
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
