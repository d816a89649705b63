/**
 * A release to compare with: a FHIR package tarball (read through the toolchain's safe tar
 * reader, nothing unpacked to disk), or `id#version` from the package caches (the project's or
 * the per-user vm-ig cache, then `~/.fhir/packages`), downloaded from the registry into the
 * shared cache when no cache holds it and the run is not offline. Only the JSON resources of
 * `package/` and `package/example/` are read; `other/`, `openapi/` and index files are not.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CompiledResource, FhirResource } from '../../model/resources.ts';
import { readTarGz } from '../../fhir/tar-reader.ts';
import { LayeredPackageCache } from '../../fhir/package-cache.ts';
import { PackageResolver } from '../../fhir/resolve.ts';
import { packageNameProblem, packageVersionProblem } from '../../fhir/package-id.ts';
import { isFhirResource, isJsonObject } from '../../fhir/json.ts';
import { isReadProblem, readRegularFile } from '../../project/files.ts';
import { projectPaths, type PathOptions } from '../../project/paths.ts';
import type { ReleaseLabel } from './model.ts';
import { errorMessage } from '../../util/errors.ts';

export interface ReleaseResource {
  resource: FhirResource;
  /** From `package/example/` (or, for a compiled guide, an instance of usage `#example`). */
  example: boolean;
}

export interface Release {
  label: ReleaseLabel;
  resources: ReleaseResource[];
}

/** A release that cannot be read: the message says which and why (exit 2, or a build error). */
export class ReleaseUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReleaseUnavailable';
  }
}

/** One JSON file of a package larger than this is not read. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

export interface LoadReleaseOptions extends PathOptions {
  offline?: boolean;
}

/**
 * `spec` is a path to a `.tgz` (relative to `root`) or `id#version`. A path that exists wins
 * over the `id#version` reading.
 */
export async function loadRelease(spec: string, root: string, options: LoadReleaseOptions = {}): Promise<Release> {
  const path = resolve(root, spec);
  if (isFile(path)) return loadTarball(path, spec);
  const hash = spec.indexOf('#');
  if (hash > 0 && !/[\\/]/.test(spec)) return loadCached(spec.slice(0, hash), spec.slice(hash + 1), spec, root, options);
  throw new ReleaseUnavailable(`previous release '${spec}': no such file, and not an id#version (as in uk.nhs.vm#0.1.0)`);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The current guide, as the package stage would pack it. */
export function releaseOfCompiled(label: ReleaseLabel, resources: readonly CompiledResource[]): Release {
  return { label, resources: resources.map(r => ({ resource: r.resource, example: r.usage === 'example' })) };
}

async function loadTarball(path: string, spec: string): Promise<Release> {
  const resources: ReleaseResource[] = [];
  let manifest: Record<string, unknown> | undefined;
  const problems: string[] = [];
  try {
    await readTarGz(path, {
      file(entry, size) {
        if (!/^package\/[^/]+\.json$|^package\/example\/[^/]+\.json$/.test(entry) || entry.split('/').pop()!.startsWith('.')) return undefined;
        if (size > MAX_FILE_BYTES) return undefined;
        const chunks: Buffer[] = [];
        return {
          write: c => chunks.push(Buffer.from(c)),
          end: () => {
            const value = parse(Buffer.concat(chunks).toString('utf8'));
            if (entry === 'package/package.json') manifest = isJsonObject(value) ? value : undefined;
            else if (isFhirResource(value)) resources.push({ resource: value, example: entry.startsWith('package/example/') });
            else problems.push(entry);
          }
        };
      }
    });
  } catch (e) {
    throw new ReleaseUnavailable(`previous release ${spec}: ${errorMessage(e)}`);
  }
  if (!manifest) throw new ReleaseUnavailable(`previous release ${spec}: no package/package.json inside; not a FHIR package`);
  return { label: labelOf(spec, manifest), resources: sortResources(resources) };
}

async function loadCached(id: string, version: string, spec: string, root: string, options: LoadReleaseOptions): Promise<Release> {
  const problem = packageNameProblem(id) ?? packageVersionProblem(version);
  if (problem) throw new ReleaseUnavailable(`previous release '${spec}': ${problem}`);
  const paths = projectPaths(root, options);
  const cache = new LayeredPackageCache(paths.packageCache, [paths.userPackageCache]);
  let dir = cache.getPackagePath(id, version);
  if (!dir) {
    try {
      const resolver = new PackageResolver({ cache, downloadDir: paths.userPackageCache, offline: options.offline === true });
      dir = (await resolver.resolve({ packageId: id, version })).path;
    } catch (e) {
      throw new ReleaseUnavailable(`previous release ${spec}: ${errorMessage(e)}`);
    }
  }
  const folder = join(dir, 'package');
  const resources: ReleaseResource[] = [];
  let manifest: Record<string, unknown> | undefined;
  for (const [sub, example] of [
    ['', false],
    ['example', true]
  ] as const) {
    const where = join(folder, sub);
    let names: string[];
    try {
      names = readdirSync(where);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      const text = readRegularFile(join(where, name), MAX_FILE_BYTES);
      if (isReadProblem(text)) continue;
      const value = parse(text.toString('utf8'));
      if (!sub && name === 'package.json') manifest = isJsonObject(value) ? value : undefined;
      else if (isFhirResource(value)) resources.push({ resource: value, example });
    }
  }
  return { label: manifest ? labelOf(spec, manifest) : { source: spec, packageId: id, version }, resources: sortResources(resources) };
}

function parse(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return value;
  } catch {
    return undefined;
  }
}

function labelOf(spec: string, manifest: Record<string, unknown>): ReleaseLabel {
  const label: ReleaseLabel = { source: spec };
  if (typeof manifest.name === 'string') label.packageId = manifest.name;
  if (typeof manifest.version === 'string') label.version = manifest.version;
  return label;
}

/** Archive order is the packer's: sort so every report is the same whatever made the package. */
function sortResources(list: ReleaseResource[]): ReleaseResource[] {
  const key = (r: ReleaseResource) => `${r.example ? 1 : 0}${r.resource.resourceType}/${String(r.resource.id ?? '')}`;
  return list.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
