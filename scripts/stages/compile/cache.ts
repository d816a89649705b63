/**
 * The persistent build cache of the compile stage, in `.vm-ig-cache/compile/` under the project.
 * An entry is addressed by a hash of everything a compile reads: the FSH files, sushi-config.yaml,
 * input/ (pages, images, predefined resources), the FHIR packages it may load (their manifests
 * and indexes, in both caches), and the toolchain's fingerprint (pipeline/stage-cache.ts). So `vm-ig validate`, `site`, `package` and
 * `build` reuse a compile whose inputs have not changed, in any order.
 *
 * An entry holds fsh-generated/ as written plus the compiled resources' metadata and the
 * compile's diagnostics; it is written atomically, and its header carries the payload's SHA-256.
 * An entry that is truncated, edited, of another format or filed under the wrong key is not
 * trusted: it is deleted and the compile runs again.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CompiledResource } from '../../model/resources.ts';
import { isFhirResource, isJsonObject } from '../../fhir/json.ts';
import type { Diagnostic } from '../../model/diagnostics.ts';
import type { ProjectPaths } from '../../project/paths.ts';
import { readStageEntry, stageCacheDir, writeStageEntry } from '../../pipeline/stage-cache.ts';
import type { CompileOutput } from './compile.ts';

export function cacheDir(paths: ProjectPaths): string {
  return stageCacheDir(paths.root, 'compile');
}

interface Payload {
  /** fsh-generated/ as written: path relative to it -> text. */
  files: Record<string, string>;
  resources: Omit<CompiledResource, 'resource'>[];
  implementationGuide?: string;
  counts: Record<string, number>;
  /** The FHIR packages the compile loaded (`id#version`): later stages load the same versions. */
  loadedPackages?: string[];
  diagnostics: Diagnostic[];
}

export interface CachedCompile {
  guide: CompileOutput;
  diagnostics: Diagnostic[];
  files: Record<string, string>;
}

export function readCachedCompile(paths: ProjectPaths, key: string): CachedCompile | undefined {
  const payload = readStageEntry(paths.root, 'compile', key, isPayload);
  if (!payload) return undefined;
  try {
    const resource = (fileName: string) => {
      const json = payload.files[`resources/${fileName}`];
      if (json === undefined) throw new Error(`no ${fileName}`);
      const parsed: unknown = JSON.parse(json);
      if (!isFhirResource(parsed)) throw new Error(`${fileName} is not a resource`);
      return parsed;
    };
    const resources = payload.resources.map(meta => ({ ...meta, resource: resource(meta.fileName) }));
    const ig = payload.implementationGuide;
    const loadedPackages = Array.isArray(payload.loadedPackages) ? payload.loadedPackages.filter(p => typeof p === 'string') : undefined;
    const guide: CompileOutput = {
      resources,
      implementationGuide: ig ? { fileName: ig, resource: resource(ig) } : undefined,
      counts: payload.counts,
      loadedPackages
    };
    return { guide, diagnostics: payload.diagnostics, files: payload.files };
  } catch {
    // Not trusted: the compile that follows replaces it.
    return undefined;
  }
}

/** The entry names the files it restores: only plain relative paths inside fsh-generated/. */
function isPayload(body: unknown): body is Payload {
  return (
    isJsonObject(body) &&
    isJsonObject(body.files) &&
    Object.entries(body.files).every(([rel, text]) => safeRelativePath(rel) && typeof text === 'string') &&
    Array.isArray(body.resources) &&
    Array.isArray(body.diagnostics) &&
    typeof body.counts === 'object'
  );
}

/** Store a compile: `generated` is the fsh-generated/ folder it wrote. */
export function writeCachedCompile(paths: ProjectPaths, key: string, guide: CompileOutput, diagnostics: readonly Diagnostic[], generated: string): void {
  const files = readTree(generated);
  const payload: Payload = {
    files,
    resources: guide.resources.map(({ resource: _, ...meta }) => meta),
    implementationGuide: guide.implementationGuide?.fileName,
    counts: guide.counts,
    loadedPackages: guide.definitions?.loadedPackages ?? guide.loadedPackages,
    diagnostics: [...diagnostics]
  };
  writeStageEntry(paths.root, 'compile', key, payload);
}

/**
 * Whether the folder holds exactly these files (so a cached compile need not rewrite it), not
 * counting those `others` says a later stage writes there.
 */
export function treeMatches(dir: string, files: Record<string, string>, others: (rel: string) => boolean = () => false): boolean {
  if (!existsSync(dir)) return false;
  const present = Object.fromEntries(Object.entries(readTree(dir)).filter(([rel]) => !others(rel)));
  const names = Object.keys(files);
  return names.length === Object.keys(present).length && names.every(n => present[n] === files[n]);
}

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out[relative(dir, full).split('\\').join('/')] = readFileSync(full, 'utf8');
    }
  };
  if (existsSync(dir)) walk(dir);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function safeRelativePath(rel: string): boolean {
  return (
    rel.length > 0 &&
    !rel.includes('\0') &&
    !rel.includes('\\') &&
    !rel.startsWith('/') &&
    rel.split('/').every(part => part !== '' && part !== '.' && part !== '..')
  );
}
