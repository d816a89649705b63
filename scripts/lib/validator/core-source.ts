/**
 * The Node host's definitions: the core package in the local package cache, read file by file
 * through its `.index.json`. (The browser host passes an in-memory source instead.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCorePackage } from '../../fhir/core-package.ts';
import { isFhirResource, isJsonObject } from '../../fhir/json.ts';
import { CONFORMANCE_TYPES, Definitions, REFERENCED_TYPES, type DefinitionSource } from './definitions.ts';

interface IndexEntry {
  filename: string;
  resourceType: string;
  url?: string;
  type?: string;
}

function isIndexEntry(value: unknown): value is IndexEntry {
  if (!isJsonObject(value) || typeof value.filename !== 'string' || typeof value.resourceType !== 'string') return false;
  return (value.url === undefined || typeof value.url === 'string') && (value.type === undefined || typeof value.type === 'string');
}

/** A package folder (the one holding `.index.json`) as a definitions source. */
export function packageSource(dir: string): DefinitionSource & { urls(): string[]; typeOf(url: string): string | undefined } {
  const parsed: unknown = JSON.parse(readFileSync(join(dir, '.index.json'), 'utf8'));
  const entries: unknown[] = isJsonObject(parsed) && Array.isArray(parsed.files) ? parsed.files : [];
  const index = { files: entries.filter(isIndexEntry) };
  const files = new Map<string, string>();
  const types = new Map<string, string>();
  // Listed (urls()) are the definitions structures need; SearchParameters are readable by URL only.
  const listed: string[] = [];
  for (const e of index.files) {
    if (!e.url) continue;
    const conformance = CONFORMANCE_TYPES.has(e.resourceType);
    if (!conformance && !REFERENCED_TYPES.has(e.resourceType)) continue;
    files.set(e.url, e.filename);
    if (conformance) listed.push(e.url);
    if (e.type) types.set(e.url, e.type);
  }
  return {
    typeOf: url => types.get(url),
    has: url => files.has(url),
    read: url => {
      const file = files.get(url);
      const resource: unknown = file ? JSON.parse(readFileSync(join(dir, file), 'utf8')) : undefined;
      return isFhirResource(resource) ? resource : undefined;
    },
    urls: () => listed
  };
}

const sourceByDir = new Map<string, ReturnType<typeof packageSource>>();
const coreByDir = new Map<string, Definitions>();

/** The core package of a package cache folder as a definitions source, its index read once per process. */
export function coreSource(packageCache: string): ReturnType<typeof packageSource> {
  let source = sourceByDir.get(packageCache);
  if (!source) sourceByDir.set(packageCache, (source = packageSource(corePackageDir(packageCache))));
  return source;
}

/** The core package definitions for a package cache folder, loaded once per process. */
export function coreDefinitions(packageCache: string): Definitions {
  let defs = coreByDir.get(packageCache);
  if (!defs) {
    defs = new Definitions(coreSource(packageCache));
    coreByDir.set(packageCache, defs);
  }
  return defs;
}

/** The `package/` folder of the core package, written into the cache when missing. */
export function corePackageDir(packageCache: string): string {
  const { path } = ensureCorePackage(packageCache);
  const dir = join(path, 'package');
  if (!existsSync(join(dir, '.index.json'))) throw new Error(`core package index missing in ${dir}`);
  return dir;
}
