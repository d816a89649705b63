/**
 * Terminology lookups for the validator: value set membership (the expansion itself is the shared
 * one in scripts/fhir/valueset-expansion.ts, over this guide's and the core package's
 * definitions) and CodeSystem concepts for display checks. Systems we cannot enumerate (SNOMED CT,
 * LOINC, UCUM, ...) are `open`: a code from them can be neither confirmed nor refused.
 */
import { expandValueSet as expandCompose } from '../fhir/valueset-expansion.ts';
import type { Definitions } from './definitions.ts';
import type { FhirResource } from '../model.ts';

export interface Expansion {
  /** system -> codes in the value set. */
  codes: Map<string, Set<string>>;
  /** Systems included that we cannot enumerate here. */
  open: Set<string>;
}

export interface ConceptInfo { display?: string; designations: string[] }
export interface CodeSystemInfo { url: string; complete: boolean; concepts: Map<string, ConceptInfo> }

interface Concept { code: string; display?: string; concept?: Concept[]; designation?: { value: string }[] }

export function codeSystem(defs: Definitions, url: string | undefined): CodeSystemInfo | undefined {
  if (!url) return undefined;
  return defs.cached(`cs:${url}`, () => buildCodeSystem(defs.get(url)), url) ?? undefined;
}

function buildCodeSystem(cs: FhirResource | undefined): CodeSystemInfo | null {
  if (!cs || cs.resourceType !== 'CodeSystem') return null;
  const concepts = new Map<string, ConceptInfo>();
  const add = (list: Concept[] | undefined) => {
    for (const c of list ?? []) {
      concepts.set(c.code, { display: c.display, designations: (c.designation ?? []).map(d => d.value) });
      add(c.concept);
    }
  };
  add(cs.concept as Concept[] | undefined);
  return { url: String(cs.url), complete: cs.content === 'complete' || cs.content === undefined, concepts };
}

export function expandValueSet(defs: Definitions, url: string): Expansion | undefined {
  const key = url.split('|')[0]!;
  return defs.cached(`vs:${key}`, () => membershipSets(defs, key), key) ?? undefined;
}

/** The shared expansion (scripts/fhir/valueset-expansion.ts) as sets per system, for membership tests. */
function membershipSets(defs: Definitions, url: string): Expansion | null {
  const vs = defs.get(url);
  if (!vs || vs.resourceType !== 'ValueSet') return null;
  const expansion = expandCompose(u => defs.get(u), vs);
  const codes = new Map<string, Set<string>>();
  for (const c of expansion.codes) {
    let set = codes.get(c.system);
    if (!set) codes.set(c.system, (set = new Set()));
    set.add(c.code);
  }
  return { codes, open: expansion.open };
}
