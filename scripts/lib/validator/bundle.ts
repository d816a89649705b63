/**
 * Bundle rules as the HL7 Java validator applies them (BundleValidator): fullUrls absolute and
 * matching the entry's Type/id, present except in transactions and batches; link relations
 * allowed and unique for the Bundle type; a document starts with a Composition and a message
 * with a MessageHeader whose references resolve inside the Bundle, and every entry is reachable
 * from it; a document's stylesheet link is local or warned about; a searchset has a self link,
 * and its entries' search modes, resources, ids and types fit the search; a canonical resource's
 * url may equal its fullUrl only when that is its RESTful address; a transaction or batch request
 * names its resource.
 */
import type { FhirResource } from '../../model/resources.ts';
import { isFhirResource } from '../../fhir/json.ts';
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
  const out: Finding[] = [
    ...links(bundle, type, c.loc),
    ...stylesheets(bundle, type, entries, c.loc),
    ...entryRules(entries, type, c.loc, t => typeIndex(c.state.defs, t)?.sd.kind === 'resource')
  ];
  if (type === 'document' || type === 'message') out.push(...firstEntry(bundle, index, entries, type, c.loc));
  if (type === 'searchset' && entries.length > 0) out.push(...searchSet(bundle, entries, c.loc, t => typeIndex(c.state.defs, t)?.sd.kind === 'resource'));
  return out;
}

/** `an Observation`, `a Patient`. */
function article(type: string): string {
  return `${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type}`;
}

/** The resource types a search asked for: the path's last segment, or the `_type` parameter. */
function searchedTypes(url: string, isResourceType: (t: string) => boolean): string[] {
  const q = url.indexOf('?');
  const head = (q < 0 ? url : url.slice(0, q)).split('/');
  const last = head[head.length - 1] ?? '';
  if (isResourceType(last)) return [last];
  if (q < 0) return [];
  return url
    .slice(q + 1)
    .split('&')
    .filter(p => p.startsWith('_type='))
    .flatMap(p => p.slice(6).split(','))
    .filter(t => t !== '');
}

/**
 * Java's checkSearchSet: with search modes (on any entry) every entry needs one, a match or an
 * include has an id, a match is of a searched type and an outcome is an OperationOutcome; without
 * modes the entries are checked for ids, and for types against the self link, as warnings.
 */
function searchSet(bundle: Record<string, unknown>, entries: unknown[], loc: Loc, isResourceType: (t: string) => boolean): Finding[] {
  const out: Finding[] = [];
  const self = linkList(bundle).find(l => l.relation === 'self');
  const types = typeof self?.url === 'string' ? searchedTypes(self.url, isResourceType) : [];
  if (!self) out.push({ severity: 'warning', rule: 'bundle-search-self', message: 'A search set Bundle should have a self link (the search that was done)' });
  else if (types.length === 0)
    out.push({
      severity: 'information',
      rule: 'bundle-search-self-types',
      message: `The self link '${String(self.url ?? '')}' does not say which resource types were searched, so the entries' types are not checked`
    });
  const modeOf = (entry: unknown) => {
    const search = isObject(entry) && isObject(entry.search) ? entry.search : undefined;
    return typeof search?.mode === 'string' ? search.mode : undefined;
  };
  const withModes = entries.some(e => modeOf(e) !== undefined);
  let typeProblem = false;
  let firstType: string | undefined;
  entries.forEach((entry, i) => {
    const at = child(loc, 'entry', i);
    const resource = isObject(entry) && isObject(entry.resource) ? entry.resource : undefined;
    const mode = modeOf(entry);
    if (withModes && mode === undefined)
      out.push({ severity: 'warning', rule: 'bundle-search-mode', at, message: 'Each entry of a search set should say why it is there (search.mode)' });
    if (!resource) {
      out.push({ rule: 'bundle-search-entry-resource', at, message: 'Each entry of a search set must hold a resource' });
      return;
    }
    const resAt = child(at, 'resource');
    const rt = String(resource.resourceType ?? '');
    const hasId = typeof resource.id === 'string';
    const noId = (severity: 'error' | 'warning'): Finding => ({
      severity,
      rule: 'bundle-search-entry-id',
      at: resAt,
      message: `Every resource found by a search must have an id; this is ${article(rt)} without one`
    });
    if (withModes) {
      if (mode === 'match') {
        if (!hasId) out.push(noId('error'));
        if (types.length > 0 && !types.includes(rt))
          out.push({ rule: 'bundle-search-entry-type', at: resAt, message: `A match of this search must be a ${types.join(' or ')}, not ${article(rt)}` });
      } else if (mode === 'include') {
        if (!hasId) out.push(noId('error'));
      } else if (mode !== undefined && rt !== 'OperationOutcome') {
        out.push({ rule: 'bundle-search-outcome', at: resAt, message: `An entry with search mode '${mode}' must be an OperationOutcome, not ${article(rt)}` });
      }
      return;
    }
    if (types.length === 0) {
      typeProblem = true;
      if (!hasId && rt !== 'OperationOutcome') out.push(noId('warning'));
    } else if (types.includes(rt)) {
      if (rt === 'OperationOutcome') return;
      if (!hasId) out.push(noId('warning'));
      if (firstType !== undefined && rt !== firstType) typeProblem = true;
      firstType ??= rt;
    } else {
      typeProblem = true;
      out.push({
        severity: 'warning',
        rule: 'bundle-search-entry-type',
        at,
        message: `This search was for ${types.join(' or ')}, so ${article(rt)} entry needs a search.mode (include or outcome) to say why it is there`
      });
    }
  });
  if (!withModes && typeProblem)
    out.push({
      severity: 'warning',
      rule: 'bundle-search-mode',
      message: 'The entries of this search set have no search.mode, and their types do not show which are matches'
    });
  return out;
}

function linkList(bundle: Record<string, unknown>): { relation?: string; url?: string }[] {
  const links = Array.isArray(bundle.link) ? bundle.link.filter(isObject) : [];
  return links.map(l => ({ relation: typeof l.relation === 'string' ? l.relation : undefined, url: typeof l.url === 'string' ? l.url : undefined }));
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

/** A document's stylesheet: a relative URL must name an entry; an external one is warned about (Java's validateDocumentLink). */
function stylesheets(bundle: Record<string, unknown>, type: string, entries: unknown[], loc: Loc): Finding[] {
  if (type !== 'document') return [];
  const out: Finding[] = [];
  linkList(bundle).forEach((l, i) => {
    if (l.relation !== 'stylesheet' || typeof l.url !== 'string') return;
    const url = l.url;
    const at = child(child(loc, 'link', i), 'url');
    if (!ABSOLUTE.test(url)) {
      const found = entries.some(e => isObject(e) && isObject(e.resource) && `${String(e.resource.resourceType)}/${String(e.resource.id)}` === url);
      if (!found)
        out.push({
          rule: 'bundle-link-stylesheet',
          at,
          message: `The stylesheet '${url}' is relative, so it must be an entry of this Bundle (Type/id); none is`
        });
      return;
    }
    if (url === 'https://hl7.org/fhir/fhir.css') return;
    const warn = (message: string) => out.push({ severity: 'warning', rule: 'bundle-link-stylesheet', at, message });
    warn(`The stylesheet '${url}' is outside the document: it may not be available where the document is read`);
    if (url.startsWith('http://')) warn(`The stylesheet '${url}' is fetched over plain http`);
    if (!/^(https?|ftp):\/\//.test(url)) warn(`The stylesheet '${url}' is not a URL a reader can fetch`);
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
    if (fullUrl !== undefined && resource && resource.url === fullUrl) out.push(...canonicalRule(fullUrl, resource, at, isResourceType));
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

/**
 * A canonical resource whose url is its entry's fullUrl: then the url must be its RESTful address,
 * ending in its id (Java: Bundle_BUNDLE_Entry_MismatchIdUrl; pre-UTG v2/v3 URLs are exempt).
 */
function canonicalRule(fullUrl: string, resource: Record<string, unknown>, at: Loc, isResourceType: (t: string) => boolean): Finding[] {
  if (fullUrl.startsWith('http://hl7.org/fhir/v3/') || fullUrl.startsWith('http://hl7.org/fhir/v2/')) return [];
  const restful = RESTFUL.exec(fullUrl);
  const id = typeof resource.id === 'string' ? resource.id : undefined;
  if (restful && isResourceType(restful[1]!) && id !== undefined && fullUrl.endsWith(`/${id}`)) return [];
  return [
    {
      rule: 'bundle-fullurl-canonical',
      at: child(at, 'fullUrl'),
      message: `The canonical URL (${fullUrl}) cannot be the fullUrl unless it is the resource's RESTful address, ending in its id (${id ?? 'none'})`
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
function firstEntry(bundle: Record<string, unknown>, index: BundleIndex, entries: unknown[], type: string, loc: Loc): Finding[] {
  const wanted = type === 'document' ? 'Composition' : 'MessageHeader';
  const first = isObject(entries[0]) ? entries[0] : undefined;
  if (!first) return [{ rule: 'bundle-entry-first', message: `A ${type} Bundle must have at least one entry, the ${wanted}` }];
  const resource = isFhirResource(first.resource) ? first.resource : undefined;
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
    if (hit && 'possible' in hit) {
      // Java (R4 and later, BundleValidator): a Type/id that matches entries only under another
      // base, or from an entry without a fullUrl, does not resolve (Bundle_BUNDLE_Entry_NotFound_Apparent).
      const urls = hit.entries
        .map(e => e.fullUrl ?? '<missing>')
        .sort()
        .join(', ');
      out.push({
        rule: 'bundle-reference-apparent',
        at,
        message: `Cannot find '${ref}' in the Bundle: ${hit.entries.length === 1 ? 'an entry has' : `${hit.entries.length} entries have`} that type and id, but relative references resolve against the referring entry's fullUrl (${fullUrl ?? 'none'}), so it must be ${hit.target}; found: ${urls}`
      });
    } else if (!hit) out.push({ rule: `bundle-${type}-reference`, at, message: `The ${wanted}'s reference '${ref}' must resolve to an entry in this Bundle` });
  }
  out.push(...orphans(index, type, loc, stylesheetTargets(bundle)));
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
    const value = resource[name];
    const list: unknown[] = Array.isArray(value) ? value : [];
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

function stylesheetTargets(bundle: Record<string, unknown>): Set<string> {
  return new Set(linkList(bundle).flatMap(l => (l.relation === 'stylesheet' && typeof l.url === 'string' ? [l.url] : [])));
}

/** Entries not reachable from the first by references (Java: an error in a document, a warning in a message). */
function orphans(index: BundleIndex, type: string, loc: Loc, styles: Set<string>): Finding[] {
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
  // A stylesheet named by a link (Type/id) is part of the document too (Java's visitBundleLinks).
  for (const e of index.entries) if (styles.has(`${e.resource.resourceType}/${e.resource.id ?? ''}`)) visited.add(e.index);
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
      .map((e): Finding => ({
        severity: type === 'document' ? 'error' : 'warning',
        rule: 'bundle-entry-orphan',
        at: child(loc, 'entry', e.index),
        message: `The entry ${e.fullUrl ?? `${e.resource.resourceType}/${e.resource.id ?? ''}`} is not referenced from the ${type === 'document' ? 'Composition' : 'MessageHeader'} or anything it references`
      }))
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
