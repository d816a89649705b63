#!/usr/bin/env node
// Runs the precompiled CLI (dist/cli.js, written by bin/bundle.mjs on `npm ci`) while it is newer
// than every source file under scripts/; otherwise the TypeScript sources through tsx's loader,
// so an edit to the toolchain is never shadowed by a stale bundle.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleIsFresh } from './bundle-fresh.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

if (bundleIsFresh(root)) {
  await import(join(root, 'dist', 'cli.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../scripts/cli.ts');
}
