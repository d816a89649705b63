/**
 * Temporary copies of a project for anything that writes: our layout (fsh/, input/, site/,
 * sushi-config.yaml) and SUSHI's (input/fsh/), plus a HOME whose FHIR package cache holds the
 * same local core package the toolchain uses.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCorePackage } from '../scripts/fhir/core-package.ts';
import { REPO } from './child.ts';

// The tests' package cache (test/helpers/project.ts), never the checkout's own .fhir-packages/: a
// project folder there would become the guide's package cache and change its build keys.
export const SHARED_CACHE = join(REPO, '.test-xdg-cache', 'vm-ig', 'fhir-packages');
// A fresh clone's build writes the per-user cache, not this one: make sure the benches have it.
ensureCorePackage(SHARED_CACHE);
const PROJECT_PARTS = ['fsh', 'input', 'site', 'sushi-config.yaml', 'ig.ini'];
const made: string[] = [];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Copy the project's sources (not build output) into a fresh temp folder. */
export function copyProject(from = REPO): string {
  const dir = tempDir('vm-ig-bench-project-');
  for (const part of PROJECT_PARTS) {
    if (existsSync(join(from, part))) cpSync(join(from, part), join(dir, part), { recursive: true });
  }
  return dir;
}

/** The same sources laid out as `sushi build` expects: input/fsh/, input/pagecontent/. */
export function sushiLayout(from = REPO): string {
  const dir = tempDir('vm-ig-bench-sushi-');
  cpSync(join(from, 'sushi-config.yaml'), join(dir, 'sushi-config.yaml'));
  cpSync(join(from, 'fsh'), join(dir, 'input', 'fsh'), { recursive: true });
  const pages = join(from, 'input', 'pagecontent');
  if (existsSync(pages)) cpSync(pages, join(dir, 'input', 'pagecontent'), { recursive: true });
  return dir;
}

/** A HOME whose ~/.fhir/packages links every package of the shared local cache. */
export function fhirHome(): string {
  const home = tempDir('vm-ig-bench-home-');
  const packages = join(home, '.fhir', 'packages');
  mkdirSync(packages, { recursive: true });
  for (const name of readdirSync(SHARED_CACHE)) {
    if (name.includes('#')) symlinkSync(join(SHARED_CACHE, name), join(packages, name), 'dir');
  }
  return home;
}

/** Environment for our CLI on a temp project: the shared cache, an empty user cache and HOME. */
export function toolchainEnv(): Record<string, string> {
  const home = tempDir('vm-ig-bench-emptyhome-');
  return { HOME: home, VM_IG_PACKAGE_CACHE: SHARED_CACHE, FHIR_PACKAGE_CACHE: join(home, '.fhir', 'packages') };
}
