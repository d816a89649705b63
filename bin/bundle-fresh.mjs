// Whether the precompiled CLI in dist/ was built from the sources as they are: dist/cli.js no
// older than every file under scripts/. bin/vm-ig.js runs the bundle only then (else the sources
// through tsx); the tests' global setup rebuilds it when it is not.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** @param {string} root the package root (bin/, dist/ and scripts/ inside) */
export function bundleIsFresh(root) {
  const bundle = join(root, 'dist', 'cli.js');
  return existsSync(bundle) && statSync(bundle).mtimeMs >= newestSource(join(root, 'scripts'));
}
