/**
 * A StructureDefinition snapshot turned into a tree the walker can follow: element id -> node,
 * children grouped by element name with their slices. Built once per profile and cached.
 */
import type { Definitions } from './definitions.ts';
import { isJsonObject as isObject } from '../../fhir/json.ts';
import { errorMessage } from '../../util/errors.ts';
import { BASE } from './definitions.ts';
import { isStructureDefinitionJson, SnapshotError, snapshotGenerator, type SnapshotGenerator } from '../snapshot/snapshot.ts';

export interface TypeRef {
  code: string;
  profile?: string[];
  targetProfile?: string[];
  extension?: unknown;
}
export interface Constraint {
  key: string;
  severity?: string;
  human?: string;
  expression?: string;
  source?: string;
}
export interface Discriminator {
  type: string;
  path: string;
}
export interface ElementDefinition {
  id: string;
  path: string;
  sliceName?: string;
  min?: number;
  max?: string;
  base?: { path: string; min: number; max: string };
  type?: TypeRef[];
  contentReference?: string;
  constraint?: Constraint[];
  binding?: { strength: string; valueSet?: string };
  slicing?: { discriminator?: Discriminator[]; rules?: string; ordered?: boolean };
  [key: string]: unknown;
}

export interface ElementNode {
  el: ElementDefinition;
  /** Last path segment, e.g. `value[x]`. */
  name: string;
  children: Map<string, ChildGroup>;
  index: ProfileIndex;
}

export interface ChildGroup {
  base: ElementNode;
  slices: ElementNode[];
}

export interface ProfileIndex {
  url: string;
  type: string;
  root: ElementNode;
  byId: Map<string, ElementNode>;
  sd: StructureDefinition;
}

export interface StructureDefinition {
  resourceType: 'StructureDefinition';
  url: string;
  version?: string;
  type: string;
  kind?: string;
  derivation?: string;
  baseDefinition?: string;
  context?: unknown;
  contextInvariant?: unknown;
  snapshot?: { element: ElementDefinition[] };
  differential?: { element: ElementDefinition[] };
}

/** The index of a profile (or base type) by canonical URL; undefined when unknown. */
export function profileIndex(defs: Definitions, url: string): ProfileIndex | undefined {
  return defs.cached(`profile:${url}`, () => buildIndex(defs, url), url);
}

export function typeIndex(defs: Definitions, type: string): ProfileIndex | undefined {
  return profileIndex(defs, type.includes('/') ? type : BASE + type);
}

/**
 * Why the StructureDefinition at `url` has no usable snapshot (generating it from its
 * differential failed), or undefined when it has one or is not known at all.
 */
export function snapshotProblem(defs: Definitions, url: string): string | undefined {
  const sd = defs.get(url);
  if (!isStructureDefinition(sd)) return undefined;
  const made = elementsOf(defs, sd);
  return 'problem' in made ? made.problem : undefined;
}

/**
 * Whether a definition read from a package or the guide is a StructureDefinition this module can
 * index: its url and type are strings, and its element lists (when present) hold elements with a
 * path. The elements' other properties are read defensively where used.
 */
function isStructureDefinition(value: unknown): value is StructureDefinition {
  if (!isObject(value) || value.resourceType !== 'StructureDefinition' || typeof value.url !== 'string' || typeof value.type !== 'string') return false;
  return [value.snapshot, value.differential].every(part => part === undefined || (isObject(part) && isElementList(part.element)));
}

function isElementList(value: unknown): value is ElementDefinition[] {
  return Array.isArray(value) && value.every(e => isObject(e) && typeof e.path === 'string');
}

/**
 * The snapshot elements of `sd`: its own, or generated from its differential (once per url and
 * definitions view; a failure is kept too, so it is reported, not retried on every instance).
 */
function elementsOf(defs: Definitions, sd: StructureDefinition): { elements: ElementDefinition[] } | { problem: string } {
  if (sd.snapshot?.element?.length) return { elements: sd.snapshot.element };
  if (!sd.differential?.element?.length) return { problem: `${sd.url} has neither a snapshot nor a differential` };
  return defs.cached(`snapshot:${sd.url}`, () => {
    const generator = defs.cached<SnapshotGenerator>('snapshot-generator', () =>
      snapshotGenerator(u => {
        const found = defs.get(u);
        return isStructureDefinitionJson(found) ? found : undefined;
      })
    );
    try {
      if (!isStructureDefinitionJson(sd)) return { problem: `${sd.url} is not a StructureDefinition the snapshot generator can read` };
      const made = generator.snapshot(sd);
      if (!isElementList(made)) return { problem: `No snapshot could be generated for ${sd.url}: an element has no path` };
      return { elements: made };
    } catch (e) {
      const where = e instanceof SnapshotError && e.elementId ? ` (at ${e.elementId})` : '';
      return { problem: `No snapshot could be generated for ${e instanceof SnapshotError ? e.url : sd.url}${where}: ${errorMessage(e)}` };
    }
  });
}

function buildIndex(defs: Definitions, url: string): ProfileIndex | undefined {
  const sd = defs.get(url);
  if (!isStructureDefinition(sd)) return undefined;
  const made = elementsOf(defs, sd);
  const elements = 'elements' in made ? made.elements : undefined;
  if (!elements?.length) return undefined;
  const index = new Index(url, sd);
  const byId = index.byId;
  for (const el of elements) {
    const id = el.id ?? el.path;
    const node: ElementNode = { el, name: lastSegment(el.path), children: new Map(), index };
    byId.set(id, node);
    const parent = byId.get(parentId(id)) ?? byId.get(parentId(el.path));
    if (parent && id !== elements[0]!.id) attach(parent, node);
  }
  index.root = byId.get(elements[0]!.id ?? elements[0]!.path)!;
  return index;
}

/** A profile's index; its root is set once the element tree is built (the nodes point back at it). */
class Index implements ProfileIndex {
  readonly byId = new Map<string, ElementNode>();
  readonly type: string;
  root!: ElementNode;
  constructor(
    readonly url: string,
    readonly sd: StructureDefinition
  ) {
    this.type = sd.type;
  }
}

function attach(parent: ElementNode, node: ElementNode): void {
  const group = parent.children.get(node.name);
  if (!group) parent.children.set(node.name, { base: node, slices: [] });
  else if (node.el.sliceName) group.slices.push(node);
}

function parentId(id: string): string {
  const at = id.lastIndexOf('.');
  return at < 0 ? '' : id.slice(0, at);
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

/** The base maximum decides the JSON shape (array or not), whatever a profile narrows it to. */
export function isRepeating(el: ElementDefinition): boolean {
  const max = el.base?.max ?? el.max ?? '1';
  return max === '*' || Number(max) > 1;
}

export function maxOf(el: ElementDefinition): number {
  return el.max === undefined || el.max === '*' ? Infinity : Number(el.max);
}
