/**
 * Builds SUSHI's FHIRDefinitions over the package caches and loads the project's dependencies in
 * SUSHI's order (fsh-sushi's loadExternalDependencies): the R5-for-R4 definitions, SUSHI's
 * low-priority automatic packages (hl7.fhir.uv.tools.r4, hl7.terminology.r4), the configured
 * dependencies, FHIR core, then the high-priority automatic hl7.fhir.uv.extensions.r4 (which so
 * takes precedence over core). A configured dependency on an automatic package (or its `.r4`-less
 * or R5 sibling) takes its place, as in SUSHI.
 *
 * Each package is first resolved to a cache folder by fhir/resolve.ts (downloaded when no cache
 * holds it, unless offline); the loader then reads it from the cache without a network. A
 * configured dependency that cannot be had is an error naming it; an automatic one a warning, as
 * in SUSHI (offline, an automatic package no cache holds is left out without a word).
 */
import { InMemoryVirtualPackage } from 'fhir-package-loader';
import { ensureCorePackage, CORE_PACKAGE, type CorePackageStatus } from '../../fhir/core-package.ts';
import { LayeredPackageCache } from '../../fhir/package-cache.ts';
import { join } from 'node:path';
import { IndexedPackageCache } from './definitions-index.ts';
import { MemoryPackageDB } from './package-db.ts';
import { OfflineBuildClient, OfflineRegistryClient } from '../../fhir/registry.ts';
import { PackageResolver, type ResolvedPackage } from '../../fhir/resolve.ts';
import { networkOptions, type NetworkOptions } from '../../fhir/network.ts';
import type { Dependency } from '../../project/config.ts';
import { sharedCacheRoot, type ProjectPaths } from '../../project/paths.ts';
import type { Diagnostic } from '../../model/diagnostics.ts';
import { errorMessage } from '../../util/errors.ts';
import { automaticDependencies, fixCrossVersionDependencies, newDefinitions, r5DefinitionsForR4, type SushiDefinitions } from './sushi/adapter.ts';

export interface LoadedDefinitions {
  defs: SushiDefinitions;
  core: CorePackageStatus;
  diagnostics: Diagnostic[];
  loadedPackages: string[];
  /** Packages downloaded for this load. */
  downloaded?: ResolvedPackage[];
}

/** One package to load: `automatic` when SUSHI adds it itself (a failure is then a warning). */
export interface PlannedPackage extends Dependency {
  automatic: boolean;
}

const AUTOMATIC = automaticDependencies();

/**
 * The packages SUSHI loads for `dependencies`, in its order: `low` before the configured ones and
 * core, `high` after them. FHIR R4 only (the toolchain builds R4 guides).
 */
export function dependencyPlan(
  dependencies: readonly Dependency[],
  fhirVersionName = 'R4'
): { low: PlannedPackage[]; configured: PlannedPackage[]; high: PlannedPackage[] } {
  const configured = configuredDependencies(dependencies);
  const automatic = (priority: string): PlannedPackage[] => {
    const out: PlannedPackage[] = [];
    for (const auto of AUTOMATIC.filter(a => a.priority === priority)) {
      const chosen = configured.filter(c => sameRoot(c.packageId, auto.packageId));
      if (chosen.length) out.push(...chosen);
      else if (!auto.fhirVersions || auto.fhirVersions.some(v => v === fhirVersionName))
        out.push({ packageId: auto.packageId, version: auto.version, automatic: true });
    }
    return out.filter((p, i) => out.findIndex(q => q.packageId === p.packageId && q.version === p.version) === i);
  };
  return {
    low: automatic('Low'),
    configured: configured.filter(c => !AUTOMATIC.some(a => sameRoot(c.packageId, a.packageId))),
    high: automatic('High')
  };
}

/**
 * Configured dependencies as SUSHI reads them: ids in lower case, npm aliases (`alias@npm:id`)
 * replaced by the package they name, versions of one package together in ascending order, and
 * old-style cross-version packages replaced by the official xver package (with SUSHI's warning).
 */
function configuredDependencies(dependencies: readonly Dependency[]): PlannedPackage[] {
  const groups = new Map<string, PlannedPackage[]>();
  for (const dep of dependencies) {
    const alias = /^([^@]+)@npm:(.+)$/.exec(dep.packageId);
    const packageId = (alias ? alias[2]! : dep.packageId).toLowerCase();
    const planned: PlannedPackage = { ...dep, packageId, automatic: false };
    groups.set(packageId, [...(groups.get(packageId) ?? []), planned]);
  }
  const ordered = [...groups.values()].flatMap(group => group.sort((a, b) => compareLoose(a.version, b.version)));
  const fixed = fixCrossVersionDependencies(ordered.map(d => ({ packageId: d.packageId, version: d.version })));
  return ordered.map((d, i) => ({ ...d, packageId: fixed[i]!.packageId, version: fixed[i]!.version }));
}

/** `hl7.terminology`, `hl7.terminology.r4` and `hl7.terminology.r5` stand for one another (SUSHI). */
function sameRoot(a: string, b: string): boolean {
  const root = (id: string) => (/\.r[4-9]$/.test(id) ? id.slice(0, -3) : id);
  return root(a) === root(b);
}

function compareLoose(a: string, b: string): number {
  const pa = a.split(/[.-]/).map(n => Number.parseInt(n, 10));
  const pb = b.split(/[.-]/).map(n => Number.parseInt(n, 10));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (Number.isNaN(pa[i]) ? 0 : (pa[i] ?? 0)) - (Number.isNaN(pb[i]) ? 0 : (pb[i] ?? 0));
    if (d !== 0) return d;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

export async function loadDefinitions(
  paths: ProjectPaths,
  dependencies: readonly Dependency[],
  network: NetworkOptions = networkOptions()
): Promise<LoadedDefinitions> {
  const core = ensureCorePackage(paths.packageCache);
  const layered = new LayeredPackageCache(paths.packageCache, [paths.userPackageCache]);
  // Indexing a package reads stubs instead of every file (definitions-index.ts). They describe the
  // installed packages, not the project, so they live in the per-user cache, shared by projects.
  const cache = new IndexedPackageCache(layered, join(sharedCacheRoot(), 'definitions-index'));
  const defs = newDefinitions({
    // The loader's resource index in maps rather than SQLite: the same answers, a second faster (package-db.ts).
    packageDB: new MemoryPackageDB(),
    packageCache: cache,
    registryClient: new OfflineRegistryClient(cache.directories),
    currentBuildClient: new OfflineBuildClient(cache)
  });
  await defs.initialize();
  const resolver = new PackageResolver({ cache: layered, downloadDir: paths.userPackageCache, offline: network.offline, onEvent: network.onEvent });
  const diagnostics: Diagnostic[] = [];
  const loadedPackages: string[] = [];
  const downloaded: ResolvedPackage[] = [];
  const plan = dependencyPlan(dependencies);
  const coreDependency: PlannedPackage = { packageId: CORE_PACKAGE.name, version: CORE_PACKAGE.version, automatic: false };
  const order = [...plan.low, ...plan.configured, coreDependency, ...plan.high];
  // Resolved (and downloaded) side by side; loaded one by one in SUSHI's order.
  const resolutions = order.map(dep =>
    resolver.resolve(dep).then(
      resolved => ({ resolved }),
      (error: unknown) => ({ error })
    )
  );
  await defs.loadVirtualPackage(r5ForR4Package());
  for (const [i, dep] of order.entries()) {
    const outcome = await resolutions[i]!;
    if ('error' in outcome) {
      // Offline, SUSHI's automatic packages are used when cached and otherwise left out quietly.
      if (dep.automatic && network.offline) continue;
      diagnostics.push(dependencyProblem(dep, errorMessage(outcome.error)));
      continue;
    }
    const { resolved } = outcome;
    if (resolved.from === 'download') downloaded.push(resolved);
    const label = `${dep.packageId}#${resolved.version}`;
    if ((await defs.loadPackage(dep.packageId, resolved.version)) === 'LOADED') {
      if (!loadedPackages.includes(label)) loadedPackages.push(label);
    } else diagnostics.push(dependencyProblem(dep, `failed to load FHIR package ${label} from ${resolved.path}`));
  }
  return { defs, core, diagnostics, loadedPackages, downloaded };
}

function dependencyProblem(dep: PlannedPackage, message: string): Diagnostic {
  if (dep.automatic) {
    const registry = process.env.FPL_REGISTRY ? ` from custom FHIR package registry ${process.env.FPL_REGISTRY}` : '';
    return {
      severity: 'warning',
      rule: 'dependency-automatic',
      message: `Failed to load automatically-provided ${dep.packageId}#${dep.version}${registry}: ${message}`
    };
  }
  return {
    severity: 'error',
    rule: 'dependency-missing',
    message,
    location: { file: 'sushi-config.yaml', line: dep.line, column: dep.column }
  };
}

function r5ForR4Package() {
  return new InMemoryVirtualPackage({ name: 'sushi-r5forR4', version: '1.0.0' }, r5DefinitionsForR4());
}
