/**
 * Element definitions as the tree tables need them: typed accessors, the tree parent of an
 * element id (slices hang under their sliced element), which rows each view shows, and the
 * values shown for types, bindings, fixed and pattern values.
 */
import type { FhirResource } from '../../../model/resources.ts';
import { resourceOf, type ElementDefinition, type ElementDefinitionConstraint, type ElementDefinitionType } from '../../../fhir/r4.ts';

export type ElementType = ElementDefinitionType;
export type Constraint = ElementDefinitionConstraint;

/** An element definition with the id the tree tables key their rows by. */
export type Element = ElementDefinition & { id: string };

function hasId(e: ElementDefinition): e is Element {
  return typeof e.id === 'string';
}

/**
 * A StructureDefinition's snapshot or differential elements (none for any other resource). The
 * tables address elements by id: an element without one (not something SUSHI or the IG
 * Publisher writes) cannot be placed in the tree, and is left out.
 */
export function elementsOf(resource: FhirResource, list: 'snapshot' | 'differential'): Element[] {
  return (resourceOf(resource, 'StructureDefinition')?.[list]?.element ?? []).filter(hasId);
}

export type TreeView = 'key' | 'differential' | 'snapshot';

export interface TreeRow {
  element: Element;
  /** Shown for context only (an ancestor the differential does not change). */
  implied: boolean;
  depth: number;
  /** For each ancestor level below the root: does a later sibling follow at that level? */
  continues: boolean[];
  last: boolean;
}

export function parentId(id: string): string | undefined {
  const dot = id.lastIndexOf('.');
  const segment = id.slice(dot + 1);
  const slash = segment.lastIndexOf('/');
  if (slash > 0) return id.slice(0, dot + 1 + slash);
  const colon = segment.indexOf(':');
  if (colon > 0) return id.slice(0, dot + 1 + colon);
  return dot > 0 ? id.slice(0, dot) : undefined;
}

/** Elements a view shows, in snapshot order, each with the ancestors it needs. */
export function viewElements(view: TreeView, snapshot: Element[], differential: Element[]): { element: Element; implied: boolean }[] {
  const diffById = new Map(differential.map(e => [e.id, e]));
  const wanted = new Set<string>();
  const add = (id: string | undefined) => {
    for (let p = id; p && !wanted.has(p); p = parentId(p)) wanted.add(p);
  };
  if (view === 'snapshot') return snapshot.map(element => ({ element, implied: false }));
  for (const e of differential) add(e.id);
  if (view === 'key') for (const e of snapshot) if (e.mustSupport || ((e.min ?? 0) > 0 && parentId(e.id) !== undefined && isTopLevel(e))) add(e.id);
  const order = view === 'key' ? snapshot : orderLike(snapshot, differential);
  return order
    .filter(e => wanted.has(e.id))
    .map(e => (view === 'key' ? { element: e, implied: false } : { element: diffById.get(e.id) ?? e, implied: !diffById.has(e.id) }));
}

function isTopLevel(e: Element): boolean {
  return parentId(e.id) !== undefined && parentId(parentId(e.id)!) === undefined;
}

/** Snapshot order, with differential-only ids (rare) appended where they fall. */
function orderLike(snapshot: Element[], differential: Element[]): Element[] {
  const ids = new Set(snapshot.map(e => e.id));
  return [...snapshot, ...differential.filter(e => !ids.has(e.id))];
}

export function toTreeRows(items: { element: Element; implied: boolean }[]): TreeRow[] {
  const ids = items.map(i => i.element.id);
  const present = new Set(ids);
  const visibleParent = (id: string) => {
    let p = parentId(id);
    while (p && !present.has(p)) p = parentId(p);
    return p;
  };
  const lastChild = new Map<string, string>();
  for (const id of ids) lastChild.set(visibleParent(id) ?? '', id);
  const rows: TreeRow[] = [];
  const byId = new Map<string, TreeRow>();
  for (const item of items) {
    const parent = visibleParent(item.element.id);
    const parentRow = parent ? byId.get(parent) : undefined;
    const last = lastChild.get(parent ?? '') === item.element.id;
    const continues = parentRow ? (parentRow.depth === 0 ? [] : [...parentRow.continues, !parentRow.last]) : [];
    const row = { ...item, depth: parentRow ? parentRow.depth + 1 : 0, continues, last };
    byId.set(item.element.id, row);
    rows.push(row);
  }
  return rows;
}

export function elementName(e: Element): string {
  if (e.sliceName) return e.sliceName;
  const segment = e.path.slice(e.path.lastIndexOf('.') + 1);
  return e.slicing && e.path.includes('.') ? `Slices for ${segment}` : segment;
}

export function cardinality(e: Element): string {
  if (e.min === undefined && e.max === undefined) return '';
  return `${e.min ?? ''}..${e.max ?? ''}`;
}

export function isProhibited(e: Element): boolean {
  return e.max === '0';
}

export function typeCode(t: ElementType): string {
  const fhirType = t.extension?.find(x => x.url.endsWith('structuredefinition-fhir-type'))?.valueUrl;
  if (fhirType) return fhirType;
  const system = /^http:\/\/hl7\.org\/fhirpath\/System\.(\w+)$/.exec(t.code);
  return system ? system[1]!.charAt(0).toLowerCase() + system[1]!.slice(1) : t.code;
}

export function iconKind(e: Element): string {
  if (e.slicing && !e.sliceName) return 'slice';
  if (e.sliceName) return 'slice-item';
  const types = e.type ?? [];
  if (parentId(e.id) === undefined) return 'resource';
  if (types.length > 1) return 'choice';
  const code = types[0] ? typeCode(types[0]) : '';
  if (code === 'Extension') return 'extension';
  if (code === 'Reference') return 'reference';
  if (/^[a-z]/.test(code)) return 'primitive';
  return 'datatype';
}

export interface MandatoryGroup {
  /** The nearest optional ancestor; undefined for elements every instance carries. */
  parent?: Element;
  elements: Element[];
}

/**
 * Required elements (min > 0) that `listed` selects, grouped by their nearest optional ancestor:
 * `entry.search.mode` (1..1) is required only when `entry.search` (0..1) is present. Elements
 * under a prohibited ancestor are left out. Unconditional elements come first, then each group
 * in snapshot order.
 */
export function mandatoryGroups(snapshot: Element[], listed: (e: Element) => boolean): MandatoryGroup[] {
  const byId = new Map(snapshot.map(e => [e.id, e]));
  const always: Element[] = [];
  const groups = new Map<string, MandatoryGroup>();
  for (const e of snapshot) {
    if ((e.min ?? 0) === 0 || isProhibited(e) || parentId(e.id) === undefined || !listed(e)) continue;
    let optional: Element | undefined;
    let prohibited = false;
    for (let p = parentId(e.id); p && parentId(p) !== undefined; p = parentId(p)) {
      const ancestor = byId.get(p);
      if (!ancestor) continue;
      if (isProhibited(ancestor)) prohibited = true;
      if (!optional && (ancestor.min ?? 0) === 0) optional = ancestor;
    }
    if (prohibited) continue;
    if (!optional) always.push(e);
    else {
      const group = groups.get(optional.id) ?? { parent: optional, elements: [] };
      group.elements.push(e);
      groups.set(optional.id, group);
    }
  }
  return [...(always.length ? [{ elements: always }] : []), ...groups.values()];
}
