/**
 * Resolves a FHIR package dependency (`id` + a version as sushi-config.yaml may give it: `1.0.0`,
 * `latest`, `1.0.x`, `current`, `current$branch`, `dev`) to a package folder in a local cache,
 * downloading it when no cache holds it, as SUSHI (fhir-package-loader) does:
 *
 * - an exact version is looked up in the caches (the project's or per-user vm-ig cache, then the
 *   FHIR cache `~/.fhir/packages` shared with SUSHI and the IG Publisher); when absent it is
 *   downloaded from the registry into `~/.fhir/packages`;
 * - `latest` and `1.0.x` take the highest cached version that fits, so that a build whose
 *   packages are all cached opens no connection; with none cached (or with `refresh`, as
 *   `vm-ig packages install` asks) the registry's answer is used, as SUSHI would;
 * - `current` is the build.fhir.org build, cached as `<id>#current` (with `refresh`, replaced when
 *   build.fhir.org has a newer one); `dev` is a local IG Publisher build, else `current`.
 *
 * Offline, nothing is downloaded and a missing package is an error naming it, the caches searched
 * and how to supply it. Every download is checked (registry integrity, the hostile-archive rules
 * of `packages add`) and installed atomically: a killed run leaves nothing a later build trusts.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LayeredPackageCache } from './package-cache.ts';
import { installPackageTarball } from './packages-add.ts';
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './tar-reader.ts';
import {
  currentBuildDate,
  describeFailure,
  downloadCurrentBuild,
  downloadTarball,
  fetchPackageDocument,
  registries,
  resolveFromDocument,
  type PackageDocument,
  type Registry
} from './download.ts';
import type { DownloadEvent } from './network.ts';
import { isExactVersion, missingPackageMessage } from './registry.ts';
import { errorMessage } from '../util/errors.ts';
import { isJsonObject } from './json.ts';

export interface PackageRequest {
  packageId: string;
  /** As configured: exact, `latest`, `1.0.x`, `current`, `current$branch` or `dev`. */
  version: string;
}

export interface ResolvedPackage {
  packageId: string;
  /** The version asked for. */
  requested: string;
  /** The cache folder's version: concrete, or `current` / `dev`. */
  version: string;
  path: string;
  /** Where it came from this time. */
  from: 'cache' | 'download';
  url?: string;
  bytes?: number;
}

export interface ResolverOptions {
  cache: LayeredPackageCache;
  /** The cache downloads go into: the FHIR cache shared with SUSHI and the IG Publisher. */
  downloadDir: string;
  offline: boolean;
  /** Ask the registry about `latest`, wildcards and `current` even when a cached copy fits. */
  refresh?: boolean;
  onEvent?: (event: DownloadEvent) => void;
  limits?: Partial<ArchiveLimits>;
}

/** A package that cannot be had: the message says which, from where, and what to do. */
export class PackageUnavailable extends Error {
  constructor(
    message: string,
    readonly packageId: string,
    readonly version: string
  ) {
    super(message);
    this.name = 'PackageUnavailable';
  }
}

export class PackageResolver {
  private readonly documents = new Map<string, Promise<PackageDocument>>();
  private readonly done = new Map<string, Promise<ResolvedPackage>>();
  private registryList: Registry[] | undefined;

  constructor(private readonly options: ResolverOptions) {}

  /** Resolve (and download when needed) one request; the same request is resolved once. */
  resolve(request: PackageRequest): Promise<ResolvedPackage> {
    const key = `${request.packageId}#${request.version}`;
    let pending = this.done.get(key);
    if (!pending) {
      pending = this.resolveOnce(request);
      this.done.set(key, pending);
    }
    return pending;
  }

  private async resolveOnce({ packageId, version: spec }: PackageRequest): Promise<ResolvedPackage> {
    const cache = this.options.cache;
    if (spec === '')
      throw new PackageUnavailable(
        `FHIR package ${packageId} has no version: give one, as in '${packageId}: 1.0.0' or '${packageId}: latest'`,
        packageId,
        spec
      );
    if (/^\d+\.x$/.test(spec))
      throw new PackageUnavailable(
        `FHIR package ${packageId}#${spec}: a wildcard must give major and minor versions, as in ${spec.slice(0, -1)}0.x`,
        packageId,
        spec
      );
    const cached = (version: string): ResolvedPackage | undefined => {
      const path = cache.getPackagePath(packageId, version);
      return path ? { packageId, requested: spec, version, path, from: 'cache' } : undefined;
    };
    if (spec === 'dev') {
      const dev = cached('dev');
      if (dev) return dev;
      return this.current(packageId, undefined, spec);
    }
    if (spec === 'current' || spec.startsWith('current$')) return this.current(packageId, spec.includes('$') ? spec.split('$')[1] : undefined, spec);
    if (isExactVersion(spec)) return cached(spec) ?? this.download(packageId, spec, spec);
    if (spec !== 'latest' && !/^\d+\.\d+\.x$/.test(spec))
      throw new PackageUnavailable(`FHIR package ${packageId}#${spec}: '${spec}' is not a version (use 1.0.0, 1.0.x, latest, current or dev)`, packageId, spec);
    const fitting = cache.cachedVersions(packageId).filter(v => fits(v, spec) && cache.isPackageInCache(packageId, v));
    const best = fitting.find(v => !v.includes('-')) ?? fitting[0];
    if (best && (!this.options.refresh || this.options.offline)) return cached(best)!;
    if (this.options.offline) throw this.offlineError(packageId, spec);
    const { registry, version } = await this.resolveRemote(packageId, spec).catch((e: unknown) => {
      // The registry cannot say: a cached version that fits is still good.
      if (best) return { registry: undefined, version: best };
      throw e;
    });
    return cached(version) ?? this.download(packageId, version, spec, registry);
  }

  /** Which version `spec` is at the first registry that can say. */
  private async resolveRemote(packageId: string, spec: string): Promise<{ registry: Registry; version: string }> {
    const tried: string[] = [];
    for (const registry of this.registries()) {
      try {
        const doc = await this.document(registry, packageId);
        const version = resolveFromDocument(doc, spec);
        if (version && doc.versions[version]) return { registry, version };
        tried.push(
          `${registry.url}: ${spec === 'latest' ? 'no latest version' : `no version matching ${spec}`} (it has ${Object.keys(doc.versions).join(', ') || 'none'})`
        );
      } catch (e) {
        tried.push(`${registry.url}: ${describeFailure(e).text}`);
      }
    }
    throw new PackageUnavailable(`cannot resolve FHIR package ${packageId}#${spec}: ${tried.join('; ')}${this.hint(packageId, spec)}`, packageId, spec);
  }

  /** Download `packageId#version` from the first registry that has it (`preferred` first). */
  private async download(packageId: string, version: string, spec: string, preferred?: Registry): Promise<ResolvedPackage> {
    if (this.options.offline) throw this.offlineError(packageId, version);
    const list = preferred ? [preferred, ...this.registries().filter(r => r !== preferred)] : this.registries();
    const tried: string[] = [];
    for (const registry of list) {
      let doc: PackageDocument;
      try {
        doc = await this.document(registry, packageId);
      } catch (e) {
        tried.push(`${registry.url}: ${describeFailure(e).text}`);
        continue;
      }
      const entry = doc.versions[version];
      if (!entry) {
        tried.push(`${registry.url}: no version ${version} (it has ${Object.keys(doc.versions).join(', ') || 'none'})`);
        continue;
      }
      try {
        return await this.install(packageId, version, spec, () =>
          downloadTarball(registry, packageId, version, entry.dist, this.options.downloadDir, this.emit, this.limits().maxBytes)
        );
      } catch (e) {
        tried.push(`${registry.url}: ${e instanceof PackageUnavailable ? e.message : describeFailure(e).text}`);
      }
    }
    throw new PackageUnavailable(
      `cannot download FHIR package ${packageId}#${version}: ${tried.join('; ')}${this.hint(packageId, version)}`,
      packageId,
      version
    );
  }

  private async current(packageId: string, branch: string | undefined, spec: string): Promise<ResolvedPackage> {
    const label = branch ? `current$${branch}` : 'current';
    const path = this.options.cache.getPackagePath(packageId, label);
    const cached: ResolvedPackage | undefined = path ? { packageId, requested: spec, version: label, path, from: 'cache' } : undefined;
    if (cached && (!this.options.refresh || this.options.offline)) return cached;
    if (this.options.offline) throw this.offlineError(packageId, label);
    try {
      if (cached) {
        const date = await currentBuildDate(packageId, branch);
        if (date && date === cachedDate(path!)) return cached;
      }
      return await this.install(
        packageId,
        label,
        spec,
        () => downloadCurrentBuild(packageId, branch, this.options.downloadDir, this.emit, this.limits().maxBytes),
        label
      );
    } catch (e) {
      if (cached) return cached;
      if (e instanceof PackageUnavailable) throw e;
      throw new PackageUnavailable(`cannot download FHIR package ${packageId}#${label} from build.fhir.org: ${describeFailure(e).text}`, packageId, label);
    }
  }

  /** Save a download and install it into the download cache; the saved tarball is always removed. */
  private async install(
    packageId: string,
    version: string,
    spec: string,
    save: () => ReturnType<typeof downloadTarball>,
    label?: string
  ): Promise<ResolvedPackage> {
    const saved = await save();
    try {
      const installed = await installPackageTarball(this.options.downloadDir, saved.file, {
        limits: this.limits(),
        expect: { name: packageId, version: label ? undefined : version },
        label,
        source: { source: saved.url }
      });
      return { packageId, requested: spec, version: label ?? installed.version, path: installed.path, from: 'download', url: saved.url, bytes: saved.bytes };
    } catch (e) {
      // The installer names the temporary file; say what it was instead.
      const message = errorMessage(e).replace(saved.file, `the tarball from ${saved.url}`);
      throw new PackageUnavailable(message, packageId, version);
    } finally {
      rmSync(saved.file, { force: true });
    }
  }

  private document(registry: Registry, packageId: string): Promise<PackageDocument> {
    const key = `${registry.url}\u0000${packageId}`;
    let doc = this.documents.get(key);
    if (!doc) {
      doc = fetchPackageDocument(registry, packageId, (problem, attempt) =>
        this.emit({ type: 'retry', label: packageId, url: `${registry.url.replace(/\/$/, '')}/${packageId}`, problem, attempt })
      );
      this.documents.set(key, doc);
    }
    return doc;
  }

  private registries(): Registry[] {
    return (this.registryList ??= registries());
  }

  private readonly emit = (event: DownloadEvent): void => this.options.onEvent?.(event);

  private limits(): ArchiveLimits {
    return { ...DEFAULT_ARCHIVE_LIMITS, ...this.options.limits };
  }

  private offlineError(packageId: string, version: string): PackageUnavailable {
    return new PackageUnavailable(
      `${missingPackageMessage(packageId, version, this.options.cache.directories)} (or, online, vm-ig packages install ${packageId}#${version})`,
      packageId,
      version
    );
  }

  private hint(packageId: string, version: string): string {
    const where = process.env.FPL_REGISTRY ? `FPL_REGISTRY=${process.env.FPL_REGISTRY}` : 'packages.fhir.org (set FPL_REGISTRY for another registry)';
    const file = isExactVersion(version) ? `${packageId}-${version}.tgz` : `${packageId}-<version>.tgz`;
    return `. Registry: ${where}; or supply it offline: vm-ig packages add path/to/${file}`;
  }
}

/** Whether a cached version satisfies `latest` or `1.2.x` (cache labels such as `current` never do). */
function fits(version: string, spec: string): boolean {
  if (!isExactVersion(version)) return false;
  if (spec === 'latest') return true;
  const [major, minor] = spec.split('.');
  return new RegExp(`^${major}\\.${minor}\\.\\d+$`).test(version);
}

function cachedDate(path: string): string | undefined {
  try {
    const manifest: unknown = JSON.parse(readFileSync(join(path, 'package', 'package.json'), 'utf8'));
    return isJsonObject(manifest) && typeof manifest.date === 'string' ? manifest.date : undefined;
  } catch {
    return undefined;
  }
}
