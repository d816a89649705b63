/** Concept trees and ValueSet expansion for the terminology pages (no terminology server). */
import { expandValueSet as expandCompose, type Expansion } from '../../fhir/valueset-expansion.ts';
import type { FhirResource } from '../../model.ts';
import type { ArtifactIndex } from '../model.ts';

export interface Concept {
  code: string;
  display?: string;
  definition?: string;
  concept?: Concept[];
  property?: ({ code: string } & Record<string, unknown>)[];
}

export interface Include {
  system?: string;
  version?: string;
  concept?: { code: string; display?: string }[];
  filter?: { property: string; op: string; value: string }[];
  valueSet?: string[];
}

export function flattenConcepts(concepts: Concept[], depth = 0): { concept: Concept; depth: number }[] {
  return concepts.flatMap(c => [{ concept: c, depth }, ...flattenConcepts(c.concept ?? [], depth + 1)]);
}

/** The expansion table of a ValueSet from the guide's own CodeSystems and ValueSets (shared expander). */
export function expandValueSet(index: ArtifactIndex, vs: FhirResource): Expansion {
  return expandCompose(url => index.byUrl.get(url)?.resource, vs);
}
