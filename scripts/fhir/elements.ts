/** ElementDefinition lookups that the validator and the profile pages both make. */

export interface FixedValue {
  kind: 'fixed' | 'pattern';
  /** The property, e.g. `patternCodeableConcept`. */
  key: string;
  value: unknown;
}

/** An element's `fixed[x]` or `pattern[x]`, whichever type it has; undefined when it has neither. */
export function fixedOrPattern(element: object): FixedValue | undefined {
  for (const [key, value] of Object.entries(element)) {
    const m = /^(fixed|pattern)[A-Z]/.exec(key);
    if (m) return { kind: m[1] as FixedValue['kind'], key, value: value as unknown };
  }
  return undefined;
}
