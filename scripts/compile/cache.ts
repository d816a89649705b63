/**
 * The persistent build cache of the compile stage, in `.vm-ig-cache/compile/` under the project.
 * An entry is addressed by a hash of everything a compile reads: the FSH files, sushi-config.yaml,
 * input/ (pages, images, predefined resources), the FHIR packages it may load (their manifests
 * and indexes, in both caches), and the toolchain itself (the compile stage's code and the
 * fsh-sushi and fhir-package-loader versions). So `vm-ig validate`, `site`, `package` and
 * `build` reuse a compile whose inputs have not changed, in any order.
 *
 * An entry holds fsh-generated/ as written plus the compiled resources' metadata and the
 * compile's diagnostics; it is written atomically, and its header carries the payload's SHA-256.
 * An entry that is truncated, edited, of another format or filed under the wrong key is not
 * trusted: it is deleted and the compile runs again.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../atomic.ts';
import type { CompiledResource, Diagnostic } from '../model.ts';
import type { ProjectConfig } from '../project/config.ts';
import type { ProjectPaths } from '../project/paths.ts';
import type { CompiledGuide } from './compile.ts';

const FORMAT = 'vm-ig-compile-cache/1';
/** Entries kept besides the newest (an older state the author may switch back to). */
const KEEP = 3;
const MAX_ENTRY_BYTES = 512 * 1024 * 1024;
/** Packages the compile may load besides the configured ones (see definitions.ts). */
const IMPLICIT_PACKAGES = ['hl7.fhir.r4.core', 'hl7.fhir.uv.tools.r4', 'hl7.terminology.r4', 'hl7.fhir.uv.extensions.r4'];

export function cacheDir(paths: ProjectPaths): string {
  return join(paths.root, '.vm-ig-cache', 'compile');
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

/** The key of a compile of the project as it is now. */
export function compileKey(paths: ProjectPaths, config: ProjectConfig): string {
  const hash = createHash('sha256');
  const add = (label: string, value: string | Buffer) => {
    hash.update(`${label}\u0000${value.length}\u0000`);
    hash.update(value);
  };
  add('toolchain', toolchainVersion());
  add('config', readFileSync(paths.config));
  add('caches', `${paths.packageCache}\u0000${paths.userPackageCache}`);
  hashTree(paths.fsh, paths.root, add);
  hashTree(paths.input, paths.root, add);
  const wanted = new Set([...IMPLICIT_PACKAGES, ...config.dependencies.map(d => d.packageId)]);
  for (const dir of [paths.packageCache, paths.userPackageCache]) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir).sort()) {
      if (!wanted.has(entry.split('#')[0]!)) continue;
      for (const file of ['package.json', '.index.json']) add(`package ${dir}/${entry}/${file}`, statLine(join(dir, entry, 'package', file)));
    }
  }
  return hash.digest('hex');
}

export function readCachedCompile(paths: ProjectPaths, key: string): CachedCompile | undefined {
  const file = join(cacheDir(paths), `${key}.json`);
  if (!existsSync(file)) return undefined;
  try {
    if (statSync(file).size > MAX_ENTRY_BYTES) throw new Error('too large');
    const text = readFileSync(file, 'utf8');
    const newline = text.indexOf('\n');
    const header = JSON.parse(text.slice(0, newline)) as { format?: string; key?: string; sha256?: string };
    const body = text.slice(newline + 1);
    if (newline < 0 || header.format !== FORMAT || header.key !== key || header.sha256 !== sha256(body)) throw new Error('corrupt');
    const payload = JSON.parse(body) as Payload;
    // The entry names the files it restores: only plain relative paths inside fsh-generated/.
    if (!Object.keys(payload.files).every(safeRelativePath)) throw new Error('unsafe path');
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
    // Not trusted: remove it, so the compile that follows replaces it.
    rmSync(file, { force: true });
    return undefined;
  }
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
  const body = JSON.stringify(payload);
  const dir = cacheDir(paths);
  writeFileAtomic(join(dir, `${key}.json`), `${JSON.stringify({ format: FORMAT, key, sha256: sha256(body) })}\n${body}`);
  prune(dir, key);
}

/** Whether the folder holds exactly these files (so a cached compile need not rewrite it). */
export function treeMatches(dir: string, files: Record<string, string>): boolean {
  if (!existsSync(dir)) return false;
  const present = readTree(dir);
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

/** Hash every file under `dir` (path and bytes); a link counts by its target's size and time. */
function hashTree(dir: string, root: string, add: (label: string, value: string | Buffer) => void): void {
  if (!existsSync(dir)) return add(`absent ${relative(root, dir)}`, '');
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = join(d, entry.name);
      const rel = relative(root, full);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) add(`file ${rel}`, readFileSync(full));
      else add(`other ${rel}`, statLine(full));
    }
  };
  walk(dir);
}

function statLine(file: string): string {
  try {
    const link = lstatSync(file).isSymbolicLink() ? 'link ' : '';
    const s = statSync(file);
    return `${link}${s.size} ${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

let toolchain: string | undefined;

/** The compile stage's own code and the versions of the libraries it drives. */
export function toolchainVersion(): string {
  if (toolchain) return toolchain;
  const require = createRequire(import.meta.url);
  const hash = createHash('sha256');
  for (const lib of ['fsh-sushi', 'fhir-package-loader']) {
    const manifest = JSON.parse(readFileSync(require.resolve(`${lib}/package.json`), 'utf8')) as { version: string };
    hash.update(`${lib}@${manifest.version}\n`);
  }
  // From sources, this folder's modules; from the bundle (dist/), the bundle itself.
  const self = fileURLToPath(import.meta.url);
  const dir = dirname(self);
  const files = self.endsWith('.ts')
    ? readdirSync(dir)
        .filter(f => f.endsWith('.ts'))
        .sort()
        .map(f => join(dir, f))
    : [self];
  for (const file of files) hash.update(readFileSync(file));
  toolchain = hash.digest('hex');
  return toolchain;
}

function prune(dir: string, newest: string): void {
  const entries = readdirSync(dir)
    .filter(f => f.endsWith('.json') && f !== `${newest}.json`)
    .map(f => ({ f, t: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { f } of entries.slice(KEEP)) rmSync(join(dir, f), { force: true });
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

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
