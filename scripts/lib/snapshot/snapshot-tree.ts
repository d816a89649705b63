/**
 * The element tree a snapshot is built on: each node is one ElementDefinition with its children
 * in base order and, when it is sliced, its slices (each slice a node of its own, re-slices under
 * it). `emit` writes the tree back as a snapshot list in the order the IG Publisher writes it: an
 * element, its children, then its slices. Trees read from a snapshot are frozen; the generator
 * works on copies whose `base` points at the frozen node they came from (what a new slice starts from).
 */

import type { ElementDefinition } from '../../fhir/r4.ts';

/** An ElementDefinition as JSON: R4's members, and any other a differential states (the merge copies members by name). */
export interface Element extends ElementDefinition {
  [key: string]: unknown;
}

export interface Node {
  el: Element;
  children: Node[];
  slices: Node[];
  /** The frozen node this one was copied from, before the differential touched it. */
  base?: Node;
}

/** The frozen tree of a snapshot list; the first element is the root. */
export function frozenTree(elements: readonly Element[]): Node {
  const byId = new Map<string, Node>();
  let root: Node | undefined;
  for (const source of elements) {
    const el = structuredClone(source);
    el.id ??= el.path;
    const node: Node = { el, children: [], slices: [] };
    const id = el.id;
    if (!root) {
      root = node;
      byId.set(id, node);
      continue;
    }
    const { parent, name, slice } = splitId(id);
    const owner = byId.get(parent);
    if (!owner) throw new Error(`element ${id} comes before its parent ${parent}`);
    if (slice === undefined) owner.children.push(node);
    else {
      let sliced = owner.children.find(c => lastName(c.el.id!) === name);
      for (const part of slice.split('/').slice(0, -1)) sliced = sliced?.slices.find(s => lastSlice(s) === part);
      if (!sliced) throw new Error(`slice ${id} comes before the element it slices`);
      sliced.slices.push(node);
    }
    byId.set(id, node);
  }
  if (!root) throw new Error('the snapshot has no elements');
  return root;
}

/** `a.b:s/t.c` -> parent `a.b:s/t`, name `c`; `a.b:s/t` -> parent `a`, name `b`, slice `s/t`. */
export function splitId(id: string): { parent: string; name: string; slice?: string } {
  const segments = id.split('.');
  const last = segments.pop()!;
  const colon = last.indexOf(':');
  const parent = segments.join('.');
  return colon < 0 ? { parent, name: last } : { parent, name: last.slice(0, colon), slice: last.slice(colon + 1) };
}

export function lastName(id: string): string {
  const seg = id.slice(id.lastIndexOf('.') + 1);
  const colon = seg.indexOf(':');
  return colon < 0 ? seg : seg.slice(0, colon);
}

export function lastSlice(node: Node): string {
  const name = node.el.sliceName ?? '';
  return name.slice(name.lastIndexOf('/') + 1);
}

/** A working copy of a subtree; each copied node remembers the frozen node it came from. */
export function copyNode(node: Node): Node {
  return { el: structuredClone(node.el), children: node.children.map(copyNode), slices: node.slices.map(copyNode), base: node.base ?? node };
}

/** Rewrites the id and path prefixes of a subtree (`Quantity` -> `Observation.value[x]`). */
export function rebase(node: Node, fromId: string, toId: string, fromPath: string, toPath: string): void {
  const el = node.el;
  const id = el.id!;
  if (id === fromId || id.startsWith(fromId + '.') || id.startsWith(fromId + ':') || id.startsWith(fromId + '/')) el.id = toId + id.slice(fromId.length);
  if (el.path === fromPath || el.path.startsWith(fromPath + '.')) el.path = toPath + el.path.slice(fromPath.length);
  for (const c of node.children) rebase(c, fromId, toId, fromPath, toPath);
  for (const s of node.slices) rebase(s, fromId, toId, fromPath, toPath);
}

/** The snapshot list: each element, then its children, then its slices. */
export function emit(node: Node, out: Element[] = []): Element[] {
  out.push(node.el);
  for (const c of node.children) emitWithSlices(c, out);
  return out;
}

function emitWithSlices(node: Node, out: Element[]): void {
  emit(node, out);
  for (const s of node.slices) emitWithSlices(s, out);
}
