/** Where things live in a project. One place, so stages never guess paths. */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fshFolderOf } from './layout.ts';

export interface ProjectPaths {
  root: string;
  config: string;
  fsh: string;
  input: string;
  pagecontent: string;
  fshGenerated: string;
  resources: string;
  build: string;
  site: string;
  theme: string;
  packageCache: string;
  userPackageCache: string;
}

export interface PathOptions {
  /** The user's FHIR package cache; `~/.fhir/packages` by default. Read-only for us. */
  userPackageCache?: string;
  /**
   * The package cache we write: `<root>/.fhir-packages` when the project has one, otherwise the
   * per-user cache every project shares (see `sharedPackageCache`).
   */
  packageCache?: string;
}

export function projectPaths(root: string, options: PathOptions = {}): ProjectPaths {
  const r = resolve(root);
  return {
    root: r,
    config: join(r, 'sushi-config.yaml'),
    /** input/fsh/ (SUSHI's layout) when only it exists, else fsh/; see layout.ts. */
    fsh: fshFolderOf(r),
    input: join(r, 'input'),
    pagecontent: join(r, 'input', 'pagecontent'),
    fshGenerated: join(r, 'fsh-generated'),
    resources: join(r, 'fsh-generated', 'resources'),
    build: join(r, 'build'),
    site: join(r, 'build', 'site'),
    theme: join(r, 'site'),
    packageCache: options.packageCache ?? process.env.VM_IG_PACKAGE_CACHE ?? projectOrSharedCache(r),
    userPackageCache: options.userPackageCache ?? process.env.FHIR_PACKAGE_CACHE ?? join(homedir(), '.fhir', 'packages')
  };
}

/**
 * One FHIR package cache per user, shared by every project on the machine (so a new guide does
 * not get its own copy of the core package): `$XDG_CACHE_HOME/vm-ig/fhir-packages`, or
 * `~/.cache/vm-ig/fhir-packages`. `~/.fhir/packages` is never written: it stays read-only for us.
 */
export function sharedPackageCache(): string {
  return join(sharedCacheRoot(), 'fhir-packages');
}

/** The per-user cache folder of vm-ig (`$XDG_CACHE_HOME/vm-ig` or `~/.cache/vm-ig`): packages and their indexes. */
export function sharedCacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'vm-ig');
}

function projectOrSharedCache(root: string): string {
  const local = join(root, '.fhir-packages');
  return existsSync(local) ? local : sharedPackageCache();
}
