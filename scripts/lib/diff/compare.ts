/**
 * Compare two releases of a guide: artifacts matched by canonical URL, then by `Type/id` (a
 * changed URL or id is itself a change), each compared by what its type means to implementers
 * (structure.ts, terminology.ts, and the API definitions here). The ImplementationGuide resource
 * is not compared (its pages and resource list are the guide's table of contents).
 */
import { isResourceOf, type CapabilityStatement, type CapabilityStatementRest, type OperationDefinition } from '../../fhir/r4.ts';
import type { FhirResource } from '../../model/resources.ts';
import { change, type ArtifactDiff, type Change, type DiffReport, type Impact } from './model.ts';
import type { Release, ReleaseResource } from './load.ts';
import { compareStructure } from './structure.ts';
import { compareCodeSystem, compareConceptMap, compareValueSet } from './terminology.ts';
import { Side } from './side.ts';

/** Fields no comparison looks at: they change with every build or release. */
const IGNORED = new Set(['meta', 'text', 'version', 'date', 'snapshot', 'differential']);
/** Fields whose change is a description. */
const TEXT_FIELDS = new Set(['description', 'purpose', 'copyright', 'comment', 'requirements']);
/** Fields each comparison handles itself. */
const HANDLED: Record<string, readonly string[]> = {
  StructureDefinition: ['type', 'context', 'url', 'id', 'baseDefinition'],
  CodeSystem: ['concept', 'count', 'content', 'url', 'id'],
  ValueSet: ['compose', 'expansion', 'url', 'id'],
  ConceptMap: ['group', 'url', 'id'],
  CapabilityStatement: ['rest', 'format', 'patchFormat', 'url', 'id', 'instantiates', 'implementationGuide'],
  OperationDefinition: ['parameter', 'url', 'id'],
  SearchParameter: ['expression', 'xpath', 'type', 'base', 'code', 'target', 'url', 'id', 'multipleOr', 'multipleAnd', 'comparator', 'modifier', 'chain']
};

export function compareReleases(previous: Release, current: Release): DiffReport {
  const sides = { old: new Side(previous), new: new Side(current) };
  const key = (r: ReleaseResource) => (!r.example && typeof r.resource.url === 'string' ? r.resource.url : ref(r.resource));
  const wanted = (r: ReleaseResource) => r.resource.resourceType !== 'ImplementationGuide';
  const oldByKey = new Map(previous.resources.filter(wanted).map(r => [key(r), r]));
  const newByKey = new Map(current.resources.filter(wanted).map(r => [key(r), r]));
  const artifacts: ArtifactDiff[] = [];
  let unchanged = 0;
  const matched = new Set<string>();
  const compareOne = (o: ReleaseResource, n: ReleaseResource, extra: Change[]) => {
    const changes = [...extra, ...compareArtifact(o, n, sides)];
    if (changes.length) artifacts.push(artifactDiff(n, 'changed', changes));
    else unchanged++;
  };
  for (const [k, n] of newByKey) {
    const o = oldByKey.get(k);
    if (!o) continue;
    matched.add(k);
    const idChanged = o.resource.id !== n.resource.id && !n.example;
    compareOne(o, n, idChanged ? [change('id-changed', `${n.resource.resourceType}.id`, 'id changed', { old: o.resource.id, new: n.resource.id })] : []);
  }
  // Not matched by URL: the same Type/id with another URL is a URL change.
  const oldLeft = [...oldByKey].filter(([k]) => !matched.has(k));
  const newLeft = new Map([...newByKey].filter(([k]) => !matched.has(k)).map(([, r]) => [ref(r.resource), r]));
  for (const [, o] of oldLeft) {
    const n = newLeft.get(ref(o.resource));
    if (!n) {
      artifacts.push(artifactDiff(o, 'removed', [removedChange(o)]));
      continue;
    }
    newLeft.delete(ref(o.resource));
    compareOne(o, n, [
      change('url-changed', `${n.resource.resourceType}.url`, 'canonical URL changed', { old: o.resource.url ?? 'none', new: n.resource.url ?? 'none' })
    ]);
  }
  for (const n of newLeft.values()) artifacts.push(artifactDiff(n, 'added', [addedChange(n)]));
  artifacts.sort(byClassKindRef);
  const all = artifacts.flatMap(a => a.changes);
  return {
    previous: previous.label,
    current: current.label,
    artifacts,
    counts: {
      breaking: all.filter(c => c.class === 'breaking').length,
      compatible: all.filter(c => c.class === 'compatible').length,
      added: artifacts.filter(a => a.status === 'added').length,
      removed: artifacts.filter(a => a.status === 'removed').length,
      changed: artifacts.filter(a => a.status === 'changed').length,
      unchanged
    }
  };
}

function ref(r: FhirResource): string {
  return `${r.resourceType}/${String(r.id ?? '')}`;
}

function removedChange(r: ReleaseResource): Change {
  const where = `${r.resource.resourceType}/${String(r.resource.id ?? '')}`;
  return r.example ? change('example-removed', where, 'example removed') : change('artifact-removed', where, `${kindOf(r)} removed`, { old: r.resource.url });
}

function addedChange(r: ReleaseResource): Change {
  const where = `${r.resource.resourceType}/${String(r.resource.id ?? '')}`;
  return r.example ? change('example-added', where, 'example added') : change('artifact-added', where, `${kindOf(r)} added`, { new: r.resource.url });
}

const KIND_ORDER = [
  'profile',
  'extension',
  'logical',
  'valueset',
  'codesystem',
  'conceptmap',
  'capability',
  'operation',
  'searchparameter',
  'other-definition',
  'example'
];

export function kindOf(r: ReleaseResource): string {
  const res = r.resource;
  if (r.example) return 'example';
  switch (res.resourceType) {
    case 'StructureDefinition':
      return res.kind === 'logical' ? 'logical' : res.type === 'Extension' ? 'extension' : 'profile';
    case 'ValueSet':
      return 'valueset';
    case 'CodeSystem':
      return 'codesystem';
    case 'ConceptMap':
      return 'conceptmap';
    case 'CapabilityStatement':
      return 'capability';
    case 'OperationDefinition':
      return 'operation';
    case 'SearchParameter':
      return 'searchparameter';
    default:
      return 'other-definition';
  }
}

function artifactDiff(r: ReleaseResource, status: ArtifactDiff['status'], changes: Change[]): ArtifactDiff {
  const res = r.resource;
  const title = [res.title, res.name, res.id].find((v): v is string => typeof v === 'string' && v !== '') ?? ref(res);
  const worst: Impact = changes.some(c => c.class === 'breaking') ? 'breaking' : 'compatible';
  const out: ArtifactDiff = { ref: ref(res), resourceType: res.resourceType, id: String(res.id ?? ''), title, kind: kindOf(r), status, changes, class: worst };
  if (typeof res.url === 'string') out.url = res.url;
  return out;
}

function byClassKindRef(a: ArtifactDiff, b: ArtifactDiff): number {
  const cls = (x: ArtifactDiff) => (x.class === 'breaking' ? 0 : 1);
  return cls(a) - cls(b) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0);
}

function compareArtifact(o: ReleaseResource, n: ReleaseResource, sides: { old: Side; new: Side }): Change[] {
  const before = o.resource;
  const after = n.resource;
  if (n.example || o.example) {
    const fields = changedFields(before, after, new Set());
    return fields.length ? [change('example-changed', ref(after), `example changed: ${fields.join(', ')}`)] : [];
  }
  const type = after.resourceType;
  if (before.resourceType !== type) return [change('type-changed', ref(after), 'resource type changed', { old: before.resourceType, new: type })];
  const out: Change[] = [];
  if (isResourceOf(before, 'StructureDefinition') && isResourceOf(after, 'StructureDefinition')) out.push(...compareStructure(before, after, sides));
  else if (isResourceOf(before, 'CodeSystem') && isResourceOf(after, 'CodeSystem')) out.push(...compareCodeSystem(before, after));
  else if (isResourceOf(before, 'ValueSet') && isResourceOf(after, 'ValueSet')) out.push(...compareValueSet(before, after, sides));
  else if (isResourceOf(before, 'ConceptMap') && isResourceOf(after, 'ConceptMap')) out.push(...compareConceptMap(before, after));
  else if (isResourceOf(before, 'CapabilityStatement') && isResourceOf(after, 'CapabilityStatement')) out.push(...compareCapability(before, after));
  else if (isResourceOf(before, 'OperationDefinition') && isResourceOf(after, 'OperationDefinition')) out.push(...compareOperation(before, after));
  else if (type === 'SearchParameter') {
    const fields = (HANDLED.SearchParameter ?? []).filter(f => f !== 'url' && f !== 'id' && JSON.stringify(before[f]) !== JSON.stringify(after[f]));
    if (fields.length)
      out.push(
        change('search-definition-changed', `SearchParameter.${fields[0]!}`, `${fields.join(', ')} changed`, {
          old: before[fields[0]!] ?? 'none',
          new: after[fields[0]!] ?? 'none'
        })
      );
  }
  const handled = new Set(HANDLED[type] ?? ['url', 'id']);
  const fields = changedFields(before, after, handled);
  const texts = fields.filter(f => TEXT_FIELDS.has(f));
  const meta = fields.filter(f => !TEXT_FIELDS.has(f));
  if (texts.length)
    out.push(change('text-changed', `${type}.${texts[0]!}`, `${texts.join(', ')} changed`, { old: before[texts[0]!] ?? '', new: after[texts[0]!] ?? '' }));
  if (meta.length) {
    // A type this tool compares field by field has only metadata left over; any other type is compared as a whole.
    const rule = HANDLED[type] ? 'metadata-changed' : 'definition-changed';
    const values = meta.length === 1 ? { old: before[meta[0]!] ?? 'none', new: after[meta[0]!] ?? 'none' } : {};
    out.push(change(rule, `${type}.${meta[0]!}`, `${meta.join(', ')} changed`, values));
  }
  return out;
}

/** Top-level fields that differ, other than those ignored or handled. */
function changedFields(before: FhirResource, after: FhirResource, handled: Set<string>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter(k => !IGNORED.has(k) && !handled.has(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

function compareCapability(before: CapabilityStatement, after: CapabilityStatement): Change[] {
  const out: Change[] = [];
  const diffSets = (
    path: string,
    what: string,
    o: Iterable<string>,
    n: Iterable<string>,
    removed: Parameters<typeof change>[0],
    added: Parameters<typeof change>[0]
  ) => {
    const os = new Set(o);
    const ns = new Set(n);
    for (const x of os) if (!ns.has(x)) out.push(change(removed, path, `${what} ${x} removed`, { old: x }));
    for (const x of ns) if (!os.has(x)) out.push(change(added, path, `${what} ${x} added`, { new: x }));
  };
  const after_ = new Set(after.format ?? []);
  for (const f of before.format ?? []) if (!after_.has(f)) out.push(change('format-removed', 'CapabilityStatement.format', `format ${f} removed`, { old: f }));
  const rests = (c: CapabilityStatement) => new Map((c.rest ?? []).map(r => [r.mode, r]));
  const or = rests(before);
  const nr = rests(after);
  const empty: CapabilityStatementRest = { mode: 'server' };
  for (const mode of new Set([...or.keys(), ...nr.keys()])) {
    const o = or.get(mode) ?? empty;
    const n = nr.get(mode) ?? empty;
    const at = `CapabilityStatement.rest.where(mode='${mode}')`;
    diffSets(
      `${at}.interaction`,
      'system interaction',
      (o.interaction ?? []).map(i => i.code),
      (n.interaction ?? []).map(i => i.code),
      'interaction-removed',
      'interaction-added'
    );
    diffSets(
      `${at}.operation`,
      'system operation',
      (o.operation ?? []).map(i => i.name),
      (n.operation ?? []).map(i => i.name),
      'operation-removed',
      'operation-added'
    );
    diffSets(
      `${at}.searchParam`,
      'system search parameter',
      (o.searchParam ?? []).map(i => i.name),
      (n.searchParam ?? []).map(i => i.name),
      'search-param-removed',
      'search-param-added'
    );
    const ores = new Map((o.resource ?? []).map(r => [r.type, r]));
    const nres = new Map((n.resource ?? []).map(r => [r.type, r]));
    diffSets(`${at}.resource`, 'resource', ores.keys(), nres.keys(), 'resource-removed', 'resource-added');
    for (const [type, r] of nres) {
      const before = ores.get(type);
      if (!before) continue;
      const rat = `${at}.resource.where(type='${type}')`;
      diffSets(
        `${rat}.interaction`,
        'interaction',
        (before.interaction ?? []).map(i => i.code),
        (r.interaction ?? []).map(i => i.code),
        'interaction-removed',
        'interaction-added'
      );
      diffSets(
        `${rat}.searchParam`,
        'search parameter',
        (before.searchParam ?? []).map(i => i.name),
        (r.searchParam ?? []).map(i => i.name),
        'search-param-removed',
        'search-param-added'
      );
      diffSets(
        `${rat}.operation`,
        'operation',
        (before.operation ?? []).map(i => i.name),
        (r.operation ?? []).map(i => i.name),
        'operation-removed',
        'operation-added'
      );
      const profiles = (x: typeof r) => [x.profile ?? '', ...(x.supportedProfile ?? [])].join(' ');
      if (profiles(before) !== profiles(r))
        out.push(
          change('profile-claim-changed', `${rat}.profile`, `profiles of ${type} changed`, {
            old: profiles(before).trim() || 'none',
            new: profiles(r).trim() || 'none'
          })
        );
    }
  }
  return out;
}

function compareOperation(before: OperationDefinition, after: OperationDefinition): Change[] {
  const out: Change[] = [];
  const params = (op: OperationDefinition) => new Map((op.parameter ?? []).map(p => [`${p.use}:${p.name}`, p]));
  const o = params(before);
  const n = params(after);
  const path = (k: string) => `OperationDefinition.parameter.where(name='${k.split(':')[1]!}')`;
  for (const [k, p] of o) if (!n.has(k)) out.push(change('parameter-removed', path(k), `${p.use} parameter ${p.name} removed`, { old: `${p.min}..${p.max}` }));
  for (const [k, p] of n) {
    const b = o.get(k);
    if (!b) {
      out.push(
        p.min > 0 && p.use === 'in'
          ? change('required-element-added', path(k), `required in parameter ${p.name} added`, { new: `${p.min}..${p.max}` })
          : change('parameter-added', path(k), `${p.use} parameter ${p.name} added`, { new: `${p.min}..${p.max}` })
      );
      continue;
    }
    if (p.min > b.min) out.push(change('min-raised', path(k), `minimum of ${p.name} raised`, { old: b.min, new: p.min }));
    if (p.min < b.min) out.push(change('min-lowered', path(k), `minimum of ${p.name} lowered`, { old: b.min, new: p.min }));
    const max = (m: string) => (m === '*' ? Infinity : Number(m));
    if (max(p.max) < max(b.max)) out.push(change('max-lowered', path(k), `maximum of ${p.name} lowered`, { old: b.max, new: p.max }));
    if (max(p.max) > max(b.max)) out.push(change('max-raised', path(k), `maximum of ${p.name} raised`, { old: b.max, new: p.max }));
    if ((b.type ?? '') !== (p.type ?? ''))
      out.push(change('type-removed', path(k), `type of ${p.name} changed`, { old: b.type ?? 'none', new: p.type ?? 'none' }));
  }
  return out;
}
