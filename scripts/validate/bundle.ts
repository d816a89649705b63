/**
 * Bundle rules as the HL7 Java validator applies them (BundleValidator): fullUrls absolute and
 * matching the entry's Type/id, present except in transactions and batches; link relations
 * allowed and unique for the Bundle type; a document starts with a Composition and a message
 * with a MessageHeader whose references resolve inside the Bundle, and every entry is reachable
 * from it; a searchset has a self link; a transaction or batch request names its resource.
 */
import type { FhirResource } from '../model.ts';
import { bundleIndex, resolveInBundle } from './references.ts';
import { typeIndex } from './profile-index.ts';
import { child, isObject, type BundleIndex, type CheckContext, type Finding, type Loc } from './state.ts';

const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const RESTFUL = /^(?:https?:\/\/.*\/)?([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const PAGING = ['first', 'previous', 'next', 'last'];
const FULLURL_OPTIONAL = new Set(['transaction', 'transaction-response', 'batch', 'batch-response']);

export function checkBundle(c: CheckContext): Finding[] {
  if (!isObject(c.value) || c.value.resourceType !== 'Bundle') return [];
  const bundle = c.value;
  const type = typeof bundle.type === 'string' ? bundle.type : '';
  const index = c.scope.bundle ?? bundleIndex(bundle);
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  const out: Finding[] = [...links(bundle, type, c.loc), ...entryRules(entries, type, c.loc, t => typeIndex(c.state.defs, t)?.sd.kind === 'resource')];
  if (type === 'document' || type === 'message') out.push(...firstEntry(index, entries, type, c.loc));
  if (type === 'searchset' && !linkList(bundle).some(l => l.relation === 'self')) {
    out.push({ severity: 'warning', rule: 'bundle-search-self', message: 'A search set Bundle should have a self link (the search that was done)' });
  }
  return out;
}

function linkList(bundle: Record<string, unknown>): { relation?: string; url?: string }[] {
  return Array.isArray(bundle.link) ? (bundle.link.filter(isObject) as { relation?: string; url?: string }[]) : [];
}

function links(bundle: Record<string, unknown>, type: string, loc: Loc): Finding[] {
  const out: Finding[] = [];
  const list = linkList(bundle);
  const paged = type === 'searchset' || type === 'history';
  const seen = new Set<string>();
  list.forEach((l, i) => {
    const rel = l.relation;
    if (typeof rel !== 'string') return;
    const at = child(child(loc, 'link', i), 'relation');
    if (!paged && type !== '' && PAGING.includes(rel)) {
      out.push({ rule: 'bundle-link-prohibited', at, message: `The link relation '${rel}' is for paged search results, not a ${type} Bundle` });
    }
    const unique = paged ? [...PAGING, 'self'].includes(rel) : rel === 'self';
    if (unique && seen.has(rel)) out.push({ rule: 'bundle-link-duplicate', at, message: `There is more than one link with relation '${rel}'` });
    seen.add(rel);
  });
  return out;
}

function entryRules(entries: unknown[], type: string, loc: Loc, isResourceType: (t: string) => boolean): Finding[] {
  const out: Finding[] = [];
  entries.forEach((entry, i) => {
    if (!isObject(entry)) return;
    const at = child(loc, 'entry', i);
    const resource = isObject(entry.resource) ? entry.resource : undefined;
    const fullUrl = typeof entry.fullUrl === 'string' ? entry.fullUrl : undefined;
    if (fullUrl !== undefined) out.push(...fullUrlRules(fullUrl, resource, child(at, 'fullUrl'), isResourceType));
    else if (!FULLURL_OPTIONAL.has(type) && type !== '') {
      out.push({
        rule: 'bundle-fullurl-required',
        at,
        message: `Except in transactions and batches, each entry must have a fullUrl (the identity of its resource)`
      });
    }
    if ((type === 'transaction' || type === 'batch') && isObject(entry.request) && resource)
      out.push(...requestRules(entry.request, resource, child(at, 'request')));
  });
  return out;
}

function fullUrlRules(fullUrl: string, resource: Record<string, unknown> | undefined, at: Loc, isResourceType: (t: string) => boolean): Finding[] {
  if (!ABSOLUTE.test(fullUrl))
    return [{ rule: 'bundle-fullurl-absolute', at, message: `The fullUrl '${fullUrl}' must be an absolute URL (or a urn:uuid: / urn:oid:)` }];
  const restful = RESTFUL.exec(fullUrl);
  if (!restful || !resource || typeof resource.resourceType !== 'string' || !/^https?:/.test(fullUrl)) return [];
  if (fullUrl.includes('/_history/')) return [];
  if (typeof resource.id !== 'string')
    return [{ rule: 'bundle-fullurl-id', at, message: `The fullUrl '${fullUrl}' looks like a RESTful URL, but the resource has no id` }];
  if (restful[1] === resource.resourceType && restful[2] === resource.id) return [];
  if (!isResourceType(restful[1]!)) return [];
  return [
    {
      rule: 'bundle-fullurl-id',
      at,
      message: `The fullUrl '${fullUrl}' looks like a RESTful URL, but does not end with the resource's type and id (${resource.resourceType}/${resource.id})`
    }
  ];
}

/** http.html#transaction: PUT names the resource's Type/id (or a conditional search); POST names its type. */
function requestRules(request: Record<string, unknown>, resource: Record<string, unknown>, at: Loc): Finding[] {
  const url = typeof request.url === 'string' ? request.url : undefined;
  const method = request.method;
  if (!url || url.includes('?')) return [];
  const path = url.replace(/^https?:\/\/[^?]*?\/(?=[A-Z][A-Za-z]+(\/|$))/, '');
  const [type, id] = path.split('/');
  const urlAt = child(at, 'url');
  if (method === 'POST' && type !== resource.resourceType) {
    return [
      {
        rule: 'bundle-request-url',
        at: urlAt,
        message: `A POST of a ${String(resource.resourceType)} goes to '${String(resource.resourceType)}', not '${url}'`
      }
    ];
  }
  if (method === 'PUT' && (type !== resource.resourceType || (id !== undefined && typeof resource.id === 'string' && id !== resource.id))) {
    return [
      {
        rule: 'bundle-request-url',
        at: urlAt,
        message: `A PUT of ${String(resource.resourceType)}/${String(resource.id ?? '')} must go to that type and id, not '${url}'`
      }
    ];
  }
  return [];
}

/** Document and message: the first entry, its references, and every entry reachable from it. */
function firstEntry(index: BundleIndex, entries: unknown[], type: string, loc: Loc): Finding[] {
  const wanted = type === 'document' ? 'Composition' : 'MessageHeader';
  const first = isObject(entries[0]) ? entries[0] : undefined;
  if (!first) return [{ rule: 'bundle-entry-first', message: `A ${type} Bundle must have at least one entry, the ${wanted}` }];
  const resource = isObject(first.resource) ? (first.resource as FhirResource) : undefined;
  const firstLoc = child(loc, 'entry', 0);
  if (!resource) return [{ rule: 'bundle-entry-first', at: firstLoc, message: `The first entry of a ${type} Bundle must hold the ${wanted}` }];
  if (resource.resourceType !== wanted) {
    return [
      {
        rule: `bundle-${type}-first`,
        at: child(firstLoc, 'resource'),
        message: `The first entry of a ${type} Bundle must be a ${wanted}, not a ${resource.resourceType}`
      }
    ];
  }
  const out: Finding[] = [];
  const fullUrl = typeof first.fullUrl === 'string' ? first.fullUrl : undefined;
  const resLoc = child(firstLoc, 'resource');
  for (const { ref, at } of headReferences(resource, type, resLoc)) {
    if (ref.startsWith('#')) continue;
    const hit = resolveInBundle(index, ref, fullUrl, at);
    if (!hit) out.push({ rule: `bundle-${type}-reference`, at, message: `The ${wanted}'s reference '${ref}' must resolve to an entry in this Bundle` });
  }
  out.push(...orphans(index, type, loc));
  return out;
}

interface RefAt {
  ref: string;
  at: Loc;
}

function headReferences(resource: FhirResource, type: string, loc: Loc): RefAt[] {
  const out: RefAt[] = [];
  const take = (value: unknown, at: Loc) => {
    if (isObject(value) && typeof value.reference === 'string') out.push({ ref: value.reference, at: child(at, 'reference') });
  };
  const each = (obj: Record<string, unknown>, name: string, at: Loc) => {
    const v = obj[name];
    if (Array.isArray(v)) v.forEach((x, i) => take(x, child(at, name, i)));
    else take(v, child(at, name));
  };
  if (type === 'message') {
    each(resource, 'focus', loc);
    return out;
  }
  for (const name of ['subject', 'author', 'encounter', 'custodian']) each(resource, name, loc);
  const nested = (name: string, prop: string) => {
    const list = Array.isArray(resource[name]) ? (resource[name] as unknown[]) : [];
    list.forEach((x, i) => {
      if (isObject(x)) each(x, prop, child(loc, name, i));
    });
  };
  nested('attester', 'party');
  nested('event', 'detail');
  const sections = (list: unknown, at: Loc, depth: number) => {
    if (!Array.isArray(list) || depth > 20) return;
    list.forEach((s, i) => {
      if (!isObject(s)) return;
      const sLoc = child(at, 'section', i);
      for (const name of ['author', 'focus', 'entry']) each(s, name, sLoc);
      sections(s.section, sLoc, depth + 1);
    });
  };
  sections(resource.section, loc, 0);
  return out;
}

/** Entries not reachable from the first by references (Java: an error in a document, a warning in a message). */
function orphans(index: BundleIndex, type: string, loc: Loc): Finding[] {
  const targets = new Map<number, Set<number>>();
  for (const e of index.entries) {
    const set = new Set<number>();
    for (const ref of referencesIn(e.resource)) {
      const hit = resolveInBundle(index, ref, e.fullUrl);
      if (hit && 'found' in hit && hit.found !== e) set.add(hit.found.index);
    }
    targets.set(e.index, set);
  }
  const visited = new Set<number>();
  const visit = (i: number) => {
    if (visited.has(i)) return;
    visited.add(i);
    for (const t of targets.get(i) ?? []) visit(t);
  };
  if (index.entries[0]) visit(index.entries[0].index);
  // Entries that point at a reached entry count as reached too; in R4 that is a warning unless
  // the entry is a Provenance (Java: Bundle_BUNDLE_Entry_Reverse_R4).
  const out: Finding[] = [];
  let grew = true;
  while (grew) {
    grew = false;
    for (const e of index.entries) {
      if (visited.has(e.index)) continue;
      if (![...(targets.get(e.index) ?? [])].some(t => visited.has(t))) continue;
      if (e.resource.resourceType !== 'Provenance') {
        out.push({
          severity: 'warning',
          rule: 'bundle-entry-reverse',
          at: child(loc, 'entry', e.index),
          message: `The entry ${e.fullUrl ?? e.resource.resourceType} is only reached because it refers to another entry; in R4 the ${type === 'document' ? 'Composition' : 'MessageHeader'} should lead to it`
        });
      }
      visit(e.index);
      grew = true;
    }
  }
  return [
    ...out,
    ...index.entries
      .filter(e => !visited.has(e.index))
      .map(
        e =>
          ({
            severity: type === 'document' ? 'error' : 'warning',
            rule: 'bundle-entry-orphan',
            at: child(loc, 'entry', e.index),
            message: `The entry ${e.fullUrl ?? `${e.resource.resourceType}/${e.resource.id ?? ''}`} is not referenced from the ${type === 'document' ? 'Composition' : 'MessageHeader'} or anything it references`
          }) as Finding
      )
  ];
}

/** Literal references (and uri/url values naming entries) anywhere in a resource, not inside a nested Bundle. */
function referencesIn(value: unknown, out = new Set<string>(), depth = 0): Set<string> {
  if (depth > 60) return out;
  if (Array.isArray(value)) for (const v of value) referencesIn(v, out, depth + 1);
  else if (isObject(value)) {
    if (value.resourceType === 'Bundle' && depth > 0) return out;
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.add(v);
      else if (k !== 'div' && typeof v === 'object') referencesIn(v, out, depth + 1);
    }
  }
  return out;
}
