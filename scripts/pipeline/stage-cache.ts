/**
 * The persistent build cache's entries, for every stage that keeps one (`.vm-ig-cache/<stage>/`).
 * An entry is addressed by a key: a hash of everything the stage reads (see each stage's `cache`
 * in pipeline/sequencer.ts). Its first line is a header naming the format, the key and the SHA-256 of the
 * body; an entry that is truncated, edited, of another format or filed under another key is not
 * trusted: it is deleted and the stage runs again. Writes are atomic (temp file and rename).
 *
 * Also here: the hash helpers the keys are made of (labelled parts, folder trees, the toolchain's
 * own fingerprint), so every stage hashes its inputs the same way.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeFileAtomic } from '../util/atomic.ts';
import type { BuildContext } from './context.ts';
import type { Diagnostic } from '../model/diagnostics.ts';
import { BUNDLE_DIR, TOOLCHAIN_FILES, TOOLCHAIN_ROOT } from '../util/toolchain-files.ts';
import { isJsonObject } from '../fhir/json.ts';

const FORMAT = 'vm-ig-stage-cache/1';
/** Entries kept per stage besides the newest (older states the author may switch back to). */
const KEEP = 3;
const MAX_ENTRY_BYTES = 512 * 1024 * 1024;

export function stageCacheDir(root: string, stage: string): string {
  return join(root, '.vm-ig-cache', stage);
}

/** The stored body of `stage`'s entry under `key`, or undefined (absent, or not trusted and removed). */
export function readStageEntry<T>(root: string, stage: string, key: string, accept: (body: unknown) => body is T): T | undefined {
  const file = join(stageCacheDir(root, stage), `${key}.json`);
  if (!existsSync(file)) return undefined;
  try {
    if (statSync(file).size > MAX_ENTRY_BYTES) throw new Error('too large');
    const text = readFileSync(file, 'utf8');
    const newline = text.indexOf('\n');
    if (newline < 0) throw new Error('no header');
    const header: unknown = JSON.parse(text.slice(0, newline));
    const body = text.slice(newline + 1);
    if (!isJsonObject(header) || header.format !== FORMAT || header.stage !== stage || header.key !== key || header.sha256 !== sha256(body))
      throw new Error('corrupt');
    const parsed: unknown = JSON.parse(body);
    if (!accept(parsed)) throw new Error('unexpected shape');
    return parsed;
  } catch {
    rmSync(file, { force: true });
    return undefined;
  }
}

/** Store `body` as `stage`'s entry under `key`, keeping the few most recent others. */
export function writeStageEntry(root: string, stage: string, key: string, body: unknown): void {
  const text = JSON.stringify(body);
  const dir = stageCacheDir(root, stage);
  writeFileAtomic(join(dir, `${key}.json`), `${JSON.stringify({ format: FORMAT, stage, key, sha256: sha256(text) })}\n${text}`);
  prune(dir, key);
}

function prune(dir: string, newest: string): void {
  const entries = readdirSync(dir)
    .filter(f => f.endsWith('.json') && f !== `${newest}.json`)
    .map(f => ({ f, t: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { f } of entries.slice(KEEP)) rmSync(join(dir, f), { force: true });
}

/** A hash made of labelled parts (the label and length go in too, so parts cannot run together). */
export class KeyHash {
  private readonly hash = createHash('sha256');

  add(label: string, value: string | Buffer | Uint8Array): this {
    this.hash.update(`${label}\u0000${value.length}\u0000`);
    this.hash.update(value);
    return this;
  }

  /** Every file under `dir` (path relative to `root`, and bytes); anything else by its size and time. */
  addTree(dir: string, root: string, ignore: (rel: string) => boolean = () => false): this {
    if (!existsSync(dir)) return this.add(`absent ${relative(root, dir)}`, '');
    const walk = (d: string) => {
      for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const full = join(d, entry.name);
        const rel = relative(root, full);
        if (ignore(rel)) continue;
        if (entry.isDirectory()) walk(full);
        else if (entry.isFile()) this.add(`file ${rel}`, readFileSync(full));
        else this.add(`other ${rel}`, statLine(full));
      }
    };
    walk(dir);
    return this;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/** A file's size and modification time ('missing' when absent); a symbolic link says so. */
export function statLine(file: string): string {
  try {
    const link = lstatSync(file).isSymbolicLink() ? 'link ' : '';
    const s = statSync(file);
    return `${link}${s.size} ${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

let sources: string | undefined;
let toolchain: string | undefined;

/**
 * Where the toolchain's own files are: the project holding scripts/, and dist/ when this runs
 * from the bundle (`bundleDir` undefined: from the sources, through tsx or vitest).
 */
export function toolchainHome(): { project: string; bundleDir?: string } {
  return BUNDLE_DIR ? { project: TOOLCHAIN_ROOT, bundleDir: BUNDLE_DIR } : { project: TOOLCHAIN_ROOT };
}

/**
 * The toolchain's sources: every file of scripts/ (the built-in theme and the browser sources
 * included) and the locked library versions.
 */
export function sourcesFingerprint(): string {
  if (sources) return sources;
  const { project } = toolchainHome();
  const lock = TOOLCHAIN_FILES.lockFile;
  sources = new KeyHash()
    .addTree(TOOLCHAIN_FILES.scripts, project)
    .add('lock', existsSync(lock) ? readFileSync(lock) : 'none')
    .digest();
  return sources;
}

/**
 * The toolchain's fingerprint: its sources, the precompiled bundle when it runs from one, and
 * Node's version. Any change to the tool gives every stage new keys.
 */
export function toolchainFingerprint(): string {
  if (toolchain) return toolchain;
  const { project, bundleDir } = toolchainHome();
  const hash = new KeyHash().add('node', process.version).add('sources', sourcesFingerprint());
  if (bundleDir) hash.addTree(bundleDir, project, rel => rel.endsWith('.map'));
  toolchain = hash.digest();
  return toolchain;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * What a stage keeps in the build cache: its outcome (diagnostics and summary, replayed as they
 * were) and what it needs to put its results back (`saved`, the stage's own shape).
 */
export interface StageEntry {
  diagnostics: Diagnostic[];
  summary: string;
  saved: unknown;
}

export function isStageEntry(body: unknown): body is StageEntry {
  return isJsonObject(body) && Array.isArray(body.diagnostics) && typeof body.summary === 'string' && 'saved' in body;
}

/** How a stage uses the build cache (a property of its row in the pipeline's table). */
export interface StageCache {
  /** The key of this stage's run on `ctx` as it is now; undefined when this run is not to be cached. */
  key(ctx: BuildContext): string | undefined;
  /** What to keep of a run that just ended, for `restore`; undefined keeps nothing. */
  save(ctx: BuildContext): unknown;
  /**
   * Put a kept run back: set the context as the run did and check (or put back) its output on
   * disk. False when that cannot be done (the output was removed or edited): the stage runs.
   */
  restore(ctx: BuildContext, saved: unknown): boolean;
}

/**
 * The compiled guide as the stages after the compile see it (narratives and metadata applied).
 * Each compiled resource's own fields are taken in name order: a compile from the build cache
 * and a fresh one hold the same fields, not always in the same order.
 *
 * Made once per compiled guide and kept while its resources are the same objects: the stages
 * after the compile replace a resource to change it (the narrative stage does), never edit one
 * in place, so validate, package and site (each keyed before and after it runs) share one digest.
 */
export function compiledDigest(ctx: BuildContext): string {
  const compiled = ctx.compiled;
  if (!compiled) return digestOf([], undefined);
  const resources = compiled.resources.map(c => c.resource);
  const ig = compiled.implementationGuide?.resource;
  const kept = digests.get(compiled);
  if (kept && kept.ig === ig && kept.resources.length === resources.length && kept.resources.every((r, i) => r === resources[i])) return kept.digest;
  const digest = digestOf(compiled.resources, compiled.implementationGuide);
  digests.set(compiled, { resources, ig, digest });
  return digest;
}

const digests = new WeakMap<object, { resources: unknown[]; ig: unknown; digest: string }>();

function digestOf(items: readonly object[], ig: object | undefined): string {
  const hash = createHash('sha256');
  const add = (item: object) => {
    const fields = Object.entries(item)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    hash.update(`${JSON.stringify(Object.fromEntries(fields))}\n`);
  };
  for (const item of items) add(item);
  hash.update('ig\n');
  if (ig) add(ig);
  return hash.digest('hex');
}

/** path (relative, forward slashes) -> SHA-256 of every file under `dir`; undefined when it is absent. */
export function treeHashes(dir: string): Record<string, string> | undefined {
  if (!existsSync(dir)) return undefined;
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[relative(dir, full).split('\\').join('/')] = entry.isFile() ? sha256(readFileSync(full)) : statLine(full);
    }
  };
  walk(dir);
  return out;
}

/** Whether two `treeHashes` results name the same files with the same contents. */
export function sameTree(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  if (!a) return false;
  const names = Object.keys(b);
  return names.length === Object.keys(a).length && names.every(n => a[n] === b[n]);
}
