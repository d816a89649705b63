/**
 * Literal references: `#id` must name a contained resource; inside a Bundle a reference resolves
 * as the HL7 Java validator does it (an absolute reference by fullUrl; a relative one against the
 * referring entry's RESTful fullUrl base; `_history` by meta.versionId), then against the guide's
 * examples; the target's type must be one the element allows.
 */
import type { FhirResource } from '../../model/resources.ts';
import { isFhirResource } from '../../fhir/json.ts';
import type { ElementDefinition } from './profile-index.ts';
import { child, isObject, type BundleEntryRef, type BundleIndex, type CheckContext, type Finding, type Loc, type RunState, type Scope } from './state.ts';
import { BASE } from './definitions.ts';

const LITERAL = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:/;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Entries of a Bundle by fullUrl (and versioned fullUrl) and by `Type/id`, for reference resolution. */
export function bundleIndex(bundle: Record<string, unknown>): BundleIndex {
  const index: BundleIndex = {
    type: typeof bundle.type === 'string' ? bundle.type : undefined,
    entries: [],
    byFullUrl: new Map(),
    byTypeId: new Map(),
    byResource: new Map()
  };
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  entries.forEach((entry, i) => {
    if (!isObject(entry) || !isObject(entry.resource)) return;
    const resource = entry.resource;
    if (!isFhirResource(resource)) return;
    const ref: BundleEntryRef = { fullUrl: typeof entry.fullUrl === 'string' ? entry.fullUrl : undefined, resource, index: i };
    index.entries.push(ref);
    index.byResource.set(resource, ref);
    const version = isObject(resource.meta) && typeof resource.meta.versionId === 'string' ? resource.meta.versionId : undefined;
    if (ref.fullUrl) {
      push(index.byFullUrl, ref.fullUrl, ref);
      if (version) push(index.byFullUrl, `${ref.fullUrl}/_history/${version}`, ref);
    }
    if (typeof resource.resourceType === 'string' && typeof resource.id === 'string') {
      push(index.byTypeId, `${resource.resourceType}/${resource.id}`, ref);
      if (version) push(index.byTypeId, `${resource.resourceType}/${resource.id}/_history/${version}`, ref);
    }
  });
  return index;
}

/**
 * A Bundle resolution: a single match; a problem (several matches); possible matches (entries with
 * the reference's type and id that the fullUrl rules do not reach: warnings, and the entries); or
 * undefined.
 */
export type BundleHit = { found: BundleEntryRef } | { problem: Finding } | { possible: Finding[]; entries: BundleEntryRef[]; target: string } | undefined;

/**
 * Resolve `reference` inside a Bundle, from an entry whose fullUrl is `from`, by the rules of
 * Java's getFromBundle: an absolute reference by fullUrl; a relative `Type/id` against the base of
 * the referring entry's fullUrl (`http://x/fhir/` of `http://x/fhir/Patient/1`, `urn:uuid:` of a
 * `urn:uuid:` fullUrl); `_history` by meta.versionId. When that finds nothing but entries have
 * the type and id, Java warns (BUNDLE_BUNDLE_POSSIBLE_MATCH_WRONG_FU / _NO_FU,
 * BUNDLE_POSSSIBLE_MATCHES) and the reference stays unresolved; only a document or message
 * Bundle, which must hold its targets, makes that an error (BundleValidator).
 */
export function resolveInBundle(bundle: BundleIndex, reference: string, from: string | undefined, at?: Loc): BundleHit {
  const ref = reference.split('#')[0]!;
  if (ABSOLUTE.test(ref)) return pick(bundle.byFullUrl.get(ref), reference, at);
  const target = from !== undefined ? targetUrl(from, ref) : undefined;
  if (target !== undefined) {
    const hit = pick(bundle.byFullUrl.get(target), reference, at);
    if (hit) return hit;
  }
  const apparent = bundle.byTypeId.get(ref);
  if (!apparent) return undefined;
  const shown = target ?? ref;
  const possible: Finding[] = [];
  if (apparent.length > 1) {
    possible.push({
      severity: 'warning',
      rule: 'bundle-reference-possible',
      at,
      message: `The bundle contains no match for ${shown} by the rules of Bundle reference resolution, but it has multiple resources that match ${reference} by resource type and id`
    });
  }
  for (const e of apparent) {
    possible.push({
      severity: 'warning',
      rule: 'bundle-reference-possible',
      at,
      message:
        e.fullUrl === undefined
          ? `Entry ${e.index} matches the reference ${reference} by type and id but it does not match the full target URL ${shown} by Bundle resolution rules`
          : `Entry ${e.index} matches the reference ${reference} by type and id but it's fullUrl ${e.fullUrl} does not match the full target URL ${shown} by Bundle resolution rules`
    });
  }
  return { possible, entries: apparent, target: shown };
}

/** Java's target URL for a relative reference: the referring fullUrl's base (all but its last two segments, or the urn: prefix) + the reference. */
function targetUrl(from: string, ref: string): string | undefined {
  const parts = ref.split('/');
  if (parts.length !== 2 && parts.length !== 4) return undefined;
  if (from.startsWith('urn:')) {
    const prefix = from.slice(0, from.lastIndexOf(':') + 1);
    return ref.includes('/_history/') ? undefined : `${prefix}${parts[1]}`;
  }
  const segments = from.split('/');
  if (segments.length < 3) return undefined;
  return `${segments.slice(0, -2).join('/')}/${ref}`;
}

function pick(list: BundleEntryRef[] | undefined, reference: string, at?: Loc): BundleHit {
  if (!list || list.length === 0) return undefined;
  if (list.length === 1) return { found: list[0]! };
  return {
    problem: {
      rule: 'bundle-reference-ambiguous',
      at,
      message: `The reference '${reference}' matches ${list.length} entries in the Bundle (entries ${list.map(e => e.index).join(', ')}); it must identify exactly one`
    }
  };
}

export function checkReference({ state, value, node, loc, scope }: CheckContext): Finding[] {
  if (!isObject(value) || typeof value.reference !== 'string') return [];
  const reference = value.reference;
  const at = child(loc, 'reference');
  if (reference.startsWith('#')) return checkContained(reference.slice(1), at, scope);
  const out: Finding[] = [];
  let target: FhirResource | undefined;
  if (scope.bundle) {
    const hit = resolveInBundle(scope.bundle, reference, scope.fullUrl, at);
    if (hit && 'problem' in hit) out.push(hit.problem);
    else if (hit && 'possible' in hit) out.push(...hit.possible);
    else if (hit) target = hit.found.resource;
    if (hit && 'found' in hit) out.push(...typeMatches(reference, hit.found.resource, at), ...targetConforms(state, hit.found.resource, node.el, at));
  }
  if (!target && out.length === 0) {
    target = fromGuide(state, reference);
    if (!target) out.push(...unresolved(state, reference, at, scope));
  }
  const type = target?.resourceType ?? LITERAL.exec(reference)?.[1];
  return [...out, ...targetType(state, type, node.el, at)];
}

/**
 * The resource a reference points at, for FHIRPath's resolve(): `#id` a contained resource of the
 * resource or its container (`#` the container itself), else an entry of the enclosing Bundle,
 * else one of the guide's examples.
 */
export function resolveTarget(state: RunState, scope: Scope, reference: string): FhirResource | undefined {
  if (reference.startsWith('#')) {
    const id = reference.slice(1);
    const holder = scope.container ?? scope.resource;
    if (id === '') return holder;
    for (const h of [scope.resource, holder]) {
      const hit = Array.isArray(h.contained) ? h.contained.find(c => isObject(c) && c.id === id) : undefined;
      if (isFhirResource(hit)) return hit;
    }
    return undefined;
  }
  const hit = scope.bundle ? resolveInBundle(scope.bundle, reference, scope.fullUrl) : undefined;
  if (hit && 'found' in hit) return hit.found.resource;
  return fromGuide(state, reference);
}

/** A relative `Type/id` (or a guide example's URL) among the guide's examples. */
function fromGuide(state: RunState, reference: string): FhirResource | undefined {
  const literal = LITERAL.exec(reference);
  if (!literal || /^[a-z]+:/.test(reference)) return undefined;
  return state.options.knownResources?.get(`${literal[1]}/${literal[2]}`);
}

/** A `Type/id` reference must find a resource of that type (Java: Reference_REF_ResourceType). */
function typeMatches(reference: string, target: FhirResource, at: Loc): Finding[] {
  const literal = ABSOLUTE.test(reference) && !/^https?:/.test(reference) ? null : LITERAL.exec(reference);
  if (!literal || literal[1] === target.resourceType) return [];
  return [
    {
      rule: 'reference-target-type',
      at,
      message: `The reference '${reference}' names a ${literal[1]}, but the entry it resolves to is a ${target.resourceType}`
    }
  ];
}

function checkContained(id: string, at: Loc, scope: Scope): Finding[] {
  if (id === '') return [];
  const holders = [scope.resource, scope.container].filter((h): h is FhirResource => h !== undefined);
  const found = holders.some(h => Array.isArray(h.contained) && h.contained.some(c => isObject(c) && c.id === id));
  return found ? [] : [{ rule: 'reference-unresolved', at, message: `No contained resource with id '${id}' for the reference '#${id}'` }];
}

function unresolved(state: RunState, reference: string, at: Loc, scope: Scope): Finding[] {
  const literal = LITERAL.exec(reference);
  if (scope.bundle) {
    // Java: a urn: reference that is not in the Bundle is a warning (Bundle_BUNDLE_Not_Local); a
    // relative one may live on the server the Bundle came from.
    if (reference.startsWith('urn:'))
      return [
        { severity: 'warning', rule: 'reference-unresolved', at, message: `The URN reference '${reference}' does not resolve to an entry in this Bundle` }
      ];
    if (!literal || /^https?:/.test(reference) || !state.options.knownResources) return [];
    return [
      {
        severity: 'warning',
        rule: 'reference-unresolved',
        at,
        message: `The reference '${reference}' does not resolve to an entry in this Bundle or an example in this guide`
      }
    ];
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
  const allowed = targets.map(url => (url.startsWith(BASE) ? url.slice(BASE.length) : state.defs.typeOf(url)));
  if (allowed.includes('Resource') || allowed.includes(type)) return [];
  const unknown = targets.filter((_url, i) => allowed[i] === undefined);
  // Java: REFERENCE_REF_CANTRESOLVEPROFILE. A profile no loaded package defines (a dependency
  // that is not installed) says nothing about the type: a warning, never a type error.
  if (unknown.length > 0) {
    return [
      {
        severity: 'warning',
        rule: 'reference-target-profile-unknown',
        at,
        message: `Unable to resolve the profile reference '${unknown.join("', '")}', so the target type ${type} of ${el.path} was not checked against it`
      }
    ];
  }
  return [{ rule: 'type', at, message: `Invalid reference target type: found ${type}, but ${el.path} allows ${allowed.join(', ')}` }];
}

/**
 * A Bundle entry a reference resolves to must conform to one of the element's targetProfiles of
 * its type (Java validates the resolved target against them: REFERENCE_REF_CANTMATCHCHOICE). A
 * base resource type among the targets, or a profile that is not loaded, asks nothing more.
 */
function targetConforms(state: RunState, target: FhirResource, el: ElementDefinition, at: Loc): Finding[] {
  const targets = el.type?.find(t => t.code === 'Reference')?.targetProfile ?? [];
  if (!state.conforms || targets.length === 0) return [];
  const type = target.resourceType;
  if (targets.some(url => url === `${BASE}${type}` || url === `${BASE}Resource`)) return [];
  const candidates = targets.filter(url => !url.startsWith(BASE) && state.defs.get(url)?.type === type);
  if (candidates.length === 0 || candidates.some(url => state.conforms!(target, url))) return [];
  return [
    {
      rule: 'reference-target-profile',
      at,
      message: `The ${type} this reference resolves to does not conform to ${candidates.length === 1 ? 'the profile' : 'any of the profiles'} ${candidates.join(', ')} that ${el.path} requires`
    }
  ];
}

export function referenceTypeOf(reference: string): string | undefined {
  return LITERAL.exec(reference)?.[1];
}

/**
 * dom-3, done natively: fhirpath.js 5.1.1 cannot evaluate the R4 expression (`as(canonical)` on
 * a collection). Each contained resource is referenced from elsewhere in the resource as `#id`
 * (a reference, a uri/url/canonical, or a link or image in the narrative: `<a href="#id">`,
 * `<img src="#id">`), or itself refers to its container as `#`.
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
    out.push({
      rule: 'dom-3',
      message: `Constraint failed: dom-3: 'If the resource is contained in another resource, it SHALL be referred to from elsewhere in the resource or SHALL refer to the containing resource' (contained resource '${c.id}' is not referenced)`
    });
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
    for (const [k, v] of Object.entries(value)) {
      if (k === 'div' && typeof v === 'string') narrativeRefs(v, out);
      else if (k !== 'div') collectLocalRefs(v, out, depth + 1);
    }
  }
}

const LOCAL_LINK = /\s(?:href|src)\s*=\s*(?:"(#[^"<]*)"|'(#[^'<]*)')/gi;

/** `<a href="#id">` and `<img src="#id">` in the narrative refer to contained resources too (Java counts them for dom-3). */
function narrativeRefs(xhtml: string, out: Set<string>): void {
  if (!xhtml.includes('#')) return;
  for (const m of xhtml.matchAll(LOCAL_LINK)) out.add(m[1] ?? m[2]!);
}
