/**
 * The guide's metadata on every conformance artifact, as the IG Publisher applies it: SUSHI (with
 * FSHOnly false) leaves version, publisher, contact and jurisdiction off profiles and terminology
 * so that the IG Publisher can fill them from the ImplementationGuide, under the guide parameters
 * `apply-version`, `apply-publisher`, `apply-contact` and `apply-jurisdiction`. The guide's date
 * is given to artifacts that carry none. Values an artifact sets itself are kept.
 */
import type { FhirResource } from '../../model/resources.ts';
import { isFhirResource } from '../../fhir/json.ts';
import { resourceOf } from '../../fhir/r4.ts';

/** Resource types that carry canonical metadata (R4 canonical resources a guide defines). */
const CANONICAL_TYPES = new Set([
  'StructureDefinition',
  'ValueSet',
  'CodeSystem',
  'ConceptMap',
  'CapabilityStatement',
  'OperationDefinition',
  'SearchParameter',
  'NamingSystem',
  'StructureMap',
  'GraphDefinition',
  'MessageDefinition',
  'CompartmentDefinition',
  'TerminologyCapabilities',
  'ExampleScenario',
  'ImplementationGuide',
  'Questionnaire',
  'PlanDefinition',
  'ActivityDefinition',
  'Library',
  'Measure'
]);

/** Metadata elements an R4 canonical type does not have (R4 NamingSystem has no url or version). */
const ABSENT_IN_R4: Record<string, ReadonlySet<string>> = { NamingSystem: new Set(['url', 'version']) };

/** Which IG elements each `apply-*` parameter copies. */
const APPLIED: [parameter: string, element: string][] = [
  ['apply-version', 'version'],
  ['apply-publisher', 'publisher'],
  ['apply-contact', 'contact'],
  ['apply-jurisdiction', 'jurisdiction']
];

export interface GuideMetadata {
  /** Elements to copy, by name, with the IG's values. */
  values: Map<string, unknown>;
}

/** What the guide asks to apply, read from the ImplementationGuide's definition.parameter. */
export function guideMetadata(ig: FhirResource | undefined): GuideMetadata {
  const values = new Map<string, unknown>();
  if (!ig) return { values };
  const params = (resourceOf(ig, 'ImplementationGuide')?.definition?.parameter ?? []).filter(p => String(p.value).toLowerCase() === 'true');
  // @types/fhir lists only R4's guide-parameter codes; guides also use the IG Publisher's (`apply-version`...).
  const on = new Set<string>(params.map(p => p.code));
  for (const [parameter, element] of APPLIED) if (on.has(parameter) && ig[element] !== undefined) values.set(element, ig[element]);
  if (ig.date !== undefined) values.set('date', ig.date);
  return { values };
}

/**
 * The resource with the guide's metadata filled in where it has none, or undefined when nothing
 * changes (an example, a non-canonical resource, or one that already carries every value).
 * Elements are placed where FHIR orders them: after the element before them that is present.
 */
export function withGuideMetadata(resource: FhirResource, meta: GuideMetadata, isExample: boolean): FhirResource | undefined {
  if (isExample || !CANONICAL_TYPES.has(resource.resourceType) || resource.resourceType === 'ImplementationGuide') return undefined;
  const absent = ABSENT_IN_R4[resource.resourceType];
  const missing = [...meta.values].filter(([k]) => resource[k] === undefined && !absent?.has(k));
  if (!missing.length) return undefined;
  return placeInOrder(resource, new Map(missing.sort(([a], [b]) => ORDER.indexOf(a) - ORDER.indexOf(b))));
}

/** FHIR order of the metadata block shared by canonical resources. */
const ORDER = [
  'url',
  'identifier',
  'version',
  'name',
  'title',
  'status',
  'experimental',
  'date',
  'publisher',
  'contact',
  'description',
  'useContext',
  'jurisdiction'
];

function placeInOrder(resource: FhirResource, add: Map<string, unknown>): FhirResource {
  const out: Record<string, unknown> = {};
  let inBlock = false;
  const flush = (before: number) => {
    for (const [k, v] of add) {
      if (ORDER.indexOf(k) >= before) continue;
      out[k] = structuredClone(v);
      add.delete(k);
    }
  };
  for (const [k, v] of Object.entries(resource)) {
    const at = ORDER.indexOf(k);
    if (at >= 0) {
      inBlock = true;
      flush(at);
    } else if (inBlock) flush(ORDER.length);
    out[k] = v;
  }
  flush(ORDER.length);
  // `out` holds every property of `resource`, its resourceType among them.
  return isFhirResource(out) ? out : resource;
}
