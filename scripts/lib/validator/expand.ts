/**
 * Terminology lookups for the validator: value set membership (the expansion itself is the shared
 * one in scripts/fhir/valueset-expansion.ts, over this guide's and the core package's
 * definitions) and CodeSystem concepts for display checks. Systems we cannot enumerate (SNOMED CT,
 * LOINC, UCUM, ...) are `open`: a code from them can be neither confirmed nor refused.
 */
import { flattenConcepts } from '../../fhir/concepts.ts';
import { resourceOf } from '../../fhir/r4.ts';
import { expandValueSet } from '../../fhir/valueset-expansion.ts';
import type { Definitions } from './definitions.ts';
import type { FhirResource } from '../../model/resources.ts';

export interface CodeSets {
  /** system -> codes in the value set. */
  codes: Map<string, Set<string>>;
  /** Systems included that we cannot enumerate here. */
  open: Set<string>;
}

export interface ConceptInfo {
  display?: string;
  designations: string[];
}
export interface CodeSystemInfo {
  url: string;
  complete: boolean;
  concepts: Map<string, ConceptInfo>;
}

export function codeSystem(defs: Definitions, url: string | undefined): CodeSystemInfo | undefined {
  if (!url) return undefined;
  return defs.cached(`cs:${url}`, () => buildCodeSystem(defs.get(url)), url) ?? undefined;
}

function buildCodeSystem(resource: FhirResource | undefined): CodeSystemInfo | null {
  const cs = resourceOf(resource, 'CodeSystem');
  if (!cs) return null;
  const concepts = new Map<string, ConceptInfo>();
  for (const { concept: c } of flattenConcepts(cs.concept)) concepts.set(c.code, { display: c.display, designations: (c.designation ?? []).map(d => d.value) });
  return { url: String(cs.url), complete: cs.content === 'complete' || cs.content === undefined, concepts };
}

/** A value set's codes as sets per system, for membership tests (cached per definitions). */
export function valueSetCodeSets(defs: Definitions, url: string): CodeSets | undefined {
  const key = url.split('|')[0]!;
  return defs.cached(`vs:${key}`, () => membershipSets(defs, key), key) ?? undefined;
}

/** The shared expansion (scripts/fhir/valueset-expansion.ts) as sets per system, for membership tests. */
function membershipSets(defs: Definitions, url: string): CodeSets | null {
  const vs = defs.get(url);
  if (!vs || vs.resourceType !== 'ValueSet') return null;
  const expansion = expandValueSet(u => defs.get(u), vs);
  const codes = new Map<string, Set<string>>();
  for (const c of expansion.codes) {
    let set = codes.get(c.system);
    if (!set) codes.set(c.system, (set = new Set()));
    set.add(c.code);
  }
  return { codes, open: expansion.open };
}
