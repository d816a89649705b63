/**
 * A guide's package dependencies as the IG Publisher's pages see them: `site.data.fhir.ver.<key>`
 * is the web location of each dependency (its package.json `url`, e.g.
 * `http://hl7.org/fhir/us/core/STU3.1.1`), so pages link `{{site.data.fhir.ver.uscore}}/...`.
 * The key is the ImplementationGuide's `dependsOn.id` (the configuration's `id:`, or SUSHI's
 * `hl7_fhir_us_core`), and also the package id without its punctuation (`hl7fhiruscore`), the
 * form older guides use.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isJsonObject } from './json.ts';

/** A package.json larger than this is not a manifest. */
const MAX_MANIFEST_BYTES = 1024 * 1024;

export interface DependsOn {
  id?: unknown;
  packageId?: unknown;
  version?: unknown;
  uri?: unknown;
}

/** Where a package of the caches is: `name#version` -> its folder (the one holding `package/`). */
export type PackageLocator = (name: string, version: string) => string | undefined;

/**
 * `site.data.fhir.ver`: key -> web location, for each dependsOn entry. The version is the one the
 * compile loaded when known (`loadedPackages`, `id#version`), else the one declared. Without the
 * package at hand, the dependency's canonical (its `uri` up to `/ImplementationGuide/`) stands in.
 */
export function dependencyWebPaths(dependsOn: readonly DependsOn[], loadedPackages: readonly string[], locate: PackageLocator): Record<string, string> {
  const loaded = loadedVersions(loadedPackages);
  const out: Record<string, string> = {};
  for (const dep of dependsOn) {
    if (typeof dep.packageId !== 'string') continue;
    const version = loaded.get(dep.packageId) ?? (typeof dep.version === 'string' ? dep.version : undefined);
    const dir = version ? locate(dep.packageId, version) : undefined;
    const path = (dir && manifestUrl(dir)) ?? canonicalBase(dep.uri);
    if (!path) continue;
    for (const key of [typeof dep.id === 'string' ? dep.id : undefined, dep.packageId.replace(/[^A-Za-z0-9]/g, '')]) {
      if (key && !Object.hasOwn(out, key)) out[key] = path.replace(/\/+$/, '');
    }
  }
  return out;
}

/**
 * The version of each package the compile loaded (`CompiledGuide.loadedPackages`, `id#version`),
 * by package id: a dependency declared as `6.1.x` or `latest` is the version these name.
 */
export function loadedVersions(loadedPackages: readonly string[]): Map<string, string> {
  return new Map(loadedPackages.filter(label => label.includes('#')).map(label => [label.slice(0, label.indexOf('#')), label.slice(label.indexOf('#') + 1)]));
}

/** The package's web location from its package.json `url`, when it is an http(s) URL. */
function manifestUrl(dir: string): string | undefined {
  const file = join(dir, 'package', 'package.json');
  try {
    if (statSync(file).size > MAX_MANIFEST_BYTES) return undefined;
    const manifest: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const url = isJsonObject(manifest) ? manifest.url : undefined;
    return typeof url === 'string' && /^https?:\/\//.test(url) ? url : undefined;
  } catch {
    return undefined;
  }
}

function canonicalBase(uri: unknown): string | undefined {
  if (typeof uri !== 'string' || !/^https?:\/\//.test(uri)) return undefined;
  const at = uri.indexOf('/ImplementationGuide/');
  return at > 0 ? uri.slice(0, at) : uri;
}
