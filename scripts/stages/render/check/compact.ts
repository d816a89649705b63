/**
 * Conformance resources without what the validator never reads: narrative, documentation
 * (definitions, comments, mappings, descriptions), differentials of snapshotted profiles, concept
 * definitions. About a tenth of the size; the validator's answers do not change (the check page's
 * browser test compares them with the CLI's, issue by issue).
 */
import type { FhirResource } from '../../../model/resources.ts';
import { resourceOf, type ElementDefinition } from '../../../fhir/r4.ts';

const RESOURCE_DROPPED = [
  'text',
  'description',
  'purpose',
  'copyright',
  'contact',
  'mapping',
  'jurisdiction',
  'useContext',
  'publisher',
  'date',
  'keyword',
  'identifier',
  'meta',
  'extension'
];
const ELEMENT_DROPPED = [
  'definition',
  'comment',
  'requirements',
  'alias',
  'mapping',
  'short',
  'example',
  'meaningWhenMissing',
  'orderMeaning',
  'isModifierReason',
  'isSummary',
  'mustSupport',
  'extension',
  'code',
  'label'
];

export function compactResource(r: FhirResource): FhirResource {
  const out: FhirResource = { resourceType: r.resourceType };
  for (const [k, v] of Object.entries(r)) if (!RESOURCE_DROPPED.includes(k)) out[k] = v;
  const sd = resourceOf(r, 'StructureDefinition');
  if (sd) {
    const snapshot = sd.snapshot;
    if (snapshot?.element) {
      delete out.differential;
      out.snapshot = { element: snapshot.element.map(compactElement) };
    }
  }
  if (r.resourceType === 'CodeSystem' && Array.isArray(r.concept)) out.concept = r.concept.map(compactConcept);
  return out;
}

function compactElement(el: ElementDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(el)) if (!ELEMENT_DROPPED.includes(k)) out[k] = v;
  if (Array.isArray(el.constraint)) out.constraint = el.constraint.map(({ xpath: _x, extension: _e, requirements: _r, ...c }) => c);
  if (el.binding && typeof el.binding === 'object') {
    const { extension: _e, description: _d, ...binding } = el.binding;
    out.binding = binding;
  }
  return out;
}

function compactConcept(c: Record<string, unknown>): Record<string, unknown> {
  const { definition: _d, extension: _e, ...rest } = c;
  if (Array.isArray(rest.designation)) rest.designation = rest.designation.map((d: Record<string, unknown>) => ({ value: d.value }));
  if (Array.isArray(rest.concept)) rest.concept = rest.concept.map(compactConcept);
  return rest;
}
