/** Code systems, value sets and concept maps compared code by code. */
import type { CodeSystem, ConceptMap, ValueSet } from '../../fhir/r4.ts';
import { flattenConcepts } from '../../fhir/concepts.ts';
import { change, type Change } from './model.ts';
import type { Side } from './side.ts';

export function compareCodeSystem(oldRes: CodeSystem, newRes: CodeSystem): Change[] {
  const o = new Map(flattenConcepts(oldRes.concept).map(p => [p.concept.code, p.concept]));
  const n = new Map(flattenConcepts(newRes.concept).map(p => [p.concept.code, p.concept]));
  const out: Change[] = [];
  const path = (code: string) => `CodeSystem.concept.where(code='${code}')`;
  for (const [code, c] of o) if (!n.has(code)) out.push(change('code-removed', path(code), `code ${code} removed`, { old: c.display ?? code }));
  for (const [code, c] of n) {
    const before = o.get(code);
    if (!before) out.push(change('code-added', path(code), `code ${code} added`, { new: c.display ?? code }));
    else if ((before.display ?? '') !== (c.display ?? ''))
      out.push(change('display-changed', path(code), `display of ${code} changed`, { old: before.display, new: c.display }));
    else if ((before.definition ?? '') !== (c.definition ?? ''))
      out.push(change('text-changed', path(code), `definition of ${code} changed`, { old: before.definition, new: c.definition }));
  }
  const oc = oldRes.content;
  const nc = newRes.content;
  if (oc !== nc) out.push(change('metadata-changed', 'CodeSystem.content', 'content changed', { old: oc, new: nc }));
  return out;
}

/**
 * By expansion when both sides can be expanded here (their code systems are in the release);
 * otherwise include by include: explicit concept lists code by code, anything else (filters,
 * imported value sets, whole systems) must be the same.
 */
export function compareValueSet(oldRes: ValueSet, newRes: ValueSet, sides: { old: Side; new: Side }): Change[] {
  const url = String(newRes.url ?? '');
  const before = sides.old.codes(String(oldRes.url ?? ''));
  const after = sides.new.codes(url);
  const out: Change[] = [];
  if (before && after) {
    for (const c of before) if (!after.has(c)) out.push(change('valueset-narrowed', 'ValueSet.compose', `code ${c} no longer in the value set`, { old: c }));
    for (const c of after) if (!before.has(c)) out.push(change('valueset-widened', 'ValueSet.compose', `code ${c} added to the value set`, { new: c }));
    return out;
  }
  const parts = (vs: ValueSet) => {
    const compose = vs.compose;
    const explicit = new Set<string>();
    const other = new Set<string>();
    for (const [kind, list] of [
      ['include', compose?.include],
      ['exclude', compose?.exclude]
    ] as const)
      for (const inc of list ?? []) {
        if (inc.concept?.length && !inc.filter?.length && !inc.valueSet?.length)
          for (const c of inc.concept) explicit.add(`${kind} ${inc.system ?? ''}#${c.code}`);
        else other.add(`${kind} ${JSON.stringify({ ...inc, concept: undefined })}`);
      }
    return { explicit, other };
  };
  const o = parts(oldRes);
  const n = parts(newRes);
  for (const c of o.explicit)
    if (!n.explicit.has(c))
      out.push(change(c.startsWith('include') ? 'valueset-narrowed' : 'valueset-widened', 'ValueSet.compose', `${c} removed`, { old: c }));
  for (const c of n.explicit)
    if (!o.explicit.has(c)) out.push(change(c.startsWith('include') ? 'valueset-widened' : 'valueset-narrowed', 'ValueSet.compose', `${c} added`, { new: c }));
  const changed = [...o.other].filter(x => !n.other.has(x)).length + [...n.other].filter(x => !o.other.has(x)).length;
  if (changed) out.push(change('valueset-changed', 'ValueSet.compose', 'compose rules changed (filters, whole systems or imported value sets)'));
  return out;
}

export function compareConceptMap(oldRes: ConceptMap, newRes: ConceptMap): Change[] {
  const maps = (r: ConceptMap) => {
    const m = new Map<string, string>();
    for (const g of r.group ?? [])
      for (const e of g.element ?? [])
        for (const t of e.target ?? []) m.set(`${g.source ?? ''}#${e.code ?? ''} -> ${g.target ?? ''}#${t.code ?? ''}`, t.equivalence ?? '');
    return m;
  };
  const o = maps(oldRes);
  const n = maps(newRes);
  const out: Change[] = [];
  const path = (key: string) => `ConceptMap.group.element.where(code='${key.split(' -> ')[0]!.split('#').pop()!}')`;
  for (const [key, eq] of o) if (!n.has(key)) out.push(change('mapping-removed', path(key), `mapping ${key} removed`, { old: eq }));
  for (const [key, eq] of n) {
    if (!o.has(key)) out.push(change('mapping-added', path(key), `mapping ${key} added`, { new: eq }));
    else if (o.get(key) !== eq) out.push(change('mapping-changed', path(key), `equivalence of ${key} changed`, { old: o.get(key), new: eq }));
  }
  return out;
}
