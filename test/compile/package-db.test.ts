/**
 * The in-memory package index answers every question exactly as fhir-package-loader's SQLite
 * index does: both are filled with the same rows (FHIR core's, plus a second package that
 * redefines some of them so order and scope matter) and asked the same questions, the ones SUSHI
 * asks (its fishing sorts and type lists) and others.
 */
import sushi from 'fsh-sushi';
import { byLoadOrder, byType, DiskBasedPackageCache, SQLJSPackageDB, type FindResourceInfoOptions, type ResourceInfo } from 'fhir-package-loader';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryPackageDB } from '../../scripts/stages/compile/package-db.ts';
import { ensureCorePackage } from '../../scripts/fhir/core-package.ts';
import { SHARED_PACKAGE_CACHE } from '../helpers/project.ts';

const CACHE = SHARED_PACKAGE_CACHE;
const FISHING = ['Resource', 'Logical', 'Type', 'Profile', 'Extension', 'ValueSet', 'CodeSystem', 'Instance'];

let memory: MemoryPackageDB;
let sql: SQLJSPackageDB;
let rows: ResourceInfo[];

beforeAll(async () => {
  ensureCorePackage(CACHE);
  memory = new MemoryPackageDB();
  const defs = new sushi.fhirdefs.FHIRDefinitions({ packageDB: memory, packageCache: new DiskBasedPackageCache(CACHE) });
  await defs.initialize();
  expect(await defs.loadPackage('hl7.fhir.r4.core', '4.0.1')).toBe('LOADED');
  sql = new SQLJSPackageDB();
  await sql.initialize();
  for (const p of memory.findPackageInfos('*')) sql.savePackageInfo(withoutNulls(p));
  rows = memory.findResourceInfos('*').map(withoutNulls);
  for (const row of rows) sql.saveResourceInfo(row);
  // A second package that redefines some core resources (as a newer version) and adds others.
  sql.savePackageInfo({ name: 'example.other', version: '2.0.0' });
  memory.savePackageInfo({ name: 'example.other', version: '2.0.0' });
  const extra: ResourceInfo[] = rows
    .filter((_, i) => i % 37 === 0)
    .map((r, i) => ({ ...r, version: i % 2 ? '9.9.9' : r.version, packageName: 'example.other', packageVersion: '2.0.0', resourcePath: `/x/${i}.json` }));
  extra.push({
    resourceType: 'StructureDefinition',
    id: 'Patient',
    name: 'Patient',
    url: 'http://example.org/Patient',
    sdFlavor: 'Profile',
    sdAbstract: false,
    sdImposeProfiles: ['http://a', 'http://b'],
    packageName: 'example.other',
    packageVersion: '2.0.0'
  });
  extra.push({ resourceType: 'Basic', id: '', name: 'Patient', packageName: 'example.other', packageVersion: '2.0.0' });
  for (const row of extra) {
    sql.saveResourceInfo(row);
    memory.saveResourceInfo(row);
  }
  rows.push(...extra);
}, 120_000);

function withoutNulls<T extends object>(row: T): T {
  return Object.fromEntries(Object.entries(row).filter(([k, v]) => v !== null && k !== 'rowid')) as T;
}

const OPTIONS: FindResourceInfoOptions[] = [
  {},
  { limit: 1 },
  { sort: [byType(...FISHING), byLoadOrder(false)] },
  { sort: [byType(...FISHING), byLoadOrder(false)], limit: 1 },
  { type: ['Profile', 'Extension'], sort: [byType(...FISHING), byLoadOrder(false)] },
  { type: ['ValueSet', 'CodeSystem', 'Resource'], sort: [byType('CodeSystem', 'ValueSet'), byLoadOrder(true)] },
  { type: ['StructureDefinition'] },
  { type: ['Type'], limit: 3 },
  { scope: 'example.other' },
  { scope: 'hl7.fhir.r4.core|4.0.1', type: ['Logical', 'Extension', 'Profile'] },
  { scope: 'hl7.fhir.r4.core|0.0.0' },
  { sort: [byLoadOrder(true)] },
  // A type sort without a load-order tie-break leaves SQLite's order of ties unspecified: SUSHI never asks one.
  { type: ['Profile', 'ValueSet', 'Type'], sort: [byType('Type', 'ValueSet'), byLoadOrder(true)] },
  { sort: [byLoadOrder(false)], type: ['Resource', 'Basic'] }
];

describe('MemoryPackageDB', () => {
  it('answers like the SQLite index, row for row', () => {
    const keys = new Set<string>(['*', '', 'Patient', 'no-such-thing', 'Patient|9.9.9', 'http://hl7.org/fhir/StructureDefinition/Patient|4.0.1']);
    rows.forEach((r, i) => {
      if (i % 61 !== 0) return;
      for (const k of [r.id, r.name, r.url]) if (k) keys.add(k);
      if (r.url && r.version) keys.add(`${r.url}|${r.version}`);
    });
    let compared = 0;
    for (const key of keys) {
      for (const options of OPTIONS) {
        if (key === '*' && !options.limit && !options.scope && !options.type) continue;
        const expected = sql.findResourceInfos(key, options);
        expect(memory.findResourceInfos(key, options), `${key} ${JSON.stringify(options)}`).toEqual(expected);
        expect(memory.findResourceInfo(key, options)).toEqual(sql.findResourceInfo(key, options));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('answers package questions like the SQLite index', () => {
    for (const name of ['*', 'hl7.fhir.r4.core', 'example.other', 'absent']) expect(memory.findPackageInfos(name)).toEqual(sql.findPackageInfos(name));
    expect(memory.findPackageInfo('hl7.fhir.r4.core', '4.0.1')).toEqual(sql.findPackageInfo('hl7.fhir.r4.core', '4.0.1'));
    expect(memory.findPackageInfo('hl7.fhir.r4.core', '4.0.0')).toEqual(sql.findPackageInfo('hl7.fhir.r4.core', '4.0.0'));
    expect(memory.getPackageStats('hl7.fhir.r4.core', '4.0.1')).toEqual(sql.getPackageStats('hl7.fhir.r4.core', '4.0.1'));
    expect(memory.getPackageStats('example.other', '2.0.0')?.resourceCount).toBeGreaterThan(100);
    expect(memory.getPackageStats('absent', '1')).toEqual(sql.getPackageStats('absent', '1'));
  });

  it('hands out copies: a caller changing a row changes nothing stored', () => {
    const [first] = memory.findResourceInfos('http://example.org/Patient');
    first!.sdImposeProfiles!.push('http://c');
    first!.url = 'changed';
    expect(memory.findResourceInfos('http://example.org/Patient')[0]!.sdImposeProfiles).toEqual(['http://a', 'http://b']);
  });

  it('empties on clear', () => {
    const db = new MemoryPackageDB();
    db.savePackageInfo({ name: 'a', version: '1' });
    db.saveResourceInfo({ resourceType: 'ValueSet', id: 'v', packageName: 'a', packageVersion: '1' });
    db.clear();
    expect(db.findResourceInfos('*')).toEqual([]);
    expect(db.findPackageInfos('*')).toEqual([]);
  });
});
