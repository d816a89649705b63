/**
 * Offline ValueSet expansion from this guide's and the core package's definitions: compose
 * include/exclude by system, concept list, nested value sets, and is-a / descendent-of / =
 * filters on CodeSystems we hold. Systems we cannot enumerate (SNOMED CT, LOINC, UCUM, ...)
 * are listed as `open`: a code from them can be neither confirmed nor refused.
 */
import type { Definitions } from './definitions.ts';
import type { FhirResource } from '../model.ts';

export interface Expansion {
  /** system -> codes in the value set. */
  codes: Map<string, Set<string>>;
  /** Systems included that we cannot enumerate here. */
  open: Set<string>;
}

export interface ConceptInfo { display?: string; designations: string[]; parent: string[]; props: Map<string, string[]> }
export interface CodeSystemInfo { url: string; complete: boolean; concepts: Map<string, ConceptInfo> }

interface Concept { code: string; display?: string; concept?: Concept[]; designation?: { value: string }[]; property?: { code: string; valueCode?: string; valueString?: string; valueBoolean?: boolean; valueInteger?: number }[] }
interface Include { system?: string; concept?: { code: string }[]; filter?: { property: string; op: string; value: string }[]; valueSet?: string[] }

export function codeSystem(defs: Definitions, url: string | undefined): CodeSystemInfo | undefined {
  if (!url) return undefined;
  return defs.cached(`cs:${url}`, () => buildCodeSystem(defs.get(url)), url) ?? undefined;
}

function buildCodeSystem(cs: FhirResource | undefined): CodeSystemInfo | null {
  if (!cs || cs.resourceType !== 'CodeSystem') return null;
  const concepts = new Map<string, ConceptInfo>();
  const add = (list: Concept[] | undefined, parent?: string) => {
    for (const c of list ?? []) {
      const props = new Map<string, string[]>();
      for (const p of c.property ?? []) props.set(p.code, [...(props.get(p.code) ?? []), String(p.valueCode ?? p.valueString ?? p.valueBoolean ?? p.valueInteger)]);
      const parents = [...(parent ? [parent] : []), ...(props.get('parent') ?? []), ...(props.get('subsumedBy') ?? [])];
      concepts.set(c.code, { display: c.display, designations: (c.designation ?? []).map(d => d.value), parent: parents, props });
      add(c.concept, c.code);
    }
  };
  add(cs.concept as Concept[] | undefined);
  return { url: String(cs.url), complete: cs.content === 'complete' || cs.content === undefined, concepts };
}

export function expandValueSet(defs: Definitions, url: string): Expansion | undefined {
  const key = url.split('|')[0]!;
  return defs.cached(`vs:${key}`, () => expand(defs, key, 0), key) ?? undefined;
}

function expand(defs: Definitions, url: string, depth: number): Expansion | null {
  const vs = defs.get(url);
  if (!vs || vs.resourceType !== 'ValueSet' || depth > 10) return null;
  const result: Expansion = { codes: new Map(), open: new Set() };
  const compose = vs.compose as { include?: Include[]; exclude?: Include[] } | undefined;
  const contains = (vs.expansion as { contains?: { system?: string; code?: string }[] } | undefined)?.contains;
  if (!compose && contains) {
    for (const c of contains) if (c.system && c.code) addCode(result, c.system, c.code);
    return result;
  }
  for (const inc of compose?.include ?? []) include(defs, result, inc, depth);
  for (const exc of compose?.exclude ?? []) {
    if (exc.system && exc.concept) for (const c of exc.concept) result.codes.get(exc.system)?.delete(c.code);
  }
  return result;
}

/**
 * One include: the codes its system selects, intersected with every value set it names (the
 * spec: "if there are multiple valueSet entries, or both system and valueSet, the codes must be
 * in all of them"), merged into the result.
 */
function include(defs: Definitions, result: Expansion, inc: Include, depth: number): void {
  let part = inc.system ? systemPart(defs, inc.system, inc) : undefined;
  for (const nested of inc.valueSet ?? []) {
    const sub = expand(defs, nested.split('|')[0]!, depth + 1);
    if (sub) part = part ? intersect(part, sub) : sub;
  }
  if (!part) return;
  for (const [system, codes] of part.codes) for (const code of codes) addCode(result, system, code);
  for (const s of part.open) result.open.add(s);
}

function systemPart(defs: Definitions, system: string, inc: Include): Expansion {
  const part: Expansion = { codes: new Map(), open: new Set() };
  if (inc.concept) {
    for (const c of inc.concept) addCode(part, system, c.code);
    return part;
  }
  const cs = codeSystem(defs, system);
  const selected = cs?.complete ? filterCodes(cs, inc.filter ?? []) : undefined;
  if (!selected) part.open.add(system);
  else for (const code of selected) addCode(part, system, code);
  return part;
}

/**
 * Codes in both. Where one side cannot enumerate a system, the other side's codes for it are kept
 * (membership there cannot be refused offline); a system open on both sides stays open.
 */
function intersect(a: Expansion, b: Expansion): Expansion {
  const out: Expansion = { codes: new Map(), open: new Set([...a.open].filter(s => b.open.has(s))) };
  const keep = (system: string, codes: Iterable<string>) => {
    for (const code of codes) addCode(out, system, code);
  };
  for (const [system, codes] of a.codes) {
    const other = b.codes.get(system);
    if (other) keep(system, [...codes].filter(c => other.has(c)));
    else if (b.open.has(system)) keep(system, codes);
  }
  for (const [system, codes] of b.codes) if (a.open.has(system) && !a.codes.has(system)) keep(system, codes);
  return out;
}

function filterCodes(cs: CodeSystemInfo, filters: NonNullable<Include['filter']>): string[] | undefined {
  let codes = [...cs.concepts.keys()];
  for (const f of filters) {
    if (f.op === 'is-a' || f.op === 'descendent-of') {
      codes = codes.filter(c => (f.op === 'is-a' && c === f.value) || isDescendant(cs, c, f.value, 0));
    } else if (f.op === 'is-not-a') {
      codes = codes.filter(c => c !== f.value && !isDescendant(cs, c, f.value, 0));
    } else if (f.op === '=') {
      codes = codes.filter(c => (cs.concepts.get(c)?.props.get(f.property) ?? []).includes(f.value));
    } else if (f.op === 'in') {
      const wanted = f.value.split(',');
      codes = codes.filter(c => wanted.includes(c));
    } else return undefined;
  }
  return codes;
}

function isDescendant(cs: CodeSystemInfo, code: string, ancestor: string, depth: number): boolean {
  if (depth > 50) return false;
  const parents = cs.concepts.get(code)?.parent ?? [];
  return parents.includes(ancestor) || parents.some(p => isDescendant(cs, p, ancestor, depth + 1));
}

function addCode(result: Expansion, system: string, code: string): void {
  let set = result.codes.get(system);
  if (!set) result.codes.set(system, (set = new Set()));
  set.add(code);
}
