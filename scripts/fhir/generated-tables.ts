/**
 * The tables a page places with `{% include maturity-model.md %}`, `{% include error-table.md %}` or
 * `{% include sandbox-scenarios.md %}`,
 * defined once from the guide's own CodeSystems: which code system, which columns, and what each
 * cell holds. The site renders them as HTML, the package stage writes them as markdown for the
 * IG Publisher; only the formatting differs.
 */
import type { FhirResource } from '../model/resources.ts';
import { flattenConcepts, propertyText } from './concepts.ts';
import { resourceOf, type CodeSystemConcept } from './r4.ts';

/** How a cell is shown: plain text, a code, FHIR markdown, or a status tag. */
export type CellKind = 'text' | 'code' | 'markdown' | 'status';

export interface TableCell {
  kind: CellKind;
  text: string;
}

export interface GeneratedTable {
  codeSystem: string;
  caption: string;
  header: string[];
  cells: (c: CodeSystemConcept) => TableCell[];
}

const text = (t: string | undefined): TableCell => ({ kind: 'text', text: t ?? '' });

export const GENERATED_TABLES: Record<string, GeneratedTable> = {
  'maturity-model.md': {
    codeSystem: 'vm-maturity-phase',
    caption: 'Maturity model phases',
    header: ['Phase', 'Name', 'What it delivers', 'Status'],
    cells: c => [text(c.code), text(c.display), { kind: 'markdown', text: c.definition ?? '' }, { kind: 'status', text: propertyText(c, 'status') }]
  },
  'error-table.md': {
    codeSystem: 'vm-spine-error-code',
    caption: 'Spine error codes',
    header: ['HTTP status', 'Error code', 'Issue type', 'Severity', 'Meaning'],
    cells: c => [
      text(propertyText(c, 'httpStatus')),
      { kind: 'code', text: c.code },
      text(propertyText(c, 'issueType')),
      text(propertyText(c, 'issueSeverity')),
      { kind: 'markdown', text: c.definition ?? '' }
    ]
  },
  'sandbox-scenarios.md': {
    codeSystem: 'vm-sandbox-scenario',
    caption: 'Sandbox test scenarios',
    header: ['Value', 'Sent as', 'Scenario', 'HTTP status', 'Response', 'What it shows'],
    cells: c => [
      { kind: 'code', text: c.code },
      text(propertyText(c, 'keyType') === 'asid' ? 'Ssp-From (ASID)' : 'NHS Number'),
      text(c.display),
      text(propertyText(c, 'httpStatus')),
      { kind: 'markdown', text: exampleLink(propertyText(c, 'response')) },
      { kind: 'markdown', text: c.definition ?? '' }
    ]
  }
};

/** `Observation/x` as a markdown link to the example's page, `Observation-x.html`. */
function exampleLink(ref: string): string {
  return /^[A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(ref) ? `[${ref}](${ref.replace('/', '-')}.html)` : ref;
}

/** Every concept of a CodeSystem, depth first, in the order it declares them. */
export function allConcepts(codeSystem: FhirResource): CodeSystemConcept[] {
  return flattenConcepts(resourceOf(codeSystem, 'CodeSystem')?.concept).map(p => p.concept);
}

/** A status code as words: `current-focus` -> `current focus`. */
export function statusWords(status: string): string {
  return status.replace(/-/g, ' ');
}
