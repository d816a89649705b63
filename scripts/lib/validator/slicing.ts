/**
 * Slicing, as the HL7 Java validator matches slices (InstanceValidator.sliceMatches): each slice
 * gets one test per discriminator, from the element the discriminator path reaches in the slice:
 *
 * - that element has max 0: the path must be empty (any discriminator type);
 * - `value` / `pattern`: its fixed value, else its pattern, else its required binding (memberOf);
 *   a slice that says none of these about the path leaves that discriminator out;
 * - `type`: the instance's type (a choice element's chosen type, a resource's type, and through
 *   `resolve()` the referenced resource's type against the slice's targetProfile);
 * - `profile`: conformance to the slice's type profile (targetProfile through `resolve()`);
 * - `exists`: min >= 1 (present) or max 0 (absent).
 *
 * A slice whose discriminators are all left out cannot be matched: Java reports
 * SLICING_CANNOT_BE_EVALUATED (Could_not_match_discriminator_for_slice_in_profile) on each item
 * and skips the slice counts. Each item takes the first slice it matches; then slice cardinality,
 * closed slicing and slice order are checked.
 */
import { profileIndex, typeIndex, maxOf, type ChildGroup, type Discriminator, type ElementNode } from './profile-index.ts';
import { containsPattern, fixedOf } from './values.ts';
import { resolveTarget } from './references.ts';
import { memberOf } from './terminology.ts';
import { isPrimitiveType } from './primitives.ts';
import { BASE } from './definitions.ts';
import { isObject, report, type Item, type Loc, type RunState, type Scope } from './state.ts';

/** A value found at a discriminator path, with its type where the instance shows it. */
interface Typed {
  value: unknown;
  type?: string;
}

type Outcome = boolean | 'unknown';
type Test = (state: RunState, values: Typed[], scope: Scope) => Outcome;

interface SliceTests {
  tests: { path: string; test: Test }[];
  /** Why the slice cannot be matched (no discriminator says anything about it). */
  problem?: string;
}

export interface SliceAssignment {
  /** The slice each item matched, by item. */
  assigned: (ElementNode | undefined)[];
  /** The slicing could not be evaluated (Java: SLICING_CANNOT_BE_EVALUATED), or membership was unknown. */
  unevaluated: boolean;
}

const compiled = new WeakMap<ElementNode, SliceTests>();

/** Type slices of a choice element (`value[x]:valueQuantity`) with no slicing stated: `type` on `$this` is implied (profiling.html#slicing). */
const IMPLIED_TYPE_SLICING: Discriminator[] = [{ type: 'type', path: '$this' }];

export function assignSlices(state: RunState, group: ChildGroup, items: Item[], scope: Scope, typeCode?: string): SliceAssignment {
  const discriminators = group.base.el.slicing?.discriminator ?? (group.base.name.endsWith('[x]') ? IMPLIED_TYPE_SLICING : []);
  const result: SliceAssignment = { assigned: [], unevaluated: false };
  if (discriminators.length === 0) {
    result.assigned = items.map(() => undefined);
    return result;
  }
  const slices = group.slices.map(slice => ({ slice, tests: testsFor(state, slice, discriminators) }));
  const baseType = typeCode ?? singleCode(group.base);
  let unknown = false;
  for (const item of items) {
    let match: ElementNode | undefined;
    for (const { slice, tests } of slices) {
      if (tests.problem) {
        report(state, 'error', 'slicing-cannot-be-evaluated', item.loc, `Slicing cannot be evaluated: ${tests.problem}`);
        result.unevaluated = true;
        continue;
      }
      const outcome = run(state, tests, item, scope, baseType);
      if (outcome === 'unknown') unknown = true;
      if (outcome === true) {
        match = slice;
        break;
      }
    }
    result.assigned.push(match);
  }
  if (unknown && !result.unevaluated) {
    result.unevaluated = true;
    report(
      state,
      'information',
      'slicing-unknown',
      items[0]!.loc,
      `The slices of ${group.base.el.path} are told apart by value set membership that cannot be checked offline, so slice membership and counts were not checked`
    );
  }
  return result;
}

function run(state: RunState, tests: SliceTests, item: Item, scope: Scope, baseType: string | undefined): Outcome {
  let unknown = false;
  for (const { path, test } of tests.tests) {
    const outcome = test(state, navigate(state, item.value, path, scope, baseType), scope);
    if (outcome === false) return false;
    if (outcome === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : true;
}

function testsFor(state: RunState, slice: ElementNode, discriminators: Discriminator[]): SliceTests {
  let tests = compiled.get(slice);
  if (!tests) {
    tests = compile(state, slice, discriminators);
    compiled.set(slice, tests);
  }
  return tests;
}

function compile(state: RunState, slice: ElementNode, discriminators: Discriminator[]): SliceTests {
  const out: SliceTests = { tests: [] };
  for (const d of discriminators) {
    const resolves = /(^|\.)resolve\(\)$/.test(d.path);
    // Java (getCriteriaForDiscriminator): a profile discriminator ending in resolve() reads the
    // targetProfile on the reference element, not the target's definition.
    const target = elementAt(state, slice, d.path);
    if (!target) continue;
    const path = d.path;
    if (target.el.max === '0') {
      out.tests.push({ path, test: (_s, values) => values.length === 0 });
      continue;
    }
    const test =
      criterion(state, slice, target, d, resolves) ?? (d.type === 'value' || d.type === 'pattern' ? ancestorValueTest(state, slice, d.path) : undefined);
    if (test === 'problem') {
      out.problem = `Discriminator (${d.path}) is based on element existence, but slice ${slice.el.id} neither sets min>=1 or max=0`;
      return out;
    }
    if (test) out.tests.push({ path, test });
  }
  if (out.tests.length === 0) {
    const paths = discriminators.map(d => d.path).join('|');
    out.problem = `Could not match discriminator (${paths}) for slice ${slice.el.id} in profile ${slice.index.url} - the discriminator [${paths}] does not have fixed value, binding or existence assertions`;
  }
  return out;
}

function criterion(state: RunState, slice: ElementNode, target: ElementNode, d: Discriminator, resolves: boolean): Test | undefined | 'problem' {
  switch (d.type) {
    case 'type': {
      const codes = resolves ? targetTypes(state, target) : (target.el.type ?? []).map(t => typeName(t.code));
      if (codes.length === 0) return undefined;
      return (_s, values) => values.some(v => isOfType(state, v, codes));
    }
    case 'profile': {
      const profiles = (target.el.type ?? []).flatMap(t => (resolves ? (t.targetProfile ?? []) : (t.profile ?? [])));
      // Java: a slice with no profile to conform to adds no condition (but is evaluable).
      if (profiles.length === 0) return () => true;
      return (s, values) => values.some(v => conformsToAny(s, v.value, profiles));
    }
    case 'exists': {
      if ((target.el.min ?? 0) >= 1) return (_s, values) => values.length > 0;
      return 'problem';
    }
    case 'value':
    case 'pattern':
      return valueTest(slice, target, d.path);
    default:
      return undefined;
  }
}

/** fixed[x], else pattern[x], else a required binding (Java's order); undefined when none. */
function valueTest(slice: ElementNode, target: ElementNode, path: string): Test | undefined {
  const fixed = fixedOf(target.el);
  if (fixed) {
    const wanted = fixed.value;
    return (_s, values) => values.some(v => containsPattern(v.value, wanted));
  }
  if (path === 'url' || path.endsWith('.url')) {
    // An extension slice that names its definition by type profile: the url is that profile.
    const url = slice.el.type?.[0]?.profile?.[0];
    if (url && path === 'url') return (_s, values) => values.some(v => v.value === url);
  }
  const binding = target.el.binding;
  if (binding?.strength === 'required' && binding.valueSet) {
    const vs = binding.valueSet;
    return (s, values) => {
      let unknown = false;
      for (const v of values) {
        const m = memberOf(s.defs, v.value, vs);
        if (m === 'yes') return true;
        if (m === 'unknown') unknown = true;
      }
      return unknown ? 'unknown' : false;
    };
  }
  return undefined;
}

/**
 * A value discriminator whose path runs below an element the slice fixes or patterns as a whole
 * (the R4 vital-signs `bp` profile: `component.code` patterned, discriminated on
 * `code.coding.code` and `code.coding.system`): the criterion is that part of the fixed or pattern
 * value, as the Java validator reads it through the pattern. Undefined when no element on the path has one.
 */
function ancestorValueTest(state: RunState, slice: ElementNode, path: string): Test | undefined {
  const steps = splitPath(path).filter(s => s !== '$this');
  if (steps.some(s => s.includes('('))) return undefined;
  let node: ElementNode | undefined = slice;
  for (let i = 0; i < steps.length && node; i++) {
    const fixed = fixedOf(node.el);
    if (fixed) {
      const wanted = project(fixed.value, steps.slice(i));
      if (wanted.length === 0) return undefined;
      return (_s, values) => values.some(v => wanted.some(w => containsPattern(v.value, w)));
    }
    node = childNamed(state, node, steps[i]!);
  }
  return undefined;
}

/** The values at `steps` inside a fixed or pattern value (arrays flattened). */
function project(value: unknown, steps: string[]): unknown[] {
  let current: unknown[] = [value];
  for (const step of steps) {
    current = current.flatMap(v => {
      const next = isObject(v) ? v[step] : undefined;
      return next === undefined ? [] : Array.isArray(next) ? next : [next];
    });
  }
  return current;
}

/** Resource types a reference element allows, from its targetProfiles (through their type). */
function targetTypes(state: RunState, node: ElementNode): string[] {
  const urls = (node.el.type ?? []).flatMap(t => t.targetProfile ?? []);
  return urls.map(url => (url.startsWith(BASE) ? url.slice(BASE.length) : (state.defs.typeOf(url) ?? typeName(url))));
}

function typeName(code: string): string {
  return /^[a-z]+:/.test(code) ? code.slice(code.lastIndexOf('/') + 1) : code;
}

/** Specialisations of a type, for FHIRPath `is` (Quantity's are the ones met in slicing). */
const SPECIALISES: Record<string, string> = { Age: 'Quantity', Count: 'Quantity', Distance: 'Quantity', Duration: 'Quantity', MoneyQuantity: 'Quantity' };

function isOfType(state: RunState, v: Typed, codes: string[]): boolean {
  const type = v.type;
  if (!type) return codes.length === 1;
  if (codes.includes(type)) return true;
  if (SPECIALISES[type] && codes.includes(SPECIALISES[type])) return true;
  if (isObject(v.value) && typeof v.value.resourceType === 'string') {
    if (codes.includes('Resource')) return true;
    if (codes.includes('DomainResource')) return !['Bundle', 'Binary', 'Parameters'].includes(type);
  }
  void state;
  return false;
}

function conformsToAny(state: RunState, value: unknown, profiles: string[]): boolean {
  if (!isObject(value)) return false;
  const claimed = isObject(value.meta) && Array.isArray(value.meta.profile) ? value.meta.profile : [];
  if (profiles.some(p => claimed.includes(p))) return true;
  return profiles.some(p => state.conforms?.(value, p) ?? false);
}

/** Values at a discriminator path: `code.coding.system`, `extension('url').value`, `$this`, `resolve()`, `ofType(X)`. */
export function navigate(state: RunState, value: unknown, path: string, scope: Scope, thisType?: string): Typed[] {
  let current: Typed[] = [{ value, type: isObject(value) && typeof value.resourceType === 'string' ? value.resourceType : thisType }];
  for (const step of splitPath(path)) {
    if (step === '$this') continue;
    if (step === 'resolve()') {
      current = current.flatMap(v => resolveRef(state, v.value, scope));
      continue;
    }
    const ofType = /^ofType\((.*)\)$/.exec(step);
    if (ofType) {
      const wanted = typeName(ofType[1]!);
      current = current.filter(v => v.type === undefined || v.type === wanted);
      continue;
    }
    const ext = /^extension\('(.*)'\)$/.exec(step);
    current = current.flatMap(v => {
      const obj = v.value;
      if (!isObject(obj)) return [];
      if (ext)
        return (Array.isArray(obj.extension) ? obj.extension : []).filter(e => isObject(e) && e.url === ext[1]).map(e => ({ value: e, type: 'Extension' }));
      const name = step.endsWith('[x]') ? step.slice(0, -3) : step;
      const direct = obj[name];
      if (direct !== undefined) return typed(direct, undefined);
      const key = Object.keys(obj).find(k => k.startsWith(name) && /^[A-Z]/.test(k.slice(name.length)));
      return key ? typed(obj[key], choiceType(key.slice(name.length))) : [];
    });
  }
  return current;
}

function typed(raw: unknown, type: string | undefined): Typed[] {
  return (Array.isArray(raw) ? raw : [raw]).map(value => ({
    value,
    type: isObject(value) && typeof value.resourceType === 'string' ? value.resourceType : type
  }));
}

/** `Quantity` for `valueQuantity`, `dateTime` for `valueDateTime`. */
function choiceType(suffix: string): string {
  const primitive = suffix[0]!.toLowerCase() + suffix.slice(1);
  return isPrimitiveType(primitive) ? primitive : suffix;
}

function splitPath(path: string): string[] {
  return path.match(/extension\('[^']*'\)|resolve\(\)|ofType\([^)]*\)|[^.]+/g) ?? [];
}

/** Java resolves a discriminator's reference locally: a contained `#id`, a Bundle entry, the guide's examples. */
function resolveRef(state: RunState, value: unknown, scope: Scope): Typed[] {
  if (!isObject(value) || typeof value.reference !== 'string') return [];
  const target = resolveTarget(state, scope, value.reference);
  return target ? [{ value: target, type: target.resourceType }] : [];
}

/** The element a discriminator path points at inside a slice's definition (before a final resolve()). */
function elementAt(state: RunState, slice: ElementNode, path: string): ElementNode | undefined {
  let node: ElementNode | undefined = slice;
  for (const step of splitPath(path)) {
    if (!node) return undefined;
    if (step === '$this' || step === 'resolve()' || step.startsWith('ofType(')) continue;
    node = childNamed(state, node, step);
  }
  return node;
}

function childNamed(state: RunState, node: ElementNode, step: string): ElementNode | undefined {
  const ext = /^extension\('(.*)'\)$/.exec(step);
  // Not unfolded in the slice: the children of its type profile, else of its type (Java's
  // evaluateDefinition walks into the type: `reference` on a Reference slice is Reference.reference).
  const type = node.el.type?.length === 1 ? node.el.type[0]! : undefined;
  const groups =
    node.children.size > 0
      ? node.children
      : ((type?.profile?.[0] ? profileIndex(state.defs, type.profile[0]) : undefined) ?? (type ? typeIndex(state.defs, type.code) : undefined))?.root.children;
  if (!groups) return undefined;
  if (ext) {
    const group = groups.get('extension');
    return group?.slices.find(s => s.el.type?.[0]?.profile?.[0] === ext[1]) ?? undefined;
  }
  const name = step.endsWith('[x]') ? step.slice(0, -3) : step;
  const group = groups.get(name) ?? groups.get(`${name}[x]`);
  if (!group) return undefined;
  // Java's FHIRPathEngine.evaluateDefinition skips an element that declares slicing and takes the
  // first one of that name that does not: its first slice (the bp profile's code.coding:SBPCode,
  // whose code and system are fixed).
  return group.base.el.slicing && group.slices.length > 0 ? group.slices[0] : group.base;
}

function singleCode(node: ElementNode): string | undefined {
  const types = node.el.type ?? [];
  return types.length === 1 ? types[0]!.code : undefined;
}

export function checkSliceCounts(state: RunState, group: ChildGroup, items: Item[], slicing: SliceAssignment, loc: Loc): void {
  // Java skips the slice counts (and the closed-slicing check) of slicing it cannot evaluate.
  if (slicing.unevaluated) return;
  const { assigned } = slicing;
  for (const slice of group.slices) {
    const count = assigned.filter(a => a === slice).length;
    const label = `${slice.el.path}:${slice.el.sliceName}`;
    if (count < (slice.el.min ?? 0)) report(state, 'error', 'cardinality-min', loc, `${label}: minimum required = ${slice.el.min}, but only found ${count}`);
    if (count > maxOf(slice.el)) report(state, 'error', 'cardinality-max', loc, `${label}: maximum allowed = ${slice.el.max}, but found ${count}`);
  }
  const rules = group.base.el.slicing;
  // Java flags an item as outside the slices only after trying a slice on it: closed slicing
  // that defines no slices (value[x] narrowed to two types, say) rejects nothing.
  if (rules?.rules === 'closed' && group.slices.length > 0) {
    items.forEach((item, i) => {
      if (!assigned[i])
        report(state, 'error', 'slice-closed', item.loc, `This element does not match any known slice of ${group.base.el.path}, and the slicing is closed`);
    });
  }
  if (rules?.ordered) checkOrder(state, group, items, assigned);
}

function checkOrder(state: RunState, group: ChildGroup, items: Item[], assigned: (ElementNode | undefined)[]): void {
  let last = -1;
  items.forEach((item, i) => {
    const at = assigned[i] ? group.slices.indexOf(assigned[i]!) : group.slices.length;
    if (at < last)
      report(
        state,
        'error',
        'slice-order',
        item.loc,
        `Slices of ${group.base.el.path} are ordered; this item (slice ${assigned[i]?.el.sliceName ?? 'unmatched'}) is out of order`
      );
    last = Math.max(last, at);
  });
}
