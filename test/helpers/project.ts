/**
 * Test helpers: a dedent, a throw-away project folder, and the shared package cache every test
 * project reads (so the 4,480-file core package is written once per checkout, not per test).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/**
 * The tests' FHIR package cache: the vm-ig cache of the child CLIs' XDG_CACHE_HOME (helpers/cli.ts).
 * Never the checkout's own `.fhir-packages/`: a project that has one uses it as its package
 * cache, so `npm test` would change the guide's build keys and the next `npm run build` would
 * compile everything again.
 */
export const SHARED_PACKAGE_CACHE = join(REPO_ROOT, '.test-xdg-cache', 'vm-ig', 'fhir-packages');

export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter(l => l.trim()).map(l => l.match(/^ */)![0].length));
  return lines.map(l => l.slice(indent)).join('\n');
}

export function tempDir(prefix = 'vm-ig-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The guide's sources (not its output): what a test that builds the guide copies. */
export const GUIDE_SOURCES = ['sushi-config.yaml', 'ig.ini', 'fsh', 'input', 'site'];

/** A temp copy of this guide's sources, so tests that build it never write into the checkout. */
export function copyGuide(prefix = 'vm-ig-guide-'): string {
  const dir = tempDir(prefix);
  for (const name of GUIDE_SOURCES) if (existsSync(join(REPO_ROOT, name))) cpSync(join(REPO_ROOT, name), join(dir, name), { recursive: true });
  return dir;
}

/** Copy a fixture project (or start empty) into a temp folder and add/override files. */
export function makeProject(files: Record<string, string>, fixture?: string): string {
  const dir = tempDir();
  if (fixture) cpSync(fixture, dir, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

export const MINIMAL_CONFIG = dedent(`
  id: test.fixture
  canonical: http://example.org/fixture
  name: Fixture
  title: Fixture guide
  status: draft
  version: 0.0.1
  fhirVersion: 4.0.1
  date: 2026-01-01
  copyrightYear: 2026+
  releaseLabel: ci-build
  publisher:
    name: Test
  menu:
    Home: index.html
`);
