/**
 * fhir-package-loader's resource index, held in plain maps instead of its default SQLite
 * database (sql.js, compiled to WebAssembly). SUSHI asks the index several thousand questions in a
 * compile ("which StructureDefinition has this id, name or url?") and the default answers each
 * with a freshly prepared SQL statement; with FHIR core's 4,480 rows, starting the database,
 * inserting the rows and those queries took about 1.2 s of a 4.4 s compile of this guide.
 *
 * The answers are the SQLite database's, row for row (test/compile/package-db.test.ts asks both
 * the same questions): same matching (id, name or url; `key|version`; resource types and
 * StructureDefinition flavors; package scope), same order (load order unless sorted, the loader's
 * `byType` and `byLoadOrder` sorts), and rows shaped as sql.js returns them (every column, `null`
 * where unset, a `rowid`).
 */
import type { FindResourceInfoOptions, PackageDB, PackageInfo, PackageStats, ResourceInfo } from 'fhir-package-loader';

/** StructureDefinition flavors: a type filter or sort naming one of these reads `sdFlavor`. */
const SD_FLAVORS = new Set(['Extension', 'Logical', 'Profile', 'Resource', 'Type']);
/** Every column of a resource row (the loader's SQL table), in its order, unset: sql.js hands out `null` for those. */
const NULL_ROW = {
  resourceType: null,
  id: null,
  url: null,
  name: null,
  version: null,
  sdKind: null,
  sdDerivation: null,
  sdType: null,
  sdBaseDefinition: null,
  sdAbstract: null,
  sdImposeProfiles: null,
  sdCharacteristics: null,
  sdFlavor: null,
  packageName: null,
  packageVersion: null,
  resourcePath: null
} as const;

type Row = { rowid: number } & Record<keyof typeof NULL_ROW, unknown>;
type PackageRow = { rowid: number } & Record<'name' | 'version' | 'packagePath' | 'packageJSONPath', unknown>;

export class MemoryPackageDB implements PackageDB {
  private rows: Row[] = [];
  private packages: PackageRow[] = [];
  /** id, name and url -> the rows that carry that value in any of the three, in load order. */
  private byKey = new Map<string, Row[]>();

  clear(): void {
    this.rows = [];
    this.packages = [];
    this.byKey.clear();
  }

  optimize(): void {}

  savePackageInfo(info: PackageInfo): void {
    // sql.js binds name and version always (so an empty string stays one), the others when set.
    this.packages.push({
      rowid: this.packages.length + 1,
      name: info.name,
      version: info.version,
      packagePath: info.packagePath || null,
      packageJSONPath: info.packageJSONPath || null
    });
  }

  saveResourceInfo(info: ResourceInfo): void {
    const row: Row = { rowid: this.rows.length + 1, ...NULL_ROW };
    row.resourceType = info.resourceType;
    for (const column of ['id', 'url', 'name', 'version', 'packageName', 'packageVersion', 'resourcePath'] as const)
      if (info[column]) row[column] = info[column];
    if (info.resourceType === 'StructureDefinition') {
      for (const column of ['sdKind', 'sdDerivation', 'sdType', 'sdBaseDefinition', 'sdFlavor'] as const) if (info[column]) row[column] = info[column];
      if (info.sdAbstract != null) row.sdAbstract = info.sdAbstract ? 1 : 0;
      if (info.sdImposeProfiles?.length) row.sdImposeProfiles = [...info.sdImposeProfiles];
      if (info.sdCharacteristics?.length) row.sdCharacteristics = [...info.sdCharacteristics];
    }
    this.rows.push(row);
    const keys = new Set([row.id, row.name, row.url].filter((k): k is string => typeof k === 'string'));
    for (const key of keys) {
      const list = this.byKey.get(key);
      if (list) list.push(row);
      else this.byKey.set(key, [row]);
    }
  }

  findPackageInfos(name: string): PackageInfo[] {
    return this.packages.filter(p => name === '*' || p.name === name).map(toPackageInfo);
  }

  findPackageInfo(name: string, version: string): PackageInfo | undefined {
    const found = this.packages.find(p => p.name === name && p.version === version);
    return found ? toPackageInfo(found) : undefined;
  }

  findResourceInfos(key: string, options: FindResourceInfoOptions = {}): ResourceInfo[] {
    const [keyText = '', ...keyVersion] = (key ?? '').split('|');
    const version = keyVersion.length ? keyVersion.join('|') : undefined;
    const candidates = keyText === '*' ? this.rows : (this.byKey.get(keyText) ?? []);
    const types = options.type?.length ? typeFilter(options.type) : undefined;
    const [scopeName, ...scopeVersion] = options.scope?.length ? options.scope.split('|') : [];
    const scopeVer = scopeVersion.length ? scopeVersion.join('|') : undefined;
    let found = candidates.filter(
      row =>
        (version === undefined || row.version === version) &&
        (!types || types(row)) &&
        (scopeName === undefined || row.packageName === scopeName) &&
        (scopeVer === undefined || row.packageVersion === scopeVer)
    );
    if (options.sort?.length) found = sortRows(found, options.sort);
    if (options.limit) found = found.slice(0, Math.max(0, Math.trunc(Number(options.limit))));
    return found.map(toInfo);
  }

  findResourceInfo(key: string, options: FindResourceInfoOptions = {}): ResourceInfo | undefined {
    return this.findResourceInfos(key, { ...options, limit: 1 })[0];
  }

  getPackageStats(name: string, version: string): PackageStats | undefined {
    if (!this.findPackageInfo(name, version)) return undefined;
    const resourceCount = this.rows.filter(r => r.packageName === name && r.packageVersion === version).length;
    return { name, version, resourceCount };
  }

  exportDB(): Promise<{ mimeType: string; data: Buffer }> {
    return Promise.resolve({ mimeType: 'application/json', data: Buffer.from(JSON.stringify({ packages: this.packages, resources: this.rows })) });
  }
}

/** A row matches a type filter by its resource type, or (for a flavor name) by its sdFlavor. */
function typeFilter(types: readonly string[]): (row: Row) => boolean {
  const flavors = new Set(types.filter(t => SD_FLAVORS.has(t)));
  const resourceTypes = new Set(types.filter(t => !SD_FLAVORS.has(t)));
  return row =>
    (typeof row.resourceType === 'string' && resourceTypes.has(row.resourceType)) ||
    (flavors.size > 0 && row.resourceType === 'StructureDefinition' && typeof row.sdFlavor === 'string' && flavors.has(row.sdFlavor));
}

/**
 * The loader's sorts, as its SQL states them: `Type` puts rows of each listed type first, in the
 * order listed; `LoadOrder` orders by row number. Ties keep load order (SQLite leaves them unspecified; every sort SUSHI asks for ends with load order).
 */
function sortRows(rows: readonly Row[], sort: NonNullable<FindResourceInfoOptions['sort']>): Row[] {
  const keys: ((row: Row) => number)[] = [];
  for (const s of sort) {
    if (s.sortBy === 'LoadOrder') {
      const sign = s.ascending ? 1 : -1;
      keys.push(row => sign * row.rowid);
    } else if (s.sortBy === 'Type') {
      const types: unknown = s.types;
      for (const type of Array.isArray(types) ? types.filter(t => typeof t === 'string') : []) {
        const field = SD_FLAVORS.has(type) ? 'sdFlavor' : 'resourceType';
        keys.push(row => (row[field] === type ? 0 : 1));
      }
    }
  }
  return [...rows].sort((a, b) => {
    for (const key of keys) {
      const d = key(a) - key(b);
      if (d !== 0) return d;
    }
    return a.rowid - b.rowid;
  });
}

/**
 * A package row as sql.js hands it out: every column, `null` where unset. The loader types its
 * rows as PackageInfo (its own SQL answers are `any`), so it takes these too: the one place they
 * are passed off as that type.
 */
function toPackageInfo(row: PackageRow): PackageInfo {
  return { ...row } as unknown as PackageInfo;
}

/** A row as sql.js hands it out: every column, arrays fresh, the abstract flag a boolean. */
function toInfo(row: Row): ResourceInfo {
  const info: Record<string, unknown> = { ...row };
  if (Array.isArray(row.sdImposeProfiles)) info.sdImposeProfiles = [...row.sdImposeProfiles];
  if (Array.isArray(row.sdCharacteristics)) info.sdCharacteristics = [...row.sdCharacteristics];
  if (row.sdAbstract != null) info.sdAbstract = row.sdAbstract ? true : false;
  return info as ResourceInfo;
}
