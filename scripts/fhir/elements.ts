/** ElementDefinition lookups that the validator and the profile pages both make. */

export interface FixedValue {
  kind: 'fixed' | 'pattern';
  /** The property, e.g. `patternCodeableConcept`. */
  key: string;
  value: unknown;
}

/** An element's `fixed[x]` or `pattern[x]`, whichever type it has; undefined when it has neither. */
export function fixedOrPattern(element: object): FixedValue | undefined {
  for (const [key, entry] of Object.entries(element)) {
    const value: unknown = entry;
    if (/^fixed[A-Z]/.test(key)) return { kind: 'fixed', key, value };
    if (/^pattern[A-Z]/.test(key)) return { kind: 'pattern', key, value };
  }
  return undefined;
}
