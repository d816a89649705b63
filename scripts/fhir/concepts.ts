/**
 * CodeSystem concept trees, read one way everywhere (the validator's code checks, ValueSet
 * expansion, the terminology pages, generated tables and narratives): depth first, in the order
 * the CodeSystem declares them.
 */
import type { CodeSystemConcept } from './r4.ts';

export interface PlacedConcept {
  concept: CodeSystemConcept;
  /** 0 for a top-level concept. */
  depth: number;
  /** The concept it is nested in, if any. */
  parent?: string;
}

export function flattenConcepts(list: readonly CodeSystemConcept[] | undefined, depth = 0, parent?: string): PlacedConcept[] {
  return (list ?? []).flatMap(concept => [
    { concept, depth, ...(parent === undefined ? {} : { parent }) },
    ...flattenConcepts(concept.concept, depth + 1, concept.code)
  ]);
}

/** The values of a concept's properties called `code`, whatever their value[x] type. */
export function propertyValues(concept: CodeSystemConcept, code: string): unknown[] {
  return (concept.property ?? [])
    .filter(p => p.code === code)
    .flatMap(p =>
      Object.entries(p)
        .filter(([k]) => k.startsWith('value'))
        .map(([, v]): unknown => v)
    );
}

/** Those values as text: `', '`-joined, complex values (a Coding) as JSON; '' when absent. */
export function propertyText(concept: CodeSystemConcept, code: string): string {
  return propertyValues(concept, code)
    .map(v => (typeof v === 'object' ? JSON.stringify(v) : String(v)))
    .join(', ');
}
