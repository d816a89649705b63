/**
 * Profiles, extensions and logical models compared element by element: the snapshots, matched by
 * element id, so a change that comes from a parent profile (the child's differential is the same)
 * shows as it reaches instances, marked `inherited`. Removed and added elements are reported at
 * their topmost element (a slice and its children are one change). An element that is only no
 * longer unfolded (a child of a complex type the profile stopped constraining, still in the base
 * type) is compared with an unconstrained element, not reported as removed; likewise one newly
 * unfolded.
 */
import type { ElementDefinition, ElementDefinitionType, StructureDefinition } from '../../fhir/r4.ts';
import { change, type Change } from './model.ts';
import type { Side } from './side.ts';

const STRENGTH = ['example', 'preferred', 'extensible', 'required'];

export function compareStructure(before: StructureDefinition, after: StructureDefinition, sides: { old: Side; new: Side }): Change[] {
  const out: Change[] = [];
  if (before.type !== after.type) out.push(change('type-changed', after.type ?? '', 'the profiled type changed', { old: before.type, new: after.type }));
  out.push(...compareContexts(before, after));
  const oldEls = elementsOf(before);
  const newEls = elementsOf(after);
  const oldDiff = new Set((before.differential?.element ?? []).map(e => e.id ?? e.path));
  const newDiff = new Set((after.differential?.element ?? []).map(e => e.id ?? e.path));
  const diffIds = new Set([...oldDiff, ...newDiff]);
  const ctx: ElementContext = { sides, diffIds, oldDiff, newDiff, logical: after.kind === 'logical' || after.derivation === 'specialization' };
  for (const [id, n] of newEls) {
    const o = oldEls.get(id);
    if (o) out.push(...compareElement(o, n, ctx));
  }
  out.push(...removedElements(oldEls, newEls, ctx));
  out.push(...addedElements(oldEls, newEls, ctx));
  return out;
}

interface ElementContext {
  sides: { old: Side; new: Side };
  diffIds: Set<string>;
  /** Element ids of each differential: an element newly (no longer) unfolded is compared only where its profile's differential names it. */
  oldDiff: Set<string>;
  newDiff: Set<string>;
  /** A logical model defines its elements: one removed or added is, not a base element left unconstrained. */
  logical: boolean;
}

function elementsOf(sd: StructureDefinition): Map<string, ElementDefinition> {
  const list = sd.snapshot?.element ?? sd.differential?.element ?? [];
  return new Map(list.map(e => [e.id ?? e.path, e]));
}

function compareContexts(before: StructureDefinition, after: StructureDefinition): Change[] {
  if (before.type !== 'Extension' && after.type !== 'Extension') return [];
  const key = (c: { type?: string; expression?: string }) => `${c.type ?? ''}:${c.expression ?? ''}`;
  const o = new Set((before.context ?? []).map(key));
  const n = new Set((after.context ?? []).map(key));
  const out: Change[] = [];
  for (const c of o)
    if (!n.has(c)) out.push(change('context-removed', 'StructureDefinition.context', `the extension may no longer be used on ${c}`, { old: c }));
  for (const c of n) if (!o.has(c)) out.push(change('context-added', 'StructureDefinition.context', `the extension may now be used on ${c}`, { new: c }));
  return out;
}

function maxNumber(max: string | undefined): number {
  return max === undefined || max === '*' ? Infinity : Number(max);
}

function compareElement(o: ElementDefinition, n: ElementDefinition, ctx: ElementContext): Change[] {
  const id = n.id ?? n.path;
  const inherited = !ctx.diffIds.has(id);
  const out: Change[] = [];
  const add = (c: Change) => out.push(inherited ? { ...c, inherited: true } : c);
  const at = (rule: Parameters<typeof change>[0], message: string, values: { old?: unknown; new?: unknown }) => add(change(rule, id, message, values));
  // Cardinality
  const [omin, nmin] = [o.min ?? 0, n.min ?? 0];
  if (nmin > omin) at('min-raised', 'minimum cardinality raised', { old: omin, new: nmin });
  if (nmin < omin) at('min-lowered', 'minimum cardinality lowered', { old: omin, new: nmin });
  const [omax, nmax] = [maxNumber(o.max), maxNumber(n.max)];
  if (nmax === 0 && omax > 0) at('element-prohibited', 'element prohibited (max 0)', { old: o.max, new: n.max });
  else if (nmax < omax) at('max-lowered', 'maximum cardinality lowered', { old: o.max, new: n.max });
  else if (nmax > omax) at('max-raised', 'maximum cardinality raised', { old: o.max, new: n.max });
  out.push(...compareTypes(o, n, ctx).map(c => (inherited ? { ...c, inherited: true } : c)));
  // Binding
  const ob = o.binding;
  const nb = n.binding;
  if (!ob?.valueSet && nb?.valueSet && nb.strength !== 'example')
    at('binding-added', `bound to ${nb.valueSet} (${nb.strength})`, { new: `${nb.strength} ${nb.valueSet}` });
  else if (ob?.valueSet && !nb?.valueSet && ob.strength !== 'example') at('binding-removed', 'binding removed', { old: `${ob.strength} ${ob.valueSet}` });
  else if (ob?.valueSet && nb?.valueSet) {
    const [os, ns] = [STRENGTH.indexOf(ob.strength), STRENGTH.indexOf(nb.strength)];
    if (ns > os) at('binding-strength-raised', 'binding strength raised', { old: ob.strength, new: nb.strength });
    if (ns < os) at('binding-strength-lowered', 'binding strength lowered', { old: ob.strength, new: nb.strength });
    if (canonical(ob.valueSet) !== canonical(nb.valueSet) && ns >= STRENGTH.indexOf('extensible'))
      for (const c of bindingValueSet(id, ob.valueSet, nb.valueSet, ctx)) add(c);
  }
  // Invariants
  const oc = new Map((o.constraint ?? []).map(c => [c.key, c]));
  const nc = new Map((n.constraint ?? []).map(c => [c.key, c]));
  for (const [key, c] of nc) {
    const before = oc.get(key);
    if (!before) at('invariant-added', `new invariant ${key}: ${c.human}`, { new: c.expression ?? c.human });
    else if ((before.expression ?? '') !== (c.expression ?? ''))
      at('invariant-changed', `invariant ${key} expression changed`, { old: before.expression, new: c.expression });
    else if (before.severity !== c.severity)
      at(c.severity === 'error' ? 'invariant-added' : 'invariant-removed', `invariant ${key} is now ${c.severity === 'error' ? 'an error' : 'a warning'}`, {
        old: before.severity,
        new: c.severity
      });
    else if (before.human !== c.human) at('invariant-text-changed', `invariant ${key} description changed`, { old: before.human, new: c.human });
  }
  for (const [key, c] of oc) if (!nc.has(key)) at('invariant-removed', `invariant ${key} removed`, { old: c.expression ?? c.human });
  // Fixed and pattern values
  for (const prefix of ['fixed', 'pattern'] as const) {
    const ov = valueOf(o, prefix);
    const nv = valueOf(n, prefix);
    if (!ov && nv) at(`${prefix}-added`, `${prefix} value added`, { new: nv.value });
    else if (ov && !nv) at(`${prefix}-removed`, `${prefix} value removed`, { old: ov.value });
    else if (ov && nv && (ov.key !== nv.key || JSON.stringify(ov.value) !== JSON.stringify(nv.value)))
      at(`${prefix}-changed`, `${prefix} value changed`, { old: ov.value, new: nv.value });
  }
  // Flags
  if (n.mustSupport === true && o.mustSupport !== true) at('must-support-added', 'now must support', { old: false, new: true });
  if (o.mustSupport === true && n.mustSupport !== true) at('must-support-removed', 'no longer must support', { old: true, new: false });
  if (n.isModifier === true && o.isModifier !== true) at('modifier-added', 'now a modifier element', { old: false, new: true });
  if (o.isModifier === true && n.isModifier !== true) at('modifier-removed', 'no longer a modifier element', { old: true, new: false });
  // Slicing
  const os = o.slicing;
  const ns = n.slicing;
  const closed = (s: typeof os) => s?.rules === 'closed';
  if (closed(ns) && !closed(os)) at('slicing-closed', 'slicing closed', { old: os?.rules ?? 'not sliced', new: 'closed' });
  if (closed(os) && !closed(ns)) at('slicing-opened', 'slicing opened', { old: 'closed', new: ns?.rules ?? 'not sliced' });
  if (os && ns) {
    if (ns.ordered === true && os.ordered !== true) at('slicing-ordered', 'slices must now be in order', { old: false, new: true });
    if (os.ordered === true && ns.ordered !== true) at('slicing-unordered', 'slices no longer need be in order', { old: true, new: false });
    const disc = (s: typeof os) => (s?.discriminator ?? []).map(d => `${d.type}:${d.path}`).join(', ');
    if (disc(os) !== disc(ns)) at('slicing-discriminator-changed', 'slicing discriminator changed', { old: disc(os), new: disc(ns) });
  }
  // Lengths
  if (n.maxLength !== undefined && (o.maxLength === undefined || n.maxLength < o.maxLength))
    at('max-length-lowered', 'maximum length lowered', { old: o.maxLength ?? 'none', new: n.maxLength });
  else if (o.maxLength !== undefined && (n.maxLength === undefined || n.maxLength > o.maxLength))
    at('max-length-raised', 'maximum length raised', { old: o.maxLength, new: n.maxLength ?? 'none' });
  // Descriptions
  const texts = (['short', 'definition', 'comment', 'requirements'] as const).filter(k => (o[k] ?? '') !== (n[k] ?? ''));
  if (texts.length) at('text-changed', `${texts.join(', ')} changed`, { old: o[texts[0]!] ?? '', new: n[texts[0]!] ?? '' });
  return out;
}

function valueOf(e: ElementDefinition, prefix: 'fixed' | 'pattern'): { key: string; value: unknown } | undefined {
  for (const [key, value] of Object.entries(e))
    if (key.startsWith(prefix) && key.length > prefix.length && /[A-Z]/.test(key[prefix.length]!)) return { key, value };
  return undefined;
}

function canonical(url: string | undefined): string {
  return (url ?? '').split('|')[0]!;
}

/** A bound value set replaced by another: narrowed or widened when both can be expanded here. */
function bindingValueSet(id: string, oldUrl: string | undefined, newUrl: string | undefined, ctx: ElementContext): Change[] {
  const before = ctx.sides.old.codes(canonical(oldUrl));
  const after = ctx.sides.new.codes(canonical(newUrl));
  const values = { old: canonical(oldUrl), new: canonical(newUrl) };
  if (!before || !after) return [change('binding-valueset-changed', id, 'bound to another value set', values)];
  const removed = [...before].filter(c => !after.has(c));
  const added = [...after].filter(c => !before.has(c));
  const out: Change[] = [];
  if (removed.length) out.push(change('binding-valueset-narrowed', id, `bound value set replaced; codes no longer in it: ${removed.join(', ')}`, values));
  if (added.length) out.push(change('binding-valueset-widened', id, `bound value set replaced; codes added: ${added.join(', ')}`, values));
  if (!out.length) out.push(change('metadata-changed', id, 'bound to another value set with the same codes', values));
  return out;
}

function compareTypes(o: ElementDefinition, n: ElementDefinition, ctx: ElementContext): Change[] {
  const id = n.id ?? n.path;
  const ot = new Map((o.type ?? []).map(t => [t.code, t]));
  const nt = new Map((n.type ?? []).map(t => [t.code, t]));
  const out: Change[] = [];
  for (const code of ot.keys())
    if (!nt.has(code)) out.push(change('type-removed', id, `type ${code} removed`, { old: typeList(o.type), new: typeList(n.type) }));
  for (const code of nt.keys()) if (!ot.has(code)) out.push(change('type-added', id, `type ${code} added`, { old: typeList(o.type), new: typeList(n.type) }));
  for (const [code, t] of nt) {
    const before = ot.get(code);
    if (!before) continue;
    out.push(...compareProfiles(id, `${code} profile`, before.profile, t.profile, ctx));
    out.push(...compareProfiles(id, `${code} target profile`, before.targetProfile, t.targetProfile, ctx));
  }
  return out;
}

function typeList(types: ElementDefinitionType[] | undefined): string {
  return (types ?? []).map(t => t.code).join(' | ') || 'none';
}

/**
 * Profiles on a type or reference targets: none means any. A profile replaced by one derived
 * from it (its base chain leads there) narrows; one removed narrows; one added that derives from
 * none removed widens.
 */
function compareProfiles(id: string, what: string, before: string[] | undefined, after: string[] | undefined, ctx: ElementContext): Change[] {
  const o = new Set((before ?? []).map(canonical));
  const n = new Set((after ?? []).map(canonical));
  const values = { old: [...o].join(' | ') || 'any', new: [...n].join(' | ') || 'any' };
  const removed = [...o].filter(u => !n.has(u));
  const added = [...n].filter(u => !o.has(u));
  if (!removed.length && !added.length) return [];
  if (!o.size) return [change('profile-narrowed', id, `${what} now required: ${added.join(', ')}`, values)];
  if (!n.size) return [change('profile-widened', id, `${what} no longer required`, values)];
  const out: Change[] = [];
  const derived = added.filter(a => removed.some(r => ctx.sides.new.derivesFrom(a, r) || ctx.sides.old.derivesFrom(a, r)));
  if (removed.length)
    out.push(change('profile-narrowed', id, `${what} ${removed.join(', ')} ${derived.length ? `narrowed to ${derived.join(', ')}` : 'removed'}`, values));
  const widened = added.filter(a => !derived.includes(a));
  if (widened.length) out.push(change('profile-widened', id, `${what} ${widened.join(', ')} added`, values));
  return out;
}

/** Ancestors of an element id: `A.b:s.c` -> `A.b:s`, `A.b`, `A`. */
function parentId(id: string): string | undefined {
  const dot = id.lastIndexOf('.');
  const colon = id.lastIndexOf(':');
  if (colon > dot) return id.slice(0, colon);
  return dot > 0 ? id.slice(0, dot) : undefined;
}

function isSliceId(id: string): boolean {
  return id.lastIndexOf(':') > id.lastIndexOf('.');
}

function hasAncestorIn(id: string, set: Set<string>): boolean {
  for (let p = parentId(id); p; p = parentId(p)) if (set.has(p)) return true;
  return false;
}

function removedElements(oldEls: Map<string, ElementDefinition>, newEls: Map<string, ElementDefinition>, ctx: ElementContext): Change[] {
  const out: Change[] = [];
  const reported = new Set<string>();
  for (const [id, e] of oldEls) {
    if (newEls.has(id) || hasAncestorIn(id, reported)) continue;
    const inherited = !ctx.diffIds.has(id);
    if (isSliceId(id) || ctx.logical) {
      reported.add(id);
      out.push(change('element-removed', id, isSliceId(id) ? 'slice removed' : 'element removed', { old: `${e.min ?? 0}..${e.max ?? '*'}`, inherited }));
    } else if (ctx.oldDiff.has(id)) out.push(...loosened(id, e, inherited));
  }
  return out;
}

/**
 * An element no longer unfolded, that the previous differential constrained: the constraints it
 * carried are lifted. (One the differential did not name only showed the base type's definition.)
 */
function loosened(id: string, e: ElementDefinition, inherited: boolean): Change[] {
  const out: Change[] = [];
  const v = { inherited };
  if ((e.min ?? 0) > 0) out.push(change('min-lowered', id, 'no longer constrained: minimum cardinality back to the base', { old: e.min, ...v }));
  if (e.mustSupport) out.push(change('must-support-removed', id, 'no longer must support', { old: true, new: false, ...v }));
  for (const prefix of ['fixed', 'pattern'] as const) {
    const value = valueOf(e, prefix);
    if (value) out.push(change(`${prefix}-removed`, id, `${prefix} value removed`, { old: value.value, ...v }));
  }
  if (e.binding?.valueSet && e.binding.strength !== 'example')
    out.push(change('binding-removed', id, 'binding removed', { old: `${e.binding.strength} ${e.binding.valueSet}`, ...v }));
  return out;
}

function addedElements(oldEls: Map<string, ElementDefinition>, newEls: Map<string, ElementDefinition>, ctx: ElementContext): Change[] {
  const out: Change[] = [];
  const reported = new Set<string>();
  for (const [id, e] of newEls) {
    if (oldEls.has(id) || hasAncestorIn(id, reported)) continue;
    const inherited = !ctx.diffIds.has(id);
    if (isSliceId(id) || ctx.logical) {
      reported.add(id);
      const min = e.min ?? 0;
      const parent = parentId(id);
      const sliced = parent ? (newEls.get(parent) ?? oldEls.get(parent)) : undefined;
      const slice = isSliceId(id);
      const range = { new: `${min}..${e.max ?? '*'}`, inherited };
      if (min > 0) out.push(change('required-element-added', id, slice ? 'required slice added' : 'required element added', range));
      else if (slice && sliced?.slicing?.rules === 'closed') out.push(change('slice-added-to-closed', id, 'slice added to a closed slicing', range));
      else out.push(change('element-added', id, slice ? 'optional slice added' : 'optional element added', range));
    } else if (ctx.newDiff.has(id)) out.push(...tightened(id, e, inherited));
  }
  return out;
}

/**
 * An element newly unfolded (a child of a complex type now constrained) that the differential
 * names: its constraints are new. Its siblings unfolded with it only show the base type's.
 */
function tightened(id: string, e: ElementDefinition, inherited: boolean): Change[] {
  const out: Change[] = [];
  const v = { inherited };
  if ((e.min ?? 0) > 0) out.push(change('min-raised', id, 'minimum cardinality raised (newly constrained)', { new: e.min, ...v }));
  if (e.max === '0') out.push(change('element-prohibited', id, 'element prohibited (max 0)', { new: '0', ...v }));
  if (e.mustSupport) out.push(change('must-support-added', id, 'now must support', { old: false, new: true, ...v }));
  for (const prefix of ['fixed', 'pattern'] as const) {
    const value = valueOf(e, prefix);
    if (value) out.push(change(`${prefix}-added`, id, `${prefix} value added`, { new: value.value, ...v }));
  }
  if (e.binding?.valueSet && e.binding.strength !== 'example' && e.binding.strength !== 'preferred')
    out.push(
      change('binding-added', id, `bound to ${e.binding.valueSet} (${e.binding.strength})`, { new: `${e.binding.strength} ${e.binding.valueSet}`, ...v })
    );
  return out;
}
