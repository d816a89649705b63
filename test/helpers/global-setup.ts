/**
 * Before any test worker starts: write the shared FHIR core package cache once, and rebuild the
 * precompiled CLI (dist/, as `npm ci` makes it) when a source is newer, so the tests that spawn
 * `bin/vm-ig.js` run the bundle users run, not the sources through tsx.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { bundleIsFresh } from '../../bin/bundle-fresh.mjs';
import { ensureCorePackage } from '../../scripts/fhir/core-package.ts';
import { REPO_ROOT, SHARED_PACKAGE_CACHE } from './project.ts';

export default function setup(): void {
  // Tests never reach a package registry unless they start one on loopback: in-process builds are
  // --offline (SUSHI's automatic packages are then skipped quietly). Child CLIs get their own env.
  process.env.VM_IG_OFFLINE ??= '1';
  ensureCorePackage(SHARED_PACKAGE_CACHE);
  if (bundleIsFresh(REPO_ROOT)) return;
  try {
    execFileSync(process.execPath, [join(REPO_ROOT, 'bin', 'bundle.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
  } catch {
    // A source that does not bundle (an edit in progress) fails the tests that reach it, not the
    // whole run: bin/vm-ig.js runs the sources through tsx while dist/ is older than them. (`npm ci`
    // bundles too, so CI fails on it there.)
    process.stderr.write('global setup: bin/bundle.mjs failed (above); CLI tests run the sources through tsx\n');
  }
}
