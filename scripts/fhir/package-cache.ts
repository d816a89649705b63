/**
 * The FHIR package cache the toolchain reads: the project-local cache first (where the core
 * package is written and `vm-ig packages add` installs), then the user's `~/.fhir/packages`,
 * which is never written to. Implements fhir-package-loader's `PackageCache` interface.
 * A package in the project-local cache is used only when complete (its install record or index
 * matches its files); a half-installed one is treated as missing, so `packages add` rebuilds it.
 */
import { existsSync, readdirSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { join } from 'node:path';
import { DiskBasedPackageCache, type PackageCache } from 'fhir-package-loader';
import { packageVersionProblem } from './package-id.ts';
import { installedPackageProblem } from './packages-add.ts';
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
    const dir = join(this.layers[0]!.dir, `${name}#${version}`);
    if (!existsSync(dir)) return undefined;
    if (!this.checked.has(dir)) this.checked.set(dir, installedPackageProblem(dir));
    return this.checked.get(dir);
  }

  /** The folders searched, in order, for messages. */
  get directories(): string[] {
    return this.layers.map(l => l.dir);
  }

  private layerFor(name: string, version: string): DiskBasedPackageCache | undefined {
    return this.layers.find((l, i) => l.cache.getPackageJSONPath(name, version) !== undefined && (i > 0 || this.localProblem(name, version) === undefined))
      ?.cache;
  }
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
