/**
 * `vm-ig packages add x.tgz`: installs a FHIR package tarball into the project-local cache
 * (`<cache>/<name>#<version>/package/...`). The archive is hostile until proven otherwise: it is
 * unpacked by the safe reader into a fresh staging folder inside the cache, its name and version
 * are checked against the FHIR package rules, its `.index.json` and file count are verified, an
 * install record is written last, and only then is it swapped in by rename. An installed package
 * is never removed before its replacement is complete, and nothing is written outside the cache.
 */
import {
  closeSync,
  constants,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeSync,
  writeFileSync
} from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { replaceDirectory, removeStaleWork } from '../util/atomic.ts';
import { packageLabel, packageNameProblem, packageVersionProblem } from './package-id.ts';
import { ArchiveError, readTarGz, type ArchiveLimits, type EntrySink } from './tar-reader.ts';
import { errorCode } from '../util/errors.ts';
import { isJsonObject } from './json.ts';

export interface InstalledPackage {
  name: string;
  version: string;
  path: string;
  /** Files installed, and links or special files that were left out. */
  files: number;
  dropped: number;
}

export interface InstallOptions {
  limits?: Partial<ArchiveLimits>;
  /** The package the caller asked for: a tarball naming another is refused. */
  expect?: { name: string; version?: string };
  /** Install as `<name>#<label>` instead of its own version (`current` builds are cached so). */
  label?: string;
  /** Where it came from, kept in the install record (a registry URL, its integrity). */
  source?: Record<string, string>;
}

/** The record written last into an installed package: its presence with the right count marks it complete. */
export const INSTALL_RECORD = '.vm-ig-install.json';
const STAGING_PREFIX = '.vm-ig-staging';
const MAX_MANIFEST_BYTES = 1024 * 1024;

/**
 * Staging folders and half-swapped packages left in the caches by a package command that was
 * killed (an unpacked archive can be most of a gigabyte): cleared when any package command starts,
 * as the next install would. Work of a process that still runs is left alone.
 */
export function clearStalePackageWork(cacheDirs: readonly string[]): void {
  for (const dir of cacheDirs) removeStaleWork(dir, undefined, true);
}

export async function installPackageTarball(cacheDir: string, tarball: string, options: InstallOptions = {}): Promise<InstalledPackage> {
  mkdirSync(cacheDir, { recursive: true });
  const cache = realpathSync(cacheDir);
  removeStaleWork(cache, undefined, true);
  const staging = mkdtempSync(join(cache, `${STAGING_PREFIX}.staging-${process.pid}-`));
  try {
    const extracted = await extract(tarball, staging, options.limits);
    const { name, version } = readManifest(staging);
    const wanted = options.expect;
    if (wanted && (wanted.name !== name || (wanted.version !== undefined && wanted.version !== version)))
      throw new ArchiveError(`it holds ${name}#${version}, not the ${wanted.name}${wanted.version ? `#${wanted.version}` : ''} asked for`);
    const problem = indexProblem(join(staging, 'package'));
    if (problem) throw new ArchiveError(problem);
    const files = countFiles(join(staging, 'package'));
    if (files !== extracted.files) throw new ArchiveError(`${extracted.files} files unpacked but ${files} found in staging`);
    writeFileSync(join(staging, INSTALL_RECORD), JSON.stringify({ name, version, files, ...options.source }));
    const target = targetIn(cache, packageLabel(name, options.label ?? version));
    replaceDirectory(staging, target);
    return { name, version, path: target, files, dropped: extracted.dropped };
  } catch (e) {
    if (e instanceof ArchiveError) throw new Error(`${tarball}: ${e.message}; nothing was installed`, { cause: e });
    throw e;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Unpack into `staging`; entries outside `package/` are nested under it, as the IG Publisher does. */
async function extract(tarball: string, staging: string, limits?: Partial<ArchiveLimits>): Promise<{ files: number; dropped: number; manifest: boolean }> {
  const written = new Set<string>();
  let manifest = false;
  const summary = await readTarGz(
    tarball,
    {
      file(path) {
        const inPackage = path === 'package' || path.startsWith('package/') ? path : `package/${path}`;
        if (path === 'package/package.json') manifest = true;
        written.add(inPackage);
        return fileSink(inside(staging, inPackage));
      },
      directory(path) {
        mkdirSync(inside(staging, path.startsWith('package') ? path : `package/${path}`), { recursive: true, mode: 0o755 });
      }
    },
    limits
  );
  if (!manifest) throw new ArchiveError('no package/package.json inside; not a FHIR package');
  return { files: written.size, dropped: summary.dropped, manifest };
}

/** `rel` joined to `root`, refusing anything that would resolve outside it (a second line of defence). */
function inside(root: string, rel: string): string {
  const path = resolve(root, rel);
  if (!path.startsWith(root + sep)) throw new ArchiveError(`entry '${rel}' would be written outside the package`);
  return path;
}

/** A plain file (mode 0644, never through a link), written chunk by chunk. */
function fileSink(path: string): EntrySink {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  } catch (e) {
    throw new ArchiveError(`cannot create the folder for '${basename(path)}' (${errorCode(e)}): a file and a folder share a name`);
  }
  let fd: number | undefined = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
  return {
    write(chunk) {
      if (fd !== undefined) writeSync(fd, chunk);
    },
    end() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    }
  };
}

function readManifest(staging: string): { name: string; version: string } {
  const path = join(staging, 'package', 'package.json');
  if (!statSync(path).isFile() || statSync(path).size > MAX_MANIFEST_BYTES) throw new ArchiveError('package/package.json is not a small regular file');
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new ArchiveError('package/package.json is not valid JSON');
  }
  if (!isJsonObject(manifest)) throw new ArchiveError('package/package.json is not a JSON object');
  const { name, version } = manifest;
  const problem = packageNameProblem(name) ?? packageVersionProblem(version);
  if (problem || typeof name !== 'string' || typeof version !== 'string')
    throw new ArchiveError(`package/package.json ${problem ?? 'has no name or version'}; is this a FHIR package?`);
  return { name, version };
}

/** Why a package folder's `.index.json` does not match its files; undefined when it does or there is none. */
export function indexProblem(pkgDir: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(pkgDir, '.index.json'), 'utf8');
  } catch {
    return undefined;
  }
  let files: unknown;
  try {
    const index: unknown = JSON.parse(text);
    files = isJsonObject(index) ? index.files : undefined;
  } catch {
    return 'package/.index.json is not valid JSON';
  }
  if (!Array.isArray(files)) return 'package/.index.json has no files list';
  const present = new Set(readdirSync(pkgDir));
  const missing = files.filter(f => !(isJsonObject(f) && typeof f.filename === 'string' && present.has(f.filename)));
  if (missing.length > 0) return `package/.index.json lists ${files.length} files but ${missing.length} of them are not in the package`;
  return undefined;
}

/** Regular files under `dir`, recursively. */
export function countFiles(dir: string): number {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) n += countFiles(join(dir, entry.name));
    else if (entry.isFile()) n++;
  }
  return n;
}

/** `<cache>/<label>`, refused unless it is directly inside the cache. */
function targetIn(cache: string, label: string): string {
  const target = resolve(cache, label);
  if (dirname(target) !== cache || basename(target) !== label) throw new ArchiveError(`'${label}' is not a folder name directly inside the cache`);
  return target;
}

/** Why an installed package folder is incomplete (a half-finished or damaged install), or undefined. */
export function installedPackageProblem(dir: string): string | undefined {
  const pkgDir = join(dir, 'package');
  let record: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(dir, INSTALL_RECORD), 'utf8'));
    record = isJsonObject(parsed) ? parsed : undefined;
  } catch {
    record = undefined;
  }
  try {
    if (record) {
      const files = countFiles(pkgDir);
      return files === record.files ? undefined : `has ${files} of the ${String(record.files)} files it was installed with`;
    }
    // Written by another tool (the core package writer): complete when its index matches.
    readFileSync(join(pkgDir, '.index.json'));
    return indexProblem(pkgDir);
  } catch {
    return 'has no install record and no package/.index.json (an interrupted install?)';
  }
}
