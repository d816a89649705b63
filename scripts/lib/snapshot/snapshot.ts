/**
 * Snapshot generation: a StructureDefinition that ships only its differential gets the snapshot
 * the IG Publisher would write. The base's snapshot (generated first when it has none) is copied as
 * an element tree; each differential element is then found in it by id, unfolding what the
 * differential reaches into on the way (a complex type's children from the datatype's or type
 * profile's snapshot, a `contentReference`'s children, an extension slice's children from its
 * definition), creating slices and type slices, and merged (snapshot-merge.ts). A base chain that
 * comes back to itself is reported, not followed.
 */
import { copyNode, emit, frozenTree, lastName, lastSlice, rebase, splitId, type Element, type Node } from './snapshot-tree.ts';
import { mergeElement } from './snapshot-merge.ts';
import { errorMessage } from '../../util/errors.ts';
import { isJsonObject } from '../../fhir/json.ts';

export type { Element } from './snapshot-tree.ts';

export interface StructureDefinitionJson {
  resourceType?: string;
  url?: string;
  type?: string;
  kind?: string;
  derivation?: string;
  baseDefinition?: string;
  snapshot?: { element: Element[] };
  differential?: { element: Element[] };
  [key: string]: unknown;
}

/**
 * Whether `value` is a StructureDefinition the generator can read: its named properties, where
 * present, are strings, and its snapshot and differential, where it has them, list elements that
 * each have a path. The narrowing from a loaded or compiled resource to the generator's input.
 */
export function isStructureDefinitionJson(value: unknown): value is StructureDefinitionJson {
  if (!isJsonObject(value) || value.resourceType !== 'StructureDefinition') return false;
  const strings = ['url', 'type', 'kind', 'derivation', 'baseDefinition'].every(k => value[k] === undefined || typeof value[k] === 'string');
  return strings && [value.snapshot, value.differential].every(isElementList);
}

function isElementList(part: unknown): boolean {
  return part === undefined || (isJsonObject(part) && Array.isArray(part.element) && part.element.every(e => isJsonObject(e) && typeof e.path === 'string'));
}

/** Why a snapshot could not be generated: the profile, and the differential element when one is to blame. */
export class SnapshotError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly elementId?: string,
    /** The definitions' bases or type profiles come back to themselves. */
    readonly cycle = false
  ) {
    super(message);
  }
}

const CORE = 'http://hl7.org/fhir/StructureDefinition/';

export interface SnapshotGenerator {
  /** The snapshot elements of `sd` (its own when it has one); throws SnapshotError. */
  snapshot(sd: StructureDefinitionJson): Element[];
}

/** A generator reading base and type definitions through `fetch`; snapshots are memoised per url. */
export function snapshotGenerator(fetch: (url: string) => StructureDefinitionJson | undefined): SnapshotGenerator {
  const made = new Map<string, Element[]>();
  const trees = new Map<string, Node>();
  const running: string[] = [];

  function snapshot(sd: StructureDefinitionJson): Element[] {
    if (sd.snapshot?.element?.length) return sd.snapshot.element;
    const url = sd.url ?? '(no url)';
    const known = made.get(url);
    if (known) return known;
    if (running.includes(url))
      throw new SnapshotError(
        `the definitions need each other's snapshots in a cycle: ${[...running.slice(running.indexOf(url)), url].join(' -> ')}`,
        url,
        undefined,
        true
      );
    running.push(url);
    try {
      const elements = generate(sd, url);
      made.set(url, elements);
      return elements;
    } finally {
      running.pop();
    }
  }

  function treeOf(url: string, from: string, elementId?: string): Node {
    const key = url.split('|')[0]!;
    const known = trees.get(key);
    if (known) return known;
    const sd = fetch(key);
    if (!sd || sd.resourceType !== 'StructureDefinition') throw new SnapshotError(`${key} is not a known StructureDefinition`, from, elementId);
    let tree: Node;
    try {
      tree = frozenTree(snapshot(sd));
    } catch (e) {
      if (!(e instanceof SnapshotError)) throw new SnapshotError(`${key}: ${errorMessage(e)}`, from, elementId);
      if (e.url === from || e.cycle) throw e.url === from ? e : new SnapshotError(e.message, from, elementId, true);
      throw new SnapshotError(`${key} (needed first): ${e.message}`, from, elementId);
    }
    trees.set(key, tree);
    return tree;
  }

  function generate(sd: StructureDefinitionJson, url: string): Element[] {
    const diff = sd.differential?.element;
    if (!Array.isArray(diff) || diff.length === 0) throw new SnapshotError('it has neither a snapshot nor a differential', url);
    if (!sd.baseDefinition) throw new SnapshotError('it has no snapshot and no baseDefinition to build one from', url);
    const baseTree = treeOf(sd.baseDefinition, url);
    const root = copyNode(baseTree);
    const work: Work = { url, root, baseTree, specialization: sd.derivation === 'specialization', typeSlices: new Map(), treeOf };
    diff.forEach((d, i) => {
      if (!d || typeof d !== 'object' || typeof d.path !== 'string' || (d.id !== undefined && typeof d.id !== 'string'))
        throw new SnapshotError(`differential element ${i} has no path`, url);
    });
    const ids = differentialIds(diff);
    const rootName = ids[0]!.split('.')[0]!;
    if (work.specialization && rootName !== root.el.id) rebase(root, root.el.id!, rootName, root.el.path, rootName);
    diff.forEach((d, i) => {
      const id = ids[i]!;
      const node = locate(work, id);
      mergeElement(node.el, d, url);
      addProfileConstraints(work, node, d, id);
      if (work.specialization && !node.base) node.el.base ??= { path: node.el.path, min: node.el.min ?? 0, max: node.el.max ?? '*' };
    });
    return emit(root);
  }

  return { snapshot };
}

interface Work {
  url: string;
  root: Node;
  baseTree: Node;
  specialization: boolean;
  /** Choice elements split into type slices: element -> type codes kept. */
  typeSlices: Map<Node, Set<string>>;
  treeOf(url: string, from: string, elementId?: string): Node;
}

/** Slices a differential added (not inherited from the base). */
const created = new WeakSet<Node>();

/** Aliases of choice elements constrained in place to one type (`valueQuantity` -> `value[x]`). */
const aliases = new WeakMap<Node, string>();

function locate(work: Work, id: string): Node {
  const segments = id.split('.');
  if (segments[0] !== work.root.el.id) throw new SnapshotError(`${id} is not an element of ${work.root.el.id}`, work.url, id);
  let node = work.root;
  let inNewSlice = false;
  for (let i = 1; i < segments.length; i++) {
    const { name, slice } = splitId(segments.slice(0, i + 1).join('.'));
    const last = i === segments.length - 1;
    let child = findChild(work, node, name, id);
    if (!child) child = choice(work, node, name, inNewSlice);
    if (!child) {
      if (!work.specialization || !last || slice !== undefined) throw new SnapshotError(`${id}: there is no element ${name} in ${node.el.path}`, work.url, id);
      child = { el: { id: `${node.el.id}.${name}`, path: `${node.el.path}.${name}` }, children: [], slices: [] };
      node.children.push(child);
    }
    if (slice !== undefined)
      for (const part of slice.split('/')) {
        child = child.slices.find(s => lastSlice(s) === part) ?? newSlice(child, part);
        inNewSlice ||= created.has(child);
      }
    node = child;
  }
  return node;
}

function findChild(work: Work, node: Node, name: string, id: string): Node | undefined {
  const find = () => node.children.find(c => lastName(c.el.id!) === name || aliases.get(c) === name);
  const found = find();
  if (found || (node.children.length > 0 && node !== work.root)) return found;
  unfold(work, node, id);
  return find();
}

/** A type profile the differential states brings its root's invariants (SimpleQuantity's sqty-1). */
function addProfileConstraints(work: Work, node: Node, d: Element, id: string): void {
  const types = d.type ?? [];
  const profile = types.length === 1 && types[0]!.profile?.length === 1 ? types[0]!.profile[0]! : undefined;
  if (!profile || types[0]!.code === 'Extension') return;
  const own = node.el.constraint ?? [];
  const keys = new Set(own.map(c => c.key));
  const extra = (work.treeOf(profile, work.url, id).el.constraint ?? []).filter(c => !keys.has(c.key));
  if (extra.length) node.el.constraint = [...own, ...structuredClone(extra)];
}

/** Brings in the children of an element the differential reaches into. */
function unfold(work: Work, node: Node, id: string): void {
  if (node.children.length > 0) return;
  const ref = node.el.contentReference;
  if (typeof ref === 'string') {
    const target = byPath(work.baseTree, ref.slice(ref.indexOf('#') + 1));
    if (!target) throw new SnapshotError(`${id}: contentReference ${ref} names no element of the base`, work.url, id);
    adopt(node, target);
    return;
  }
  const types = node.el.type ?? [];
  if (types.length !== 1) {
    if (types.length > 1)
      throw new SnapshotError(
        `${id}: ${node.el.path} has ${types.length} types; name one (e.g. ${choiceName(node, types[0]!.code)}) to constrain inside it`,
        work.url,
        id
      );
    return;
  }
  const type = types[0]!;
  const profile = type.profile?.length === 1 ? type.profile[0]! : undefined;
  const url = profile ?? (type.code.includes('/') ? type.code : CORE + type.code);
  adopt(node, work.treeOf(url, work.url, id));
}

function adopt(node: Node, from: Node): void {
  node.children = from.children.map(c => {
    const copy = copyNode(c);
    rebase(copy, from.el.id!, node.el.id!, from.el.path, node.el.path);
    return copy;
  });
}

function byPath(tree: Node, path: string): Node | undefined {
  if (tree.el.id === path || tree.el.path === path) return tree;
  for (const c of tree.children) {
    if (!path.startsWith(c.el.path)) continue;
    const hit = byPath(c, path);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * `valueQuantity` against `value[x]`: inside a slice this profile adds it constrains the choice in
 * place (the id stays `value[x]`); elsewhere it becomes the type slice `value[x]:valueQuantity`,
 * the choice then type-sliced and closed to the types sliced. That is how the R4 IG Publisher
 * wrote the core profiles.
 */
function choice(work: Work, node: Node, name: string, inPlace: boolean): Node | undefined {
  for (const c of node.children) {
    const own = lastName(c.el.id!);
    if (!own.endsWith('[x]')) continue;
    const stem = own.slice(0, -3);
    if (!name.startsWith(stem)) continue;
    const suffix = name.slice(stem.length);
    const type = c.el.type?.find(t => upperFirst(t.code) === suffix || t.code === suffix);
    if (!type) continue;
    if (inPlace && work.typeSlices.get(c) === undefined) {
      c.el.type = c.el.type!.filter(t => t.code === type.code);
      aliases.set(c, name);
      return c;
    }
    const existing = c.slices.find(s => s.el.sliceName === name);
    if (existing) return existing;
    const kept = work.typeSlices.get(c) ?? new Set<string>();
    kept.add(type.code);
    work.typeSlices.set(c, kept);
    c.el.type = c.el.type!.filter(t => kept.has(t.code));
    c.el.slicing ??= { discriminator: [{ type: 'type', path: '$this' }], ordered: false, rules: 'closed' };
    const slice = newSlice(c, name);
    slice.el.type = slice.el.type!.filter(t => t.code === type.code);
    return slice;
  }
  return undefined;
}

/** A new slice of `sliced`, starting from the element as the base defines it, placed after the existing slices. */
function newSlice(sliced: Node, part: string): Node {
  const source = sliced.base ?? sliced;
  const fresh = copyNode(source);
  fresh.slices = [];
  if (!sliced.el.slicing && /^(extension|modifierExtension)$/.test(lastName(sliced.el.id!)))
    sliced.el.slicing = { discriminator: [{ type: 'value', path: 'url' }], ordered: false, rules: 'open' };
  delete fresh.el.slicing;
  const id = sliced.el.sliceName ? `${sliced.el.id}/${part}` : `${sliced.el.id}:${part}`;
  rebase(fresh, source.el.id!, id, source.el.path, sliced.el.path);
  fresh.el.sliceName = sliced.el.sliceName ? `${sliced.el.sliceName}/${part}` : part;
  const own = lastName(sliced.el.id!);
  if (own.endsWith('[x]') && !sliced.el.sliceName) {
    // A slice named for one of the choice's types (`value[x]:valueQuantity`) holds that type only.
    const type = fresh.el.type?.filter(t => own.slice(0, -3) + upperFirst(t.code) === part);
    if (type?.length) fresh.el.type = type;
  }
  sliced.slices.push(fresh);
  created.add(fresh);
  return fresh;
}

/** Ids for differential elements written with paths and slice names only. */
export function differentialIds(elements: readonly Element[]): string[] {
  const slicesAt = new Map<string, string>();
  return elements.map(e => {
    if (e.id) return e.id;
    const segments = e.path.split('.');
    let path = '';
    const out: string[] = [];
    segments.forEach((seg, i) => {
      path = path ? `${path}.${seg}` : seg;
      const last = i === segments.length - 1;
      if (last) {
        for (const key of [...slicesAt.keys()]) if (key === path || key.startsWith(path + '.')) slicesAt.delete(key);
        if (e.sliceName) slicesAt.set(path, e.sliceName);
        out.push(e.sliceName ? `${seg}:${e.sliceName}` : seg);
      } else {
        const slice = slicesAt.get(path);
        out.push(slice ? `${seg}:${slice}` : seg);
      }
    });
    return out.join('.');
  });
}

function choiceName(node: Node, code: string): string {
  return lastName(node.el.id!).replace('[x]', upperFirst(code));
}

function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
