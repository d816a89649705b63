/**
 * Where in the FSH a compiled value came from. SUSHI keeps a source location for every entity and
 * rule; the compile records, per compiled resource, each rule's path and position (`rules` below,
 * kept in the build cache with the resource's other metadata). A validation issue names a
 * resource's file in fsh-generated/ and a FHIRPath; `fshLocationOf` maps that FHIRPath back to
 * the rule that set the value (or the nearest rule above or below it), else to the definition's
 * own line, so the author sees the FSH line beside the generated file.
 *
 * Instances: rule paths (soft indexes resolved by SUSHI's export, `[0]` optional, slice names
 * matching any index) against the FHIRPath's steps. Profiles: a FHIRPath into
 * `snapshot`/`differential.element[n]` is read through that element's id to the rules on its
 * path (a caret path against the rest); `StructureDefinition.x` against `* ^x` rules. Value sets:
 * `compose.include[n]` / `exclude[n]` to the n-th include / exclude rule. Code systems:
 * `concept[n](.concept[m])*` to the concept rule with the same codes.
 */
import { relative } from 'node:path';
import type { CompiledResource, FhirResource } from '../../model/resources.ts';
import type { Diagnostic } from '../../model/diagnostics.ts';
import type { FshRuleLocation } from '../../model/resources.ts';
import { isJsonObject } from '../../fhir/json.ts';
import { resourceOf } from '../../fhir/r4.ts';

export interface FshPosition {
  file: string;
  line: number;
  column?: number;
}

interface SushiRule {
  path: string;
  caretPath?: string;
  inclusion?: boolean;
  code?: unknown;
  hierarchy?: string[];
  constructorName?: string;
  sourceInfo?: { file?: string; location?: { startLine: number; startColumn: number } };
}

interface SushiEntity {
  name: string;
  rules?: readonly SushiRule[];
  sourceInfo?: { file?: string; location?: { startLine: number; startColumn: number } };
}

/** The parts of SUSHI's FSHTank (its documents' entities by kind) that hold rules. */
interface TankLike {
  docs: readonly Record<(typeof ENTITY_MAPS)[number], ReadonlyMap<string, SushiEntity>>[];
}

const ENTITY_MAPS = ['profiles', 'extensions', 'logicals', 'resources', 'valueSets', 'codeSystems', 'instances'] as const;

/**
 * Record each resource's FSH rules (after SUSHI's export, which resolved soft indexes and
 * expanded inserted rule sets in place). `fshName` comes from SUSHI's package file map.
 */
export function attachRuleLocations(resources: CompiledResource[], fshNameOf: (fileName: string) => string | undefined, tank: TankLike, root: string): void {
  const entities = new Map<string, SushiEntity>();
  for (const doc of tank.docs) {
    for (const kind of ENTITY_MAPS) {
      for (const e of doc[kind].values()) if (!entities.has(e.name)) entities.set(e.name, e);
    }
  }
  for (const r of resources) {
    if (r.predefined) continue;
    const name = fshNameOf(r.fileName);
    const entity = name ? entities.get(name) : undefined;
    if (!entity?.rules?.length) continue;
    const rules: FshRuleLocation[] = [];
    for (const rule of entity.rules) {
      const loc = rule.sourceInfo?.location;
      const file = rule.sourceInfo?.file ?? entity.sourceInfo?.file;
      if (!loc || !file) continue;
      const out: FshRuleLocation = { path: rule.path ?? '', file: relative(root, file).split('\\').join('/'), line: loc.startLine, column: loc.startColumn };
      if (typeof rule.caretPath === 'string') out.caret = rule.caretPath;
      if (typeof rule.inclusion === 'boolean') out.kind = rule.inclusion ? 'include' : 'exclude';
      if (rule.constructorName === 'ConceptRule' && typeof rule.code === 'string') {
        out.kind = 'concept';
        out.codes = [...(rule.hierarchy ?? []), rule.code];
      }
      rules.push(out);
    }
    if (rules.length) r.rules = rules;
  }
}

/** One step of a path: an element name and its index (a number, a slice name, or none). */
interface Step {
  name: string;
  index?: number | string;
}

/** FSH rule path -> steps (`a[0].b[slice].c`; `[0]` is the same as no index). */
export function fshSteps(path: string): Step[] {
  if (!path || path === '.') return [];
  return splitOutsideBrackets(path).map(part => {
    const m = /^([^[]+)(?:\[([^\]]*)\])*$/.exec(part);
    const name = m ? m[1]! : part;
    const brackets = [...part.matchAll(/\[([^\]]*)\]/g)].map(b => b[1]!);
    // `extension[foo][1]`: a slice then an index in it; the index is what the array position is.
    const last = brackets.at(-1);
    const index = last === undefined ? undefined : /^\d+$/.test(last) ? Number(last) : brackets.some(b => /^\d+$/.test(b)) ? undefined : last;
    return { name, index: index === 0 ? undefined : index };
  });
}

/** FHIRPath (as the validator writes it) -> steps, without the resource type. Functions end it, except ofType and resolve. */
export function fhirPathSteps(expression: string): Step[] {
  const parts = splitOutsideBrackets(expression);
  if (parts.length && /^[A-Z]/.test(parts[0]!)) parts.shift();
  const steps: Step[] = [];
  for (const part of parts) {
    if (/^(ofType|resolve|as)\(/.test(part)) continue;
    if (part.includes('(')) {
      // where(...), first(), ...: the step before stands for any of its items.
      const prev = steps.at(-1);
      if (prev) prev.index = '*';
      break;
    }
    const m = /^([^[]+)(?:\[(\d+)\])?$/.exec(part);
    if (!m) break;
    const n = m[2] === undefined ? undefined : Number(m[2]);
    steps.push({ name: m[1]!, index: n === 0 ? undefined : n });
  }
  return steps;
}

function splitOutsideBrackets(path: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = false;
  let current = '';
  for (const c of path) {
    if (c === '"' || c === "'") quote = !quote;
    if (!quote && (c === '[' || c === '(')) depth++;
    if (!quote && (c === ']' || c === ')')) depth--;
    if (c === '.' && depth === 0 && !quote) {
      out.push(current);
      current = '';
    } else current += c;
  }
  if (current) out.push(current);
  return out;
}

function sameStep(rule: Step, target: Step): boolean {
  if (rule.name !== target.name) return rule.name.endsWith('[x]') && target.name.startsWith(rule.name.slice(0, -3));
  if (typeof rule.index === 'string' || target.index === '*') return true;
  return rule.index === target.index;
}

/** How many of `rule`'s steps match `target` from the start. */
function matched(rule: Step[], target: Step[]): number {
  let n = 0;
  while (n < rule.length && n < target.length && sameStep(rule[n]!, target[n]!)) n++;
  return n;
}

/**
 * The rule that set the value at `target` (its own or an enclosing element: the deepest, the
 * last of equals, as later rules override), else the first rule that sets something inside it.
 */
function bestRule<T>(candidates: readonly T[], stepsOf: (c: T) => Step[], target: Step[]): T | undefined {
  let best: T | undefined;
  let depth = -1;
  for (const c of candidates) {
    const steps = stepsOf(c);
    if (steps.length > target.length || matched(steps, target) !== steps.length) continue;
    if (steps.length >= depth) {
      best = c;
      depth = steps.length;
    }
  }
  if (best !== undefined && depth > 0) return best;
  const inside = candidates.find(c => {
    const steps = stepsOf(c);
    return steps.length > target.length && matched(steps, target) === target.length;
  });
  return inside ?? best;
}

/** The FSH position of the rule behind `expression` in `resource`; the definition's line when no rule is. */
export function fshLocationOf(resource: CompiledResource, expression: string | undefined): FshPosition | undefined {
  const own = resource.source ? { file: resource.source.file, line: resource.source.startLine } : undefined;
  const rules = resource.rules ?? [];
  if (!expression || !rules.length) return own;
  const target = fhirPathSteps(expression);
  const rule = ruleFor(resource.resource, rules, target);
  return rule ? { file: rule.file, line: rule.line, column: rule.column } : own;
}

function ruleFor(json: FhirResource, rules: FshRuleLocation[], target: Step[]): FshRuleLocation | undefined {
  const type = json.resourceType;
  const first = target[0]?.name;
  if (type === 'ValueSet' && first === 'compose' && (target[1]?.name === 'include' || target[1]?.name === 'exclude')) {
    const kind = target[1].name;
    const index = typeof target[1].index === 'number' ? target[1].index : 0;
    return rules.filter(r => r.kind === kind)[index];
  }
  if (type === 'CodeSystem' && first === 'concept') {
    const codes = conceptCodes(json, target);
    if (codes.length) {
      const exact = rules.find(r => r.kind === 'concept' && r.codes?.join('\u0000') === codes.join('\u0000'));
      if (exact) return exact;
    }
  }
  if (type === 'StructureDefinition' && (first === 'snapshot' || first === 'differential') && target[1]?.name === 'element') {
    const elements = resourceOf(json, 'StructureDefinition')?.[first]?.element ?? [];
    const index = typeof target[1].index === 'number' ? target[1].index : 0;
    const id = elements[index]?.id;
    if (id) {
      const elementSteps = fshSteps(elementIdToFshPath(id));
      const rest = target.slice(2);
      const onElement = rules.filter(r => {
        const steps = fshSteps(r.path);
        return steps.length === elementSteps.length && matched(steps, elementSteps) === steps.length;
      });
      const caret = bestRule(
        onElement.filter(r => r.caret !== undefined),
        r => fshSteps(r.caret!),
        rest
      );
      if (caret && rest.length) return caret;
      return onElement.find(r => r.caret === undefined) ?? caret ?? bestRule(rules, r => fshSteps(r.path), elementSteps);
    }
  }
  const isDefinition = ['StructureDefinition', 'ValueSet', 'CodeSystem'].includes(type);
  if (isDefinition) {
    // StructureDefinition.status and the like: the caret rules on the definition itself.
    return bestRule(
      rules.filter(r => r.caret !== undefined && r.path === ''),
      r => fshSteps(r.caret!),
      target
    );
  }
  // Instances: assignment rules by path (caret rules do not apply to instances).
  return bestRule(
    rules.filter(r => r.caret === undefined && r.kind === undefined),
    r => fshSteps(r.path),
    target
  );
}

/** `Observation.component:systolic.code` -> `component[systolic].code`. */
function elementIdToFshPath(id: string): string {
  return id
    .split('.')
    .slice(1)
    .map(part => part.replace(/:([^.]+)$/, '[$1]'))
    .join('.');
}

function conceptCodes(json: FhirResource, target: Step[]): string[] {
  const codes: string[] = [];
  let list = resourceOf(json, 'CodeSystem')?.concept;
  for (const step of target) {
    if (step.name !== 'concept' || !Array.isArray(list)) break;
    const item: unknown = list[typeof step.index === 'number' ? step.index : 0];
    if (!isJsonObject(item) || typeof item.code !== 'string' || !item.code) break;
    codes.push(item.code);
    list = Array.isArray(item.concept) ? item.concept : undefined;
  }
  return codes;
}

/**
 * Give each diagnostic on a compiled FSH resource (located by its fsh-generated/ file) the FSH
 * position behind it, in `location.fsh`. Diagnostics already carrying one, or on files the
 * compile did not make from FSH, are left as they are. Returns how many it located.
 */
export function addFshLocations(diagnostics: readonly Diagnostic[], resources: readonly CompiledResource[] | undefined): number {
  if (!resources?.length) return 0;
  const byFile = new Map<string, CompiledResource>();
  for (const r of resources) if (r.source && !r.predefined) byFile.set(`fsh-generated/resources/${r.fileName}`, r);
  let n = 0;
  for (const d of diagnostics) {
    const loc = d.location;
    if (!loc?.file || loc.fsh) continue;
    const resource = byFile.get(loc.file.split('\\').join('/'));
    if (!resource) continue;
    const fsh = fshLocationOf(resource, loc.expression);
    if (!fsh) continue;
    loc.fsh = fsh;
    n++;
  }
  return n;
}
