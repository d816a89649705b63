/**
 * Registry and build-server clients that never open a socket, for the loader that reads packages
 * once resolve.ts has put them in a cache (downloads are resolve.ts's and download.ts's). Exact versions resolve to
 * themselves; `latest`, `current` and `dev` are refused, because without a network the answer
 * would be a guess. A download request becomes an error saying how to supply the package.
 */
import type { Readable } from 'node:stream';
import type { CurrentBuildClient, PackageCache, RegistryClient } from 'fhir-package-loader';
import { isJsonObject } from './json.ts';

export class PackageNotAvailableOffline extends Error {
  constructor(
    readonly packageId: string,
    readonly version: string,
    searched: readonly string[]
  ) {
    super(missingPackageMessage(packageId, version, searched));
    this.name = 'PackageNotAvailableOffline';
  }
}

export function missingPackageMessage(packageId: string, version: string, searched: readonly string[]): string {
  return (
    `FHIR package ${packageId}#${version} is not available offline (looked in ${searched.join(', ')}; --offline downloads nothing). ` +
    `Get its package tarball and run: vm-ig packages add path/to/${packageId}-${version}.tgz`
  );
}

export function isExactVersion(version: string): boolean {
  return /^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(version);
}

export class OfflineRegistryClient implements RegistryClient {
  constructor(private readonly searched: readonly string[]) {}

  async resolveVersion(name: string, version: string): Promise<string> {
    if (isExactVersion(version)) return version;
    throw new Error(`cannot resolve ${name}#${version} offline: give an exact version (for example 1.0.0)`);
  }

  async download(name: string, version: string): Promise<Readable> {
    throw new PackageNotAvailableOffline(name, version, this.searched);
  }
}

/**
 * The loader asks for the newest `current` build's date before using a cached one: this answers
 * with the cached copy's own date, so the copy resolve.ts chose is used as it is.
 */
export class OfflineBuildClient implements CurrentBuildClient {
  constructor(private readonly cache?: PackageCache) {}

  async downloadCurrentBuild(name: string): Promise<Readable> {
    throw new Error(`${name}#current needs build.fhir.org, which is not reachable offline`);
  }

  async getCurrentBuildDate(name: string, branch?: string): Promise<string> {
    const path = this.cache?.getPackageJSONPath(name, branch ? `current$${branch}` : 'current');
    const manifest: unknown = path ? this.cache?.getResourceAtPath(path) : undefined;
    if (isJsonObject(manifest) && typeof manifest.date === 'string') return manifest.date;
    throw new Error(`${name}#current needs build.fhir.org, which is not reachable offline`);
  }
}
