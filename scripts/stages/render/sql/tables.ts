/**
 * The database a guide's `{% sql %}` queries read: the IG Publisher's tables (Metadata,
 * Resources, the code systems' Properties, Concepts, ConceptProperties and Designations,
 * ConceptMappings, ValueSet_Codes, and the CodeSystemList / ValueSetList views), with the same
 * table and column names, filled from this build's resources. `Web` is each resource's page in
 * this site; `Json` its JSON. Nothing here runs SQL: the tables are plain data, loaded into
 * SQLite on the query thread (run.ts).
 */
import type { FhirResource } from '../../../model/resources.ts';
import type { ProjectConfig } from '../../../project/config.ts';
import { expandValueSet } from '../../../fhir/valueset-expansion.ts';
import type { Artifact, ArtifactIndex } from '../model.ts';
import { isObjectLike } from '../guards.ts';

export type SqlValue = string | number | null;

export interface TableData {
  name: string;
  /** `CREATE TABLE` statement. */
  create: string;
  columns: readonly string[];
  rows: SqlValue[][];
}

/** Table -> its columns as [name, SQLite type and constraint]; the first column is the key. */
const SCHEMA: Record<string, [string, string][]> = {
  Metadata: [
    ['Key', 'integer NOT NULL'],
    ['Name', 'nvarchar NOT NULL'],
    ['Value', 'nvarchar NOT NULL']
  ],
  Resources: [
    ['Key', 'integer NOT NULL'],
    ['Type', 'nvarchar NOT NULL'],
    ['Custom', 'integer NOT NULL'],
    ['Id', 'nvarchar NOT NULL'],
    ['Web', 'nvarchar NOT NULL'],
    ...text(['Url', 'Version', 'Status', 'Date', 'Name', 'Title', 'Experimental', 'Realm', 'Description', 'Purpose', 'Copyright', 'CopyrightLabel']),
    ...text(['derivation', 'standardStatus', 'kind', 'sdType', 'base', 'content', 'supplements']),
    ['Json', 'nvarchar NOT NULL']
  ],
  Properties: [['Key', 'integer NOT NULL'], ['ResourceKey', 'integer NOT NULL'], ['Code', 'varchar NOT NULL'], ...text(['Uri', 'Description', 'Type'])],
  Concepts: [['Key', 'integer NOT NULL'], ['ResourceKey', 'integer NOT NULL'], ['ParentKey', 'integer NULL'], ...text(['Code', 'Display', 'Definition'])],
  ConceptProperties: [
    ['Key', 'integer NOT NULL'],
    ['ResourceKey', 'integer NOT NULL'],
    ['ConceptKey', 'integer NOT NULL'],
    ['PropertyKey', 'integer NULL'],
    ...text(['Code', 'Value'])
  ],
  Designations: [
    ['Key', 'integer NOT NULL'],
    ['ResourceKey', 'integer NOT NULL'],
    ['ConceptKey', 'integer NOT NULL'],
    ...text(['UseSystem', 'UseCode', 'Lang', 'Value'])
  ],
  ConceptMappings: [
    ['Key', 'integer NOT NULL'],
    ['ResourceKey', 'integer NOT NULL'],
    ...text(['SourceSystem', 'SourceVersion', 'SourceCode', 'Relationship', 'TargetSystem', 'TargetVersion', 'TargetCode'])
  ],
  ValueSet_Codes: [
    ['Key', 'integer NOT NULL'],
    ['ResourceKey', 'integer NOT NULL'],
    ['ValueSetUri', 'nvarchar NOT NULL'],
    ['ValueSetVersion', 'nvarchar NULL'],
    ['System', 'nvarchar NOT NULL'],
    ['Version', 'nvarchar NULL'],
    ['Code', 'nvarchar NOT NULL'],
    ['Display', 'nvarchar NULL']
  ],
  CodeSystemList: listColumns('CodeSystemListKey'),
  CodeSystemListOIDs: [
    ['CodeSystemListKey', 'integer NOT NULL'],
    ['OID', 'nvarchar NOT NULL']
  ],
  CodeSystemListRefs: refColumns('CodeSystemListKey'),
  ValueSetList: listColumns('ValueSetListKey'),
  ValueSetListOIDs: [
    ['ValueSetListKey', 'integer NOT NULL'],
    ['OID', 'nvarchar NOT NULL']
  ],
  ValueSetListSystems: [
    ['ValueSetListKey', 'integer NOT NULL'],
    ['URL', 'nvarchar NOT NULL']
  ],
  ValueSetListSources: [
    ['ValueSetListKey', 'integer NOT NULL'],
    ['Source', 'nvarchar NOT NULL']
  ],
  ValueSetListRefs: refColumns('ValueSetListKey')
};

/** Primary keys that span more than the first column. */
const COMPOSITE_KEYS: Record<string, string[]> = {
  CodeSystemListOIDs: ['CodeSystemListKey', 'OID'],
  CodeSystemListRefs: ['CodeSystemListKey', 'Type', 'Id'],
  ValueSetListOIDs: ['ValueSetListKey', 'OID'],
  ValueSetListSystems: ['ValueSetListKey', 'URL'],
  ValueSetListSources: ['ValueSetListKey', 'Source'],
  ValueSetListRefs: ['ValueSetListKey', 'Type', 'Id']
};

function text(names: string[]): [string, string][] {
  return names.map(n => [n, 'nvarchar NULL']);
}

function listColumns(key: string): [string, string][] {
  return [
    [key, 'integer NOT NULL'],
    ['ViewType', 'integer NOT NULL'],
    ['ResourceKey', 'integer NULL'],
    ...text(['Url', 'Version', 'Status', 'Name', 'Title', 'Description'])
  ];
}

function refColumns(key: string): [string, string][] {
  return [[key, 'integer NOT NULL'], ['Type', 'nvarchar NOT NULL'], ['Id', 'nvarchar NOT NULL'], ['ResourceKey', 'integer NULL'], ...text(['Title', 'Web'])];
}

/** `ViewType` of the list rows: the guide's own code systems and value sets (the only ones listed here). */
export const OWN_VIEW = 1;

/** The guide's tables: every resource of the index, its concepts, mappings and expansions. */
export function guideTables(index: ArtifactIndex, config: ProjectConfig): TableData[] {
  const rows = new Map<string, SqlValue[][]>(Object.keys(SCHEMA).map(name => [name, []]));
  const add = (table: string, row: SqlValue[]) => {
    const list = rows.get(table)!;
    list.push([list.length + 1, ...row]);
    return list.length;
  };
  const metadata: [string, string | undefined][] = [
    ['id', config.id],
    ['packageId', config.packageId],
    ['canonical', config.canonical],
    ['name', config.name],
    ['title', config.title],
    ['version', config.version],
    ['status', config.status],
    ['date', config.date],
    ['fhirVersion', config.fhirVersion],
    ['publisher', config.publisher]
  ];
  for (const [name, value] of metadata) if (value) add('Metadata', [name, value]);
  const keys = new Map<Artifact, number>();
  const json = new Map(index.artifacts.map(a => [a, JSON.stringify(a.resource)]));
  for (const a of index.artifacts) keys.set(a, add('Resources', resourceRow(a, json.get(a)!)));
  for (const a of index.artifacts) {
    const key = keys.get(a)!;
    const r = a.resource;
    if (r.resourceType === 'CodeSystem') addCodeSystem(r, key, add);
    else if (r.resourceType === 'ConceptMap') addConceptMap(r, key, add);
    else if (r.resourceType === 'ValueSet') addValueSetCodes(r, key, index, add);
  }
  const users = usersByCanonical(json);
  for (const a of index.artifacts) {
    const r = a.resource;
    if (r.resourceType !== 'CodeSystem' && r.resourceType !== 'ValueSet') continue;
    const isCs = r.resourceType === 'CodeSystem';
    const listKey = add(isCs ? 'CodeSystemList' : 'ValueSetList', [
      OWN_VIEW,
      keys.get(a)!,
      ...pick(r, ['url', 'version', 'status', 'name', 'title', 'description'])
    ]);
    const prefix = isCs ? 'CodeSystemList' : 'ValueSetList';
    for (const oid of new Set(oidsOf(r))) rows.get(`${prefix}OIDs`)!.push([listKey, oid]);
    if (!isCs) for (const system of includedSystems(r)) rows.get('ValueSetListSystems')!.push([listKey, system]);
    for (const user of (typeof r.url === 'string' ? users.get(r.url) : undefined) ?? []) {
      rows.get(`${prefix}Refs`)!.push([listKey, user.resource.resourceType, user.resource.id ?? '', keys.get(user)!, user.title, user.page]);
    }
  }
  return Object.entries(SCHEMA).map(([name, columns]) => ({
    name,
    create: createStatement(name, columns),
    columns: columns.map(c => c[0]),
    rows: rows.get(name)!
  }));
}

function createStatement(name: string, columns: [string, string][]): string {
  const key = COMPOSITE_KEYS[name] ?? [columns[0]![0]];
  return `CREATE TABLE ${name} (${columns.map(([c, type]) => `${c} ${type}`).join(', ')}, PRIMARY KEY (${key.join(', ')}))`;
}

type Add = (table: string, row: SqlValue[]) => number;

function str(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

function pick(r: Record<string, unknown>, names: string[]): SqlValue[] {
  return names.map(n => str(r[n]));
}

function objects(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)) : [];
}

const STANDARDS_STATUS = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-standards-status';

function resourceRow(a: Artifact, json: string): SqlValue[] {
  const r = a.resource;
  const sd = r.resourceType === 'StructureDefinition';
  const cs = r.resourceType === 'CodeSystem';
  const canonical = typeof r.url === 'string';
  const standardStatus = objects(r.extension).find(e => e.url === STANDARDS_STATUS)?.valueCode;
  return [
    r.resourceType,
    0,
    r.id ?? '',
    a.page,
    str(r.url),
    str(r.version),
    str(r.status),
    str(r.date),
    // A resource without a name of its own is known by its title in the guide (the IG's entry).
    str(r.name) ?? (canonical ? null : a.title),
    str(r.title),
    str(r.experimental),
    null,
    str(r.description) ?? (canonical || !a.description ? null : a.description),
    str(r.purpose),
    str(r.copyright),
    str(r.copyrightLabel),
    sd ? str(r.derivation) : null,
    str(standardStatus),
    sd ? str(r.kind) : null,
    sd ? str(r.type) : null,
    sd ? str(r.baseDefinition) : null,
    cs ? str(r.content) : null,
    cs ? str(r.supplements) : null,
    json
  ];
}

function addCodeSystem(cs: FhirResource, key: number, add: Add): void {
  const properties = new Map<string, number>();
  for (const p of objects(cs.property)) {
    const code = str(p.code);
    if (code === null) continue;
    properties.set(code, add('Properties', [key, code, str(p.uri), str(p.description), str(p.type)]));
  }
  const walk = (concepts: Record<string, unknown>[], parent: number | null) => {
    for (const c of concepts) {
      const conceptKey = add('Concepts', [key, parent, str(c.code), str(c.display), str(c.definition)]);
      for (const p of objects(c.property)) {
        const code = str(p.code);
        add('ConceptProperties', [key, conceptKey, code === null ? null : (properties.get(code) ?? null), code, propertyValue(p)]);
      }
      for (const d of objects(c.designation)) {
        const use = isObjectLike(d.use) ? d.use : {};
        add('Designations', [key, conceptKey, str(use.system), str(use.code), str(d.language), str(d.value)]);
      }
      walk(objects(c.concept), conceptKey);
    }
  };
  walk(objects(cs.concept), null);
}

/** A concept property's value as text: the primitive, or a Coding's code. */
function propertyValue(p: Record<string, unknown>): string | null {
  for (const [name, value] of Object.entries(p)) {
    if (!name.startsWith('value')) continue;
    if (name === 'valueCoding' && isObjectLike(value)) return str(value.code);
    return str(value);
  }
  return null;
}

function addConceptMap(cm: FhirResource, key: number, add: Add): void {
  for (const group of objects(cm.group)) {
    for (const element of objects(group.element)) {
      for (const target of objects(element.target)) {
        const relationship = str(target.relationship) ?? str(target.equivalence);
        add('ConceptMappings', [
          key,
          str(group.source),
          str(group.sourceVersion),
          str(element.code),
          relationship,
          str(group.target),
          str(group.targetVersion),
          str(target.code)
        ]);
      }
    }
  }
}

function addValueSetCodes(vs: FhirResource, key: number, index: ArtifactIndex, add: Add): void {
  const url = str(vs.url);
  if (url === null) return;
  const expansion = expandValueSet(u => index.byUrl.get(u)?.resource, vs);
  for (const c of expansion.codes) add('ValueSet_Codes', [key, url, str(vs.version), c.system, null, c.code, c.display ?? null]);
}

function oidsOf(r: FhirResource): string[] {
  return objects(r.identifier)
    .map(i => str(i.value))
    .filter((v): v is string => v !== null && v.startsWith('urn:oid:'))
    .map(v => v.slice('urn:oid:'.length));
}

function includedSystems(vs: FhirResource): string[] {
  const compose = isObjectLike(vs.compose) ? vs.compose : {};
  return [...new Set(objects(compose.include).flatMap(i => (typeof i.system === 'string' ? [i.system] : [])))];
}

/**
 * For each canonical a resource names (bindings, compose, codings: any string value, `|version`
 * aside), the other resources of the guide that name it. One pass over the JSON texts.
 */
function usersByCanonical(json: ReadonlyMap<Artifact, string>): Map<string, Artifact[]> {
  const users = new Map<string, Artifact[]>();
  for (const [a, text] of json) {
    const named = new Set<string>();
    for (const m of text.matchAll(/"([a-z][a-z0-9+.-]*:[^"|\\]+)(?:\|[^"\\]*)?"/gi)) named.add(m[1]!);
    for (const url of named) {
      if (url === a.resource.url) continue;
      const list = users.get(url);
      if (list) list.push(a);
      else users.set(url, [a]);
    }
  }
  return users;
}
