/** What one validation run carries around: definitions, options, where we are, what we found. */
import type { Diagnostic, Severity } from '../../model/diagnostics.ts';
import type { FhirResource } from '../../model/resources.ts';
import type { Definitions } from './definitions.ts';
import type { ElementNode } from './profile-index.ts';

export type Pointer = readonly (string | number)[];

/** A node's place: its FHIRPath (what users read) and JSON pointer (to find line/column). */
export interface Loc {
  expr: string;
  ptr: Pointer;
}

export interface Issue extends Diagnostic {
  pointer?: Pointer;
}

export interface Scope {
  /** The resource the node belongs to (%resource). */
  resource: FhirResource;
  /** The outermost resource (%rootResource). */
  root: FhirResource;
  resourceLoc: Loc;
  /** The resource holding this one in `contained` (or the enclosing resource). */
  container?: FhirResource;
  /** Entries of the enclosing Bundle, by fullUrl and by `Type/id`. */
  bundle?: BundleIndex;
  /** The fullUrl of the Bundle entry this resource is in (relative references resolve against it). */
  fullUrl?: string;
}

export interface BundleEntryRef {
  fullUrl?: string;
  resource: FhirResource;
  index: number;
}

export interface BundleIndex {
  type?: string;
  entries: BundleEntryRef[];
  /** By fullUrl, and by fullUrl + `/_history/` + meta.versionId. */
  byFullUrl: Map<string, BundleEntryRef[]>;
  /** By `Type/id` of the entry's resource. */
  byTypeId: Map<string, BundleEntryRef[]>;
  /** The entry holding each resource object. */
  byResource: Map<object, BundleEntryRef>;
}

export interface RunOptions {
  /** Resources a literal reference may point at outside a Bundle (the guide's examples), by `Type/id`. */
  knownResources?: Map<string, FhirResource>;
  /** The instance was read from XML: a repeated single element is a cardinality error, not a JSON shape error. */
  xml?: boolean;
  /** This guide's own example: only 999-range NHS Numbers are allowed. */
  ownExample?: boolean;
}

export interface RunState {
  defs: Definitions;
  options: RunOptions;
  issues: Issue[];
  /** Nesting of conformance checks (slices by profile, reference targets), to stop cycles. */
  depth: number;
  /** Does `resource` conform to `profile`? Set by the validator (used by profile discriminators). */
  conforms?: (resource: Record<string, unknown>, profile: string) => boolean;
}

/** One value found in an instance, with its `_element` companion and where it is. */
export interface Item {
  value: unknown;
  ext: unknown;
  loc: Loc;
}

/** What a checker is given: the value, the element it matched, its type and where it is. */
export interface CheckContext {
  state: RunState;
  value: unknown;
  node: ElementNode;
  /** The value's FHIR type code (a choice element's chosen type). */
  code: string | undefined;
  loc: Loc;
  scope: Scope;
  /** The root of the value's type definition (its constraints apply too). */
  typeRoot?: ElementNode;
}

/** What a checker gives back: one rule broken. `at` defaults to the checked node; severity to error. */
export interface Finding {
  rule: string;
  message: string;
  severity?: Severity;
  at?: Loc;
}

export type Checker = (c: CheckContext) => Finding[];

/** Record a checker's findings; true when there were any. */
export function emit(c: CheckContext, findings: readonly Finding[]): boolean {
  for (const f of findings) report(c.state, f.severity ?? 'error', f.rule, f.at ?? c.loc, f.message);
  return findings.length > 0;
}

/** Issues kept per resource: past this, one more says the rest were not recorded (bounded memory). */
export const MAX_ISSUES = 1000;

export function report(state: RunState, severity: Severity, rule: string, loc: Loc, message: string): void {
  if (state.issues.length > MAX_ISSUES) return;
  if (state.issues.length === MAX_ISSUES) {
    state.issues.push({
      severity: 'error',
      rule: 'too-many-issues',
      message: `More than ${MAX_ISSUES} problems; the rest were not reported`,
      location: { expression: loc.expr.split('.')[0] ?? '' },
      pointer: []
    });
    return;
  }
  state.issues.push({ severity, rule, message, location: { expression: loc.expr }, pointer: loc.ptr });
}

export function child(loc: Loc, key: string, index?: number, jsonKey = key): Loc {
  const expr = `${loc.expr}.${key}${index === undefined ? '' : `[${index}]`}`;
  const ptr = index === undefined ? [...loc.ptr, jsonKey] : [...loc.ptr, jsonKey, index];
  return { expr, ptr };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
