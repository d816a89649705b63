/**
 * The definitions the check page carries: the closure, over the core package, of what these need -
 * the guide's conformance resources and examples, the resource types implementers send (a fixed
 * list, the types the guide's CapabilityStatements name and its profiles reference), the core
 * profiles on those types (a message may claim one, e.g. vital signs) and the core extensions (a
 * message may carry any). "Need" is: base definitions, element types and their profiles, value
 * sets bound at any strength (required and extensible are checked; the others bring the code
 * systems messages use, whose codes and displays are checked), and the code systems and value
 * sets those include. Everything else in the core package is named in `omitted`, so the page can
 * say when a message reaches past what it carries.
 */
import type { FhirResource } from '../../../model/resources.ts';
import { BASE, CONFORMANCE_TYPES, type DefinitionSource } from '../../../lib/validator/definitions.ts';
import { isJsonObject } from '../../../fhir/json.ts';
import { resourceOf } from '../../../fhir/r4.ts';

/** Resource types implementers send to or get from the API, checked even when no profile names them. */
export const SENT_TYPES = ['Bundle', 'Observation', 'OperationOutcome', 'Patient', 'Device', 'Organization', 'Practitioner', 'AuditEvent', 'Provenance'];

export interface ClosureInput {
  core: DefinitionSource & { urls(): Iterable<string>; typeOf(url: string): string | undefined };
  /** The guide's conformance resources (StructureDefinition, ValueSet, CodeSystem). */
  guide: FhirResource[];
  /** Instances whose types, profiles, extensions and code systems are roots too. */
  examples: FhirResource[];
  types?: string[];
}

export interface Closure {
  /** Core resources reached, by URL order. */
  core: FhirResource[];
  /** Core canonical URLs left out. */
  omitted: string[];
}

/**
 * Where the closure starts: the sent types, what the guide's resources and the examples need, and
 * every core extension (versions dropped, first mention first). With the guide's own URLs it
 * decides the closure over a given core package, so a caller may keep a closure by these.
 */
export function closureRoots(input: ClosureInput): string[] {
  const roots = new Set<string>();
  const want = (url: unknown) => {
    if (typeof url === 'string' && url !== '') roots.add(url.split('|')[0]!);
  };
  for (const t of input.types ?? SENT_TYPES) want(BASE + t);
  for (const r of input.guide) if (typeof r.url === 'string') for (const u of [...references(r), ...referencedTypes(r)]) want(u);
  for (const e of input.examples) for (const u of [...instanceRoots(e), ...capabilityTypes(e)]) want(u);
  for (const u of input.core.urls()) if (input.core.typeOf(u) === 'Extension') want(u);
  return [...roots];
}

export function definitionsClosure(input: ClosureInput, roots: readonly string[] = closureRoots(input)): Closure {
  const guide = new Map(input.guide.filter(r => typeof r.url === 'string').map(r => [r.url!, r]));
  const reached = new Map<string, FhirResource>();
  const queue: string[] = [...roots];
  const want = (url: unknown) => {
    if (typeof url !== 'string' || url === '') return;
    const bare = url.split('|')[0]!;
    if (!reached.has(bare) && !queue.includes(bare)) queue.push(bare);
  };
  const profilesOf = new Map<string, string[]>();
  for (const u of input.core.urls()) {
    const type = input.core.typeOf(u);
    if (type && u !== BASE + type) profilesOf.set(type, [...(profilesOf.get(type) ?? []), u]);
  }
  const seen = new Set<string>();
  while (queue.length > 0) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const own = guide.get(url);
    const resource = own ?? (input.core.has(url) ? input.core.read(url) : undefined);
    if (!resource) continue;
    if (!own) reached.set(url, resource);
    for (const u of references(resource)) want(u);
    if (resource.kind === 'resource' && url === BASE + String(resource.type)) for (const u of profilesOf.get(String(resource.type)) ?? []) want(u);
  }
  const core = [...reached.keys()].sort().map(u => reached.get(u)!);
  const omitted = [...input.core.urls()].filter(u => !reached.has(u)).sort();
  return { core, omitted };
}

/** Canonical URLs a conformance resource needs to be used by the validator. */
export function references(r: FhirResource): string[] {
  const out: string[] = [];
  const sd = resourceOf(r, 'StructureDefinition');
  const vs = resourceOf(r, 'ValueSet');
  if (sd) {
    out.push(String(sd.baseDefinition ?? ''));
    if (typeof sd.type === 'string' && !sd.type.includes('/')) out.push(BASE + sd.type);
    const elements = [...(sd.snapshot?.element ?? []), ...(sd.differential?.element ?? [])];
    for (const el of elements) {
      for (const t of el.type ?? []) {
        if (t.code && !t.code.includes('/')) out.push(BASE + t.code);
        out.push(...(t.profile ?? []), ...(t.targetProfile ?? []).filter(u => !u.startsWith(BASE)));
      }
      if (el.binding?.valueSet) out.push(el.binding.valueSet);
    }
  } else if (vs) {
    const compose = vs.compose;
    for (const inc of [...(compose?.include ?? []), ...(compose?.exclude ?? [])]) out.push(inc.system ?? '', ...(inc.valueSet ?? []));
  } else if (r.resourceType === 'CodeSystem') {
    out.push(String(r.supplements ?? ''));
  }
  return out.filter(Boolean);
}

/** Resource types a guide profile's references may point at (what users put beside it in a Bundle). */
function referencedTypes(r: FhirResource): string[] {
  const elements = resourceOf(r, 'StructureDefinition')?.snapshot?.element ?? [];
  return elements.flatMap(el => (el.type ?? []).flatMap(t => (t.targetProfile ?? []).filter(u => u.startsWith(BASE))));
}

/** Resource types a CapabilityStatement serves. */
function capabilityTypes(r: FhirResource): string[] {
  return (resourceOf(r, 'CapabilityStatement')?.rest ?? []).flatMap(rest => (rest.resource ?? []).map(x => (x.type ? BASE + x.type : '')));
}

/** Types, claimed profiles, extension URLs and code systems found anywhere in an instance. */
export function instanceRoots(instance: unknown): string[] {
  const out = new Set<string>();
  const visit = (node: unknown, depth: number) => {
    if (depth > 100 || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) return node.forEach(n => visit(n, depth + 1));
    if (!isJsonObject(node)) return;
    const obj = node;
    if (typeof obj.resourceType === 'string') out.add(BASE + obj.resourceType);
    const profiles = isJsonObject(obj.meta) ? obj.meta.profile : undefined;
    for (const p of Array.isArray(profiles) ? profiles : []) if (typeof p === 'string') out.add(p);
    if (typeof obj.url === 'string' && ('extension' in obj || Object.keys(obj).some(k => k.startsWith('value')))) out.add(obj.url);
    if (typeof obj.system === 'string' && 'code' in obj) out.add(obj.system);
    for (const v of Object.values(obj)) visit(v, depth + 1);
  };
  visit(instance, 0);
  return [...out];
}

export function isConformance(r: FhirResource): boolean {
  return CONFORMANCE_TYPES.has(r.resourceType) && typeof r.url === 'string';
}
