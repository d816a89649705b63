/**
 * `package/other/validation-oo.json`: the build's validation report as FHIR. A Bundle (type
 * collection) holding one OperationOutcome per validated file, sorted by file, each made by the
 * validate stage's own converter, so it is exactly what `vm-ig validate --format json` prints
 * (the HL7 Java validator's shape: `operationoutcome-file` extension, FHIRPath in
 * `expression[0]`, line/column and rule id as extensions). When validation did not run, the file
 * is a single OperationOutcome saying so (never an empty, clean-looking Bundle).
 */
import type { FhirResource } from '../../model/resources.ts';
import type { ValidationReport } from '../../model/validation.ts';
import { toOperationOutcome } from '../../lib/validator/outcome.ts';

export function validationOutcome(report: ValidationReport | undefined): FhirResource {
  if (!report) {
    return {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'information', code: 'informational', details: { text: 'validation did not run for this build' } }]
    };
  }
  const files = [...report.files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return {
    resourceType: 'Bundle',
    id: 'validation-oo',
    type: 'collection',
    entry: files.map(f => ({ resource: toOperationOutcome(f) }))
  };
}
