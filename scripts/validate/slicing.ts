/**
 * Slicing: each item of a sliced element is matched to the first slice whose discriminators
 * (value, pattern, type, profile, exists) it satisfies; then slice cardinality, closed slicing
 * and slice order are checked.
 */
import { profileIndex, maxOf, type ChildGroup, type Discriminator, type ElementNode } from './profile-index.ts';
import { containsPattern, fixedOf, deepEqual } from './values.ts';
import { resolveInBundle } from './references.ts';
import { isObject, report, type Item, type Loc, type RunState, type Scope } from './state.ts';

export function assignSlices(state: RunState, group: ChildGroup, items: Item[], scope: Scope, typeCode?: string): (ElementNode | undefined)[] {
  const discriminators = group.base.el.slicing?.discriminator ?? [];
  return items.map(item => group.slices.find(slice => matches(state, slice, item, discriminators, scope, typeCode)));
}

function matches(state: RunState, slice: ElementNode, item: Item, discriminators: Discriminator[], scope: Scope, typeCode?: string): boolean {
  if (discriminators.length === 0) return false;
  return discriminators.every(d => matchOne(state, slice, item, d, scope, typeCode));
}

function matchOne(state: RunState, slice: ElementNode, item: Item, d: Discriminator, scope: Scope, typeCode?: string): boolean {
  const values = navigate(item.value, d.path, scope);
  const target = elementAt(state, slice, d.path);
  switch (d.type) {
    case 'value':
    case 'pattern':
      return matchValue(slice, target, values, d.path);
    case 'exists':
      return target ? ((target.el.min ?? 0) > 0 ? values.length > 0 : maxOf(target.el) === 0 ? values.length === 0 : true) : false;
    case 'type':
      return matchType(target ?? slice, values, d.path, typeCode);
    case 'profile':
      return matchProfile(state, target ?? slice, values);
    default:
      return false;
  }
}

function matchValue(slice: ElementNode, target: ElementNode | undefined, values: unknown[], path: string): boolean {
  if (path === 'url' && !target?.el.fixedUri) {
    const url = slice.el.type?.[0]?.profile?.[0];
    return url !== undefined && values.includes(url);
  }
  const fixed = target ? fixedOf(target.el) : undefined;
  if (!fixed) return false;
  const test = fixed.kind === 'fixed' ? (v: unknown) => deepEqual(v, fixed.value) : (v: unknown) => containsPattern(v, fixed.value);
  return values.some(test);
}

function matchType(target: ElementNode, values: unknown[], path: string, typeCode?: string): boolean {
  const codes = (target.el.type ?? []).map(t => t.code);
  if (path === '$this' && typeCode) return codes.includes(typeCode);
  return values.some(v => isObject(v) && typeof v.resourceType === 'string' && codes.includes(v.resourceType));
}

function matchProfile(state: RunState, target: ElementNode, values: unknown[]): boolean {
  const profiles = (target.el.type ?? []).flatMap(t => t.profile ?? t.targetProfile ?? []);
  return values.some(v => {
    if (!isObject(v)) return false;
    const claimed = (v.meta as { profile?: string[] } | undefined)?.profile ?? [];
    if (profiles.some(p => claimed.includes(p))) return true;
    return profiles.some(p => state.conforms?.(v, p) ?? false);
  });
}

/** Values at a discriminator path: `code.coding.system`, `extension('url').value`, `$this`, `resolve()`. */
export function navigate(value: unknown, path: string, scope: Scope): unknown[] {
  let current: unknown[] = [value];
  for (const step of splitPath(path)) {
    if (step === '$this') continue;
    if (step === 'resolve()') {
      current = current.flatMap(v => resolveRef(v, scope));
      continue;
    }
    const ext = /^extension\('(.*)'\)$/.exec(step);
    current = current.flatMap(v => {
      if (!isObject(v)) return [];
      if (ext) return ((v.extension as unknown[]) ?? []).filter(e => isObject(e) && e.url === ext[1]);
      const name = step.replace(/\.?ofType\(.*\)$/, '');
      const direct = v[name];
      if (direct !== undefined) return Array.isArray(direct) ? direct : [direct];
      const key = Object.keys(v).find(k => k.startsWith(name) && /^[A-Z]/.test(k.slice(name.length)));
      return key ? [v[key]].flat() : [];
    });
  }
  return current;
}

function splitPath(path: string): string[] {
  return path.match(/extension\('[^']*'\)|resolve\(\)|ofType\([^)]*\)|[^.]+/g) ?? [];
}

function resolveRef(value: unknown, scope: Scope): unknown[] {
  if (!isObject(value) || typeof value.reference !== 'string') return [];
  const hit = scope.bundle ? resolveInBundle(scope.bundle, value.reference, scope.fullUrl) : undefined;
  return hit && 'found' in hit ? [hit.found.resource] : [];
}

/** The element a discriminator path points at inside a slice's definition. */
function elementAt(state: RunState, slice: ElementNode, path: string): ElementNode | undefined {
  let node: ElementNode | undefined = slice;
  for (const step of splitPath(path)) {
    if (!node || step === '$this' || step === 'resolve()' || step.startsWith('ofType(')) continue;
    node = childNamed(state, node, step);
  }
  return node;
}

function childNamed(state: RunState, node: ElementNode, step: string): ElementNode | undefined {
  const ext = /^extension\('(.*)'\)$/.exec(step);
  const groups = node.children.size > 0 ? node.children : profileIndex(state.defs, node.el.type?.[0]?.profile?.[0] ?? '')?.root.children;
  if (!groups) return undefined;
  if (ext) {
    const group = groups.get('extension');
    return group?.slices.find(s => s.el.type?.[0]?.profile?.[0] === ext[1]) ?? undefined;
  }
  const name = step.replace(/\.?ofType\(.*\)$/, '');
  return groups.get(name)?.base ?? groups.get(`${name}[x]`)?.base;
}

export function checkSliceCounts(state: RunState, group: ChildGroup, items: Item[], assigned: (ElementNode | undefined)[], loc: Loc): void {
  for (const slice of group.slices) {
    const count = assigned.filter(a => a === slice).length;
    const label = `${slice.el.path}:${slice.el.sliceName}`;
    if (count < (slice.el.min ?? 0)) report(state, 'error', 'cardinality-min', loc, `${label}: minimum required = ${slice.el.min}, but only found ${count}`);
    if (count > maxOf(slice.el)) report(state, 'error', 'cardinality-max', loc, `${label}: maximum allowed = ${slice.el.max}, but found ${count}`);
  }
  const slicing = group.base.el.slicing;
  if (slicing?.rules === 'closed') {
    items.forEach((item, i) => {
      if (!assigned[i])
        report(state, 'error', 'slice-closed', item.loc, `This element does not match any known slice of ${group.base.el.path}, and the slicing is closed`);
    });
  }
  if (slicing?.ordered) checkOrder(state, group, items, assigned);
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
