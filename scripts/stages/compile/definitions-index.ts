/**
 * Lazy loading of FHIR packages for SUSHI. fhir-package-loader indexes a package by reading and
 * parsing every resource file in it (59 MB for FHIR core), though a compile then opens a few
 * hundred. This wrapper of the package cache answers that indexing pass from a stub index: per
 * file, only the fields the loader indexes (resourceType, id, url, name, version and the
 * StructureDefinition fields it classifies by). Every later read is the real file.
 *
 * The stub index of a package folder is built once, by reading every file as the loader would,
 * and kept in the per-user cache (`~/.cache/vm-ig/definitions-index/`, shared by every project),
 * keyed by the package folder, each file's name, size and modification time, and the loader's version: a package that
 * changed on disk gets a new index, never a stale one. An index that does not parse or does not
 * match is rebuilt.
 */
import { createHash } from 'node:crypto';
import { toolchainRequire } from '../../util/toolchain-files.ts';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { PackageCache } from 'fhir-package-loader';
import { writeFileAtomic } from '../../util/atomic.ts';
import { isJsonObject } from '../../fhir/json.ts';

const FORMAT = 'vm-ig-definitions-index/1';
/** Extensions fhir-package-loader reads when it indexes a StructureDefinition. */
const INDEXED_EXTENSIONS = new Set([
  'http://hl7.org/fhir/StructureDefinition/structuredefinition-imposeProfile',
  'http://hl7.org/fhir/StructureDefinition/structuredefinition-type-characteristics',
  'http://hl7.org/fhir/tools/StructureDefinition/logical-target'
]);
const TOP_FIELDS = ['resourceType', 'id', 'url', 'name', 'version'] as const;
const SD_FIELDS = ['kind', 'derivation', 'type', 'baseDefinition', 'abstract'] as const;

/** A file's stand-in for indexing; `null` when the file is not JSON (the loader skips it too). */
type Stub = Record<string, unknown> | null;

interface PackageCacheWithVersions extends PackageCache {
  cachedVersions(name: string): string[];
  readonly directories: string[];
}

export class IndexedPackageCache implements PackageCache {
  /** Stubs for the files of the package being indexed right now, each handed out once. */
  private readonly pending = new Map<string, Stub>();

  constructor(
    private readonly inner: PackageCacheWithVersions,
    private readonly indexDir: string
  ) {}

  get directories(): string[] {
    return this.inner.directories;
  }

  cachedVersions(name: string): string[] {
    return this.inner.cachedVersions(name);
  }

  cachePackageTarball(name: string, version: string, data: Readable): Promise<string> {
    return this.inner.cachePackageTarball(name, version, data);
  }

  isPackageInCache(name: string, version: string): boolean {
    return this.inner.isPackageInCache(name, version);
  }

  getPackagePath(name: string, version: string): string | undefined {
    return this.inner.getPackagePath(name, version);
  }

  getPackageJSONPath(name: string, version: string): string | undefined {
    return this.inner.getPackageJSONPath(name, version);
  }

  /** The loader asks for a package's files just before it indexes them: prepare their stubs. */
  getPotentialResourcePaths(name: string, version: string): string[] {
    const files = this.inner.getPotentialResourcePaths(name, version);
    this.pending.clear();
    const stubs = this.stubsFor(files);
    files.forEach((file, i) => this.pending.set(file, stubs[i]!));
    return files;
  }

  getResourceAtPath(resourcePath: string): unknown {
    if (this.pending.has(resourcePath)) {
      const stub = this.pending.get(resourcePath)!;
      this.pending.delete(resourcePath);
      if (stub === null) throw new Error(`${resourcePath} is not JSON`);
      return stub;
    }
    return this.inner.getResourceAtPath(resourcePath);
  }

  private stubsFor(files: readonly string[]): Stub[] {
    const listing = files.map(f => {
      const s = statSync(f);
      return `${resolve(f)}\u0000${s.size}\u0000${s.mtimeMs}`;
    });
    const key = createHash('sha256')
      .update(`${FORMAT}\n${loaderVersion()}\n${listing.join('\n')}`)
      .digest('hex');
    const file = join(this.indexDir, `${key}.json`);
    const stored = readIndex(file, key, files.length);
    if (stored) return stored;
    const stubs = files.map(f => stubOf(f, p => this.inner.getResourceAtPath(p)));
    try {
      writeFileAtomic(file, JSON.stringify({ format: FORMAT, key, stubs }));
    } catch {
      // An index that cannot be stored only costs the next run this same full read.
    }
    return stubs;
  }
}

function readIndex(file: string, key: string, count: number): Stub[] | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const index: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isJsonObject(index) || index.format !== FORMAT || index.key !== key || !Array.isArray(index.stubs) || index.stubs.length !== count) return undefined;
    const stubs: Stub[] = [];
    for (const s of index.stubs) {
      if (s !== null && !isJsonObject(s)) return undefined;
      stubs.push(s);
    }
    return stubs;
  } catch {
    return undefined;
  }
}

function stubOf(file: string, read: (path: string) => unknown): Stub {
  let json: unknown;
  try {
    json = read(file);
  } catch {
    return null;
  }
  if (!isJsonObject(json)) return {};
  const r = json;
  const stub: Record<string, unknown> = {};
  for (const k of TOP_FIELDS) if (k in r) stub[k] = r[k];
  if (r.resourceType === 'StructureDefinition') {
    for (const k of SD_FIELDS) if (k in r) stub[k] = r[k];
    if (Array.isArray(r.extension)) {
      const ext = r.extension.filter(e => isJsonObject(e) && typeof e.url === 'string' && INDEXED_EXTENSIONS.has(e.url));
      if (ext.length) stub.extension = ext;
    }
  }
  return stub;
}

let version: string | undefined;

function loaderVersion(): string {
  if (version === undefined) {
    const manifest: unknown = JSON.parse(readFileSync(toolchainRequire.resolve('fhir-package-loader/package.json'), 'utf8'));
    version = isJsonObject(manifest) && typeof manifest.version === 'string' ? manifest.version : 'unknown';
  }
  return version;
}
