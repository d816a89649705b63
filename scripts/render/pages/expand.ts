/** Expands a ValueSet from the guide's own CodeSystems and ValueSets (no terminology server). */
import type { FhirResource } from '../../model.ts';
import type { ArtifactIndex } from '../model.ts';

export interface Concept {
  code: string;
  display?: string;
  definition?: string;
  concept?: Concept[];
  property?: ({ code: string } & Record<string, unknown>)[];
}

export interface Include {
  system?: string;
  version?: string;
  concept?: { code: string; display?: string }[];
  filter?: { property: string; op: string; value: string }[];
  valueSet?: string[];
}

export interface ExpandedCode {
  system: string;
  code: string;
  display?: string;
}

export function flattenConcepts(concepts: Concept[], depth = 0): { concept: Concept; depth: number }[] {
  return concepts.flatMap(c => [{ concept: c, depth }, ...flattenConcepts(c.concept ?? [], depth + 1)]);
}

export function expandValueSet(index: ArtifactIndex, vs: FhirResource, seen = new Set<string>()): { codes: ExpandedCode[]; problems: string[] } {
  const compose = (vs.compose ?? {}) as { include?: Include[]; exclude?: Include[] };
  const problems: string[] = [];
  if (typeof vs.url === 'string') seen.add(vs.url);
  const included = (compose.include ?? []).flatMap(inc => expandInclude(index, inc, seen, problems));
  const excluded = new Set((compose.exclude ?? []).flatMap(inc => expandInclude(index, inc, seen, problems)).map(c => `${c.system}|${c.code}`));
  const unique = new Map<string, ExpandedCode>();
  for (const c of included) if (!excluded.has(`${c.system}|${c.code}`)) unique.set(`${c.system}|${c.code}`, c);
  return { codes: [...unique.values()], problems };
}

function expandInclude(index: ArtifactIndex, inc: Include, seen: Set<string>, problems: string[]): ExpandedCode[] {
  let codes = inc.system ? systemCodes(index, inc, problems) : undefined;
  for (const url of inc.valueSet ?? []) {
    const other = index.byUrl.get(url.split('|')[0]!)?.resource;
    if (!other || seen.has(url)) {
      problems.push(`Value set ${url} is not in this guide, so its codes are not listed.`);
      continue;
    }
    const inner = expandValueSet(index, other, seen).codes;
    codes = codes ? codes.filter(c => inner.some(i => i.system === c.system && i.code === c.code)) : inner;
  }
  return codes ?? [];
}

function systemCodes(index: ArtifactIndex, inc: Include, problems: string[]): ExpandedCode[] | undefined {
  const system = inc.system!;
  const cs = index.byUrl.get(system)?.resource;
  const all = cs ? flattenConcepts((cs.concept ?? []) as Concept[]).map(({ concept }) => concept) : [];
  if (inc.concept?.length) {
    return inc.concept.map(c => ({ system, code: c.code, display: c.display ?? all.find(x => x.code === c.code)?.display }));
  }
  if (!cs) {
    problems.push(`Code system ${system} is not in this guide, so its codes are not listed.`);
    return [];
  }
  if (inc.filter?.length) {
    problems.push(`Filters on ${system} are not expanded here.`);
    return [];
  }
  return all.map(c => ({ system, code: c.code, display: c.display }));
}
