/**
 * ValueSet expansion without a terminology server, shared by the validator (is a code in the
 * value set?) and the site (the expansion table). Compose rules as the spec defines them: an
 * include selects the codes of its system (all, a concept list, or filters: is-a, descendent-of,
 * is-not-a, =, in), intersected with every value set it names; includes are unioned, excludes
 * removed. Systems that cannot be enumerated here (not held, not complete, unsupported filter)
 * are reported as `open`: membership there can be neither confirmed nor refused.
 */
import type { FhirResource } from '../model/resources.ts';
import { flattenConcepts, propertyValues } from './concepts.ts';
import { resourceOf, type CodeSystemConcept, type ValueSetComposeInclude } from './r4.ts';

export interface ExpandedCode {
  system: string;
  code: string;
  display?: string;
}

export interface Expansion {
  codes: ExpandedCode[];
  /** Systems included that could not be enumerated. */
  open: Set<string>;
  /** Why parts could not be expanded, in words, for readers of the site. */
  problems: string[];
}

/** Finds a CodeSystem or ValueSet by canonical URL (without version). */
export type Lookup = (url: string) => FhirResource | undefined;

type Include = ValueSetComposeInclude;

/** system -> code -> display: the working form, so unions and intersections stay simple. */
type CodeMap = Map<string, Map<string, string | undefined>>;
interface Part {
  codes: CodeMap;
  open: Set<string>;
}

const MAX_DEPTH = 10;

export function expandValueSet(lookup: Lookup, vs: FhirResource): Expansion {
  const problems: string[] = [];
  const part = expandPart(lookup, vs, new Set(), 0, problems);
  const codes = [...part.codes].flatMap(([system, m]) => [...m].map(([code, display]) => ({ system, code, ...(display === undefined ? {} : { display }) })));
  return { codes, open: part.open, problems };
}

function expandPart(lookup: Lookup, vs: FhirResource, seen: Set<string>, depth: number, problems: string[]): Part {
  if (typeof vs.url === 'string') seen.add(vs.url);
  const valueSet = resourceOf(vs, 'ValueSet');
  const compose = valueSet?.compose;
  const contains = valueSet?.expansion?.contains;
  const result: Part = { codes: new Map(), open: new Set() };
  if (!compose && contains) {
    for (const c of contains) if (c.system && c.code) add(result.codes, c.system, c.code, c.display);
    return result;
  }
  for (const inc of compose?.include ?? []) merge(result, includePart(lookup, inc, seen, depth, problems));
  for (const exc of compose?.exclude ?? []) {
    for (const [system, codes] of includePart(lookup, exc, seen, depth, problems).codes)
      for (const code of codes.keys()) result.codes.get(system)?.delete(code);
  }
  return result;
}

function includePart(lookup: Lookup, inc: Include, seen: Set<string>, depth: number, problems: string[]): Part {
  let part = inc.system ? systemPart(lookup, inc.system, inc, problems) : undefined;
  for (const ref of inc.valueSet ?? []) {
    const url = ref.split('|')[0]!;
    const other = lookup(url);
    if (seen.has(url) || depth >= MAX_DEPTH) {
      problems.push(`Value set ${url} includes itself (directly or through others); the loop is not followed.`);
      continue;
    }
    if (!other || other.resourceType !== 'ValueSet') {
      problems.push(`Value set ${url} is not available here, so its codes are not listed.`);
      continue;
    }
    const sub = expandPart(lookup, other, new Set(seen), depth + 1, problems);
    part = part ? intersect(part, sub) : sub;
  }
  return part ?? { codes: new Map(), open: new Set() };
}

function systemPart(lookup: Lookup, system: string, inc: Include, problems: string[]): Part {
  const part: Part = { codes: new Map(), open: new Set() };
  const cs = resourceOf(lookup(system), 'CodeSystem');
  const concepts = placed(cs?.concept);
  if (inc.concept?.length) {
    for (const c of inc.concept) add(part.codes, system, c.code, c.display ?? concepts.find(x => x.concept.code === c.code)?.concept.display);
    return part;
  }
  if (!cs || !(cs.content === 'complete' || cs.content === undefined)) {
    problems.push(`Code system ${system} is not available here in full, so its codes are not listed.`);
    part.open.add(system);
    return part;
  }
  const selected = applyFilters(concepts, inc.filter ?? []);
  if (!selected) {
    problems.push(`A filter on ${system} cannot be expanded here, so its codes are not listed.`);
    part.open.add(system);
  } else for (const c of selected) add(part.codes, system, c.code, c.display);
  return part;
}

interface Placed {
  concept: CodeSystemConcept;
  parents: string[];
}

/** Each concept with its parents: the one it is nested in and those its `parent` / `subsumedBy` properties name. */
function placed(list: CodeSystemConcept[] | undefined): Placed[] {
  return flattenConcepts(list).map(({ concept, parent }) => {
    const declared = [...propertyValues(concept, 'parent'), ...propertyValues(concept, 'subsumedBy')].map(String);
    return { concept, parents: [...(parent ? [parent] : []), ...declared] };
  });
}

function applyFilters(all: Placed[], filters: NonNullable<Include['filter']>): CodeSystemConcept[] | undefined {
  const parentsOf = new Map(all.map(p => [p.concept.code, p.parents]));
  const below = (code: string, ancestor: string, depth = 0): boolean =>
    depth < 50 && (parentsOf.get(code) ?? []).some(p => p === ancestor || below(p, ancestor, depth + 1));
  let selected = all;
  for (const f of filters) {
    const code = (p: Placed) => p.concept.code;
    if (f.op === 'is-a') selected = selected.filter(p => code(p) === f.value || below(code(p), f.value));
    else if (f.op === 'descendent-of') selected = selected.filter(p => below(code(p), f.value));
    else if (f.op === 'is-not-a') selected = selected.filter(p => code(p) !== f.value && !below(code(p), f.value));
    else if (f.op === 'in') selected = selected.filter(p => f.value.split(',').includes(code(p)));
    else if (f.op === '=') selected = selected.filter(p => propertyValues(p.concept, f.property).some(v => String(v) === f.value));
    else return undefined;
  }
  return selected.map(p => p.concept);
}

/**
 * Codes in both. Where one side cannot enumerate a system, the other side's codes for it are kept
 * (membership there cannot be refused offline); a system open on both sides stays open.
 */
function intersect(a: Part, b: Part): Part {
  const out: Part = { codes: new Map(), open: new Set([...a.open].filter(s => b.open.has(s))) };
  for (const [system, codes] of a.codes) {
    const other = b.codes.get(system);
    for (const [code, display] of codes) if (other ? other.has(code) : b.open.has(system)) add(out.codes, system, code, display);
  }
  for (const [system, codes] of b.codes) {
    if (a.open.has(system) && !a.codes.has(system)) for (const [code, display] of codes) add(out.codes, system, code, display);
  }
  return out;
}

function merge(into: Part, part: Part): void {
  for (const [system, codes] of part.codes) for (const [code, display] of codes) add(into.codes, system, code, display);
  for (const s of part.open) into.open.add(s);
}

function add(codes: CodeMap, system: string, code: string, display: string | undefined): void {
  let m = codes.get(system);
  if (!m) codes.set(system, (m = new Map()));
  if (!m.has(code) || (m.get(code) === undefined && display !== undefined)) m.set(code, display);
}
