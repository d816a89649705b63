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
import type { Diagnostic } from '../../model/diagnostics.ts';
import type { ProjectConfig } from '../../project/config.ts';
import type { ProjectPaths } from '../../project/paths.ts';
import { KeyHash, readStageEntry, stageCacheDir, statLine, toolchainFingerprint, writeStageEntry } from '../../pipeline/stage-cache.ts';
import type { CompiledGuide } from './compile.ts';
import { networkOptions, registryUrls } from '../../fhir/network.ts';

/** Packages the compile may load besides the configured ones (see definitions.ts). */
const IMPLICIT_PACKAGES = ['hl7.fhir.r4.core', 'hl7.fhir.uv.tools.r4', 'hl7.terminology.r4', 'hl7.fhir.uv.extensions.r4'];

export function cacheDir(paths: ProjectPaths): string {
  return stageCacheDir(paths.root, 'compile');
}

interface Payload {
  /** fsh-generated/ as written: path relative to it -> text. */
  files: Record<string, string>;
  resources: Omit<CompiledResource, 'resource'>[];
  implementationGuide?: string;
  counts: Record<string, number>;
  diagnostics: Diagnostic[];
}

export interface CachedCompile {
  guide: CompiledGuide;
  diagnostics: Diagnostic[];
  files: Record<string, string>;
}

/** The key of a compile of the project as it is now: its sources (`compileSourcesKey`) and the packages on disk. */
export function compileKey(paths: ProjectPaths, config: ProjectConfig, sources = compileSourcesKey(paths, config)): string {
  return new KeyHash().add('sources', sources).add('packages', packagesFingerprint(paths, config)).digest();
}

/**
 * What a compile reads besides the FHIR packages: the toolchain, the configuration, the FSH and
 * input/ folders, and where missing packages would come from. A compile that writes or downloads
 * packages (the first one writes the core package) changes the packages, not this: it is stored
 * under the key of the packages as they are after it, which is what the next run computes.
 */
export function compileSourcesKey(paths: ProjectPaths, _config?: ProjectConfig): string {
  const hash = new KeyHash().add('toolchain', toolchainFingerprint()).add('config', readFileSync(paths.config));
  hash.addTree(paths.fsh, paths.root).addTree(paths.input, paths.root);
  // Where missing packages would come from: an offline compile, or one against another registry,
  // may load other packages (SUSHI's automatic ones) than this one would.
  const network = networkOptions();
  hash.add('registry', network.offline ? 'offline' : registryUrls().urls.join(' '));
  return hash.digest();
}

/**
 * The FHIR packages a project may load, as they are on disk: each cached copy's manifest and
 * index, by size and time, in both caches (a package added, removed or replaced changes it).
 */
export function packagesFingerprint(paths: ProjectPaths, config: ProjectConfig): string {
  const hash = new KeyHash().add('caches', `${paths.packageCache}\u0000${paths.userPackageCache}`);
  const wanted = new Set([...IMPLICIT_PACKAGES, ...config.dependencies.map(d => d.packageId)]);
  for (const dir of [paths.packageCache, paths.userPackageCache]) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir).sort()) {
      if (!wanted.has(entry.split('#')[0]!)) continue;
      for (const file of ['package.json', '.index.json']) hash.add(`package ${dir}/${entry}/${file}`, statLine(join(dir, entry, 'package', file)));
    }
  }
  return hash.digest();
}

export function readCachedCompile(paths: ProjectPaths, key: string): CachedCompile | undefined {
  const payload = readStageEntry(paths.root, 'compile', key, isPayload);
  if (!payload) return undefined;
  try {
    const resource = (fileName: string) => {
      const json = payload.files[`resources/${fileName}`];
      if (json === undefined) throw new Error(`no ${fileName}`);
      return JSON.parse(json) as CompiledResource['resource'];
    };
    const resources = payload.resources.map(meta => ({ ...meta, resource: resource(meta.fileName) }));
    const ig = payload.implementationGuide;
    const guide: CompiledGuide = { resources, implementationGuide: ig ? { fileName: ig, resource: resource(ig) } : undefined, counts: payload.counts };
    return { guide, diagnostics: payload.diagnostics, files: payload.files };
  } catch {
    // Not trusted: the compile that follows replaces it.
    return undefined;
  }
}

/** The entry names the files it restores: only plain relative paths inside fsh-generated/. */
function isPayload(body: unknown): body is Payload {
  const p = body as Partial<Payload> | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.files === 'object' &&
    p.files !== null &&
    Object.entries(p.files).every(([rel, text]) => safeRelativePath(rel) && typeof text === 'string') &&
    Array.isArray(p.resources) &&
    Array.isArray(p.diagnostics) &&
    typeof p.counts === 'object'
  );
}

/** Store a compile: `generated` is the fsh-generated/ folder it wrote. */
export function writeCachedCompile(paths: ProjectPaths, key: string, guide: CompiledGuide, diagnostics: readonly Diagnostic[], generated: string): void {
  const files = readTree(generated);
  const payload: Payload = {
    files,
    resources: guide.resources.map(({ resource: _, ...meta }) => meta),
    implementationGuide: guide.implementationGuide?.fileName,
    counts: guide.counts,
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
