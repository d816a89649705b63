/**
 * The FHIR package cache the toolchain reads: the project-local cache first (where the core
 * package is written and `vm-ig packages add` installs), then the user's `~/.fhir/packages`,
 * shared with SUSHI and the IG Publisher (where downloads go: resolve.ts). Implements
 * fhir-package-loader's `PackageCache` interface. A package is used only when complete: in the
 * project-local cache, its install record or index must match its files; in the shared cache, a
 * package vm-ig installed must match its install record and one with an index must have every
 * file it lists (one SUSHI or the IG Publisher unpacked without an index is taken as it is).
 * A half-installed one is treated as missing, so it is downloaded or added again.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { join } from 'node:path';
import { DiskBasedPackageCache, type PackageCache } from 'fhir-package-loader';
import { packageVersionProblem } from './package-id.ts';
import { INSTALL_RECORD, indexProblem, installedPackageProblem } from './packages-add.ts';
import { compareText } from './order.ts';

export class LayeredPackageCache implements PackageCache {
  private readonly local: DiskBasedPackageCache;
  private readonly layers: { dir: string; cache: DiskBasedPackageCache }[];
  private readonly checked = new Map<string, string | undefined>();

  constructor(localDir: string, readOnlyDirs: readonly string[] = []) {
    this.local = new DiskBasedPackageCache(localDir);
    this.layers = [{ dir: localDir, cache: this.local }, ...readOnlyDirs.map(dir => ({ dir, cache: new DiskBasedPackageCache(dir) }))];
  }

  /** Tarballs are only ever written to the project-local cache. */
  cachePackageTarball(name: string, version: string, data: Readable): Promise<string> {
    return this.local.cachePackageTarball(name, version, data);
  }

  isPackageInCache(name: string, version: string): boolean {
    return this.layerFor(name, version) !== undefined;
  }

  getPackagePath(name: string, version: string): string | undefined {
    return this.layerFor(name, version)?.getPackagePath(name, version);
  }

  getPackageJSONPath(name: string, version: string): string | undefined {
    return this.layerFor(name, version)?.getPackageJSONPath(name, version);
  }

  getPotentialResourcePaths(name: string, version: string): string[] {
    return this.layerFor(name, version)?.getPotentialResourcePaths(name, version) ?? [];
  }

  getResourceAtPath(resourcePath: string): unknown {
    return this.local.getResourceAtPath(resourcePath);
  }

  /** Every version of `name` present in any layer, highest first (for messages and `latest`). */
  cachedVersions(name: string): string[] {
    const versions = new Set<string>();
    for (const { dir } of this.layers) {
      if (!existsSync(dir)) continue;
      for (const entry of readdirSync(dir)) {
        const [pkg, version] = entry.split('#');
        if (pkg === name && packageVersionProblem(version) === undefined) versions.add(version!);
      }
    }
    return [...versions].sort(compareVersionsDesc);
  }

  /** Why the project-local copy of a package is not used (incomplete), or undefined. */
  localProblem(name: string, version: string): string | undefined {
    return this.problemIn(0, name, version);
  }

  /** Why the copy of a package in layer `i` is not used (incomplete), or undefined. */
  problemIn(i: number, name: string, version: string): string | undefined {
    const dir = join(this.layers[i]!.dir, `${name}#${version}`);
    if (!existsSync(dir)) return undefined;
    if (!this.checked.has(dir)) this.checked.set(dir, i === 0 ? installedPackageProblem(dir) : sharedPackageProblem(dir));
    return this.checked.get(dir);
  }

  /** Every complete package in every layer, for `vm-ig packages list`. */
  list(): CachedPackage[] {
    const out: CachedPackage[] = [];
    for (const [i, { dir }] of this.layers.entries()) {
      if (!existsSync(dir)) continue;
      for (const entry of readdirSync(dir).sort(compareText)) {
        const [name, version, extra] = entry.split('#');
        if (!name || !version || extra !== undefined || packageVersionProblem(version) !== undefined) continue;
        if (!existsSync(join(dir, entry, 'package', 'package.json'))) continue;
        out.push({ name, version, dir: join(dir, entry), problem: this.problemIn(i, name, version), bytes: folderBytes(join(dir, entry)) });
      }
    }
    return out;
  }

  /** The folders searched, in order, for messages. */
  get directories(): string[] {
    return this.layers.map(l => l.dir);
  }

  private layerFor(name: string, version: string): DiskBasedPackageCache | undefined {
    return this.layers.find((l, i) => l.cache.getPackageJSONPath(name, version) !== undefined && this.problemIn(i, name, version) === undefined)?.cache;
  }
}

export interface CachedPackage {
  name: string;
  version: string;
  dir: string;
  bytes: number;
  /** Why it is not used (incomplete), or undefined. */
  problem?: string;
}

/** A package in the shared cache: checked against vm-ig's install record, else its index when it has one. */
function sharedPackageProblem(dir: string): string | undefined {
  if (existsSync(join(dir, INSTALL_RECORD))) return installedPackageProblem(dir);
  return indexProblem(join(dir, 'package'));
}

function folderBytes(dir: string): number {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) n += folderBytes(full);
    else if (entry.isFile()) n += statSync(full).size;
  }
  return n;
}

function compareVersionsDesc(a: string, b: string): number {
  const pa = a.split(/[.-]/).map(n => Number.parseInt(n, 10));
  const pb = b.split(/[.-]/).map(n => Number.parseInt(n, 10));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pb[i] || 0) - (pa[i] || 0);
    if (d !== 0) return d;
  }
  return compareText(b, a);
}
