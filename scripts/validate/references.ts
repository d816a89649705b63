/**
 * Literal references: `#id` must name a contained resource; inside a Bundle a reference must
 * resolve to an entry (by fullUrl, or Type/id); between the guide's examples `Type/id` should
 * resolve; and the target's type must be one the element allows.
 */
import type { FhirResource } from '../model.ts';
import type { ElementDefinition } from './profile-index.ts';
import { child, isObject, type CheckContext, type Finding, type Loc, type RunState, type Scope } from './state.ts';
import { BASE } from './definitions.ts';

const LITERAL = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/** Entries of a Bundle by fullUrl and by `Type/id`, for reference resolution. */
export function bundleEntries(bundle: Record<string, unknown>): Map<string, FhirResource> {
  const map = new Map<string, FhirResource>();
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  for (const entry of entries) {
    if (!isObject(entry) || !isObject(entry.resource)) continue;
    const resource = entry.resource as FhirResource;
    if (typeof entry.fullUrl === 'string') map.set(entry.fullUrl, resource);
    if (typeof resource.resourceType === 'string' && typeof resource.id === 'string') map.set(`${resource.resourceType}/${resource.id}`, resource);
  }
  return map;
}

export function checkReference({ state, value, node, loc, scope }: CheckContext): Finding[] {
  if (!isObject(value) || typeof value.reference !== 'string') return [];
  const reference = value.reference;
  const at = child(loc, 'reference');
  if (reference.startsWith('#')) return checkContained(reference.slice(1), at, scope);
  const target = resolve(state, reference, scope);
  const out = target ? [] : unresolved(state, reference, at, scope);
  const type = target?.resourceType ?? LITERAL.exec(reference)?.[1];
  return [...out, ...targetType(state, type, node.el, at)];
}

function resolve(state: RunState, reference: string, scope: Scope): FhirResource | undefined {
  const literal = LITERAL.exec(reference);
  const key = literal ? `${literal[1]}/${literal[2]}` : undefined;
  if (scope.bundle) return scope.bundle.get(reference) ?? (key ? scope.bundle.get(key) : undefined);
  return key ? state.options.knownResources?.get(key) : undefined;
}

function checkContained(id: string, at: Loc, scope: Scope): Finding[] {
  if (id === '') return [];
  const holders = [scope.resource, scope.container].filter(Boolean) as FhirResource[];
  const found = holders.some(h => Array.isArray(h.contained) && h.contained.some(c => isObject(c) && c.id === id));
  return found ? [] : [{ rule: 'reference-unresolved', at, message: `No contained resource with id '${id}' for the reference '#${id}'` }];
}

function unresolved(state: RunState, reference: string, at: Loc, scope: Scope): Finding[] {
  const literal = LITERAL.exec(reference);
  if (scope.bundle) {
    const internal = reference.startsWith('urn:uuid:') || reference.startsWith('urn:oid:');
    if (!internal && !literal) return [];
    return [{ severity: internal ? 'error' : 'warning', rule: 'reference-unresolved', at, message: `The reference '${reference}' does not resolve to an entry in this Bundle` }];
  }
  if (state.options.knownResources && literal && !/^https?:/.test(reference)) {
    return [{ severity: 'warning', rule: 'reference-unresolved', at, message: `The reference '${reference}' does not resolve to any example in this guide` }];
  }
  return [];
}

function targetType(state: RunState, type: string | undefined, el: ElementDefinition, at: Loc): Finding[] {
  if (!type) return [];
  const targets = el.type?.find(t => t.code === 'Reference')?.targetProfile ?? [];
  if (targets.length === 0) return [];
  const allowed = targets.map(url => (url.startsWith(BASE) ? url.slice(BASE.length) : (state.defs.get(url)?.type as string | undefined) ?? url));
  if (allowed.includes('Resource') || allowed.includes(type)) return [];
  return [{ rule: 'type', at, message: `Invalid reference target type: found ${type}, but ${el.path} allows ${allowed.join(', ')}` }];
}

export function referenceTypeOf(reference: string): string | undefined {
  return LITERAL.exec(reference)?.[1];
}

/**
 * dom-3, done natively: fhirpath.js 5.1.1 cannot evaluate the R4 expression (`as(canonical)` on
 * a collection). Each contained resource is referenced from elsewhere in the resource as `#id`,
 * or itself refers to its container as `#`.
 */
export function checkContainedReferenced({ value: resource }: CheckContext): Finding[] {
  if (!isObject(resource)) return [];
  const contained = Array.isArray(resource.contained) ? resource.contained.filter(isObject) : [];
  if (contained.length === 0) return [];
  const out: Finding[] = [];
  const used = new Set<string>();
  collectLocalRefs(resource, used, 0);
  for (const c of contained) {
    if (typeof c.id !== 'string' || used.has(`#${c.id}`)) continue;
    const inner = new Set<string>();
    collectLocalRefs(c, inner, 0);
    if (inner.has('#')) continue;
    out.push({ rule: 'dom-3', message: `Constraint failed: dom-3: 'If the resource is contained in another resource, it SHALL be referred to from elsewhere in the resource or SHALL refer to the containing resource' (contained resource '${c.id}' is not referenced)` });
  }
  return out;
}

function collectLocalRefs(value: unknown, out: Set<string>, depth: number): void {
  if (depth > 100) return;
  if (typeof value === 'string') {
    if (value.startsWith('#')) out.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collectLocalRefs(v, out, depth + 1);
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) if (k !== 'div') collectLocalRefs(v, out, depth + 1);
  }
}
