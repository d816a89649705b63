/**
 * Where the toolchain's own runtime files are, for the TypeScript sources (tsx, vitest) and the
 * precompiled bundle (dist/, as `npm ci` and an installed package run it) alike. Every module that
 * needs a file shipped with the tool asks here rather than computing a path from its own
 * `import.meta.url`: bundled, a module's URL is a chunk in dist/, not its place under scripts/.
 *
 * The layout this relies on is the package's (package.json `files`): bin/, dist/ and scripts/
 * side by side under the package root, the libraries resolved from there by Node's usual rules.
 */
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const fromSources = self.endsWith('.ts');

/** The package root: the folder holding bin/, scripts/ and (when built) dist/. */
export const TOOLCHAIN_ROOT = fromSources ? resolve(dirname(self), '..', '..') : resolve(dirname(self), '..');

/** dist/ when this runs from the bundle; undefined from the sources. */
export const BUNDLE_DIR: string | undefined = fromSources ? undefined : dirname(self);

const SCRIPTS = join(TOOLCHAIN_ROOT, 'scripts');

/** Every runtime file the toolchain reads from its own package. */
export const TOOLCHAIN_FILES = {
  /** The sources (the toolchain's fingerprint, the browser bundles' entry points, thread entries). */
  scripts: SCRIPTS,
  /** The neutral theme for guides without a `site/` folder. */
  defaultTheme: join(SCRIPTS, 'stages', 'render', 'default-theme'),
  /** The check page's browser sources and their Node-module stand-ins. */
  browserSources: join(SCRIPTS, 'apps', 'browser'),
  /** The lock file (the library versions, part of the toolchain's fingerprint). */
  lockFile: join(TOOLCHAIN_ROOT, 'package-lock.json')
} as const;

/** dist/ whether or not this process runs from it (the bundle step writes there from the sources). */
export const DIST_DIR = join(TOOLCHAIN_ROOT, 'dist');

/** `require` for the libraries the toolchain ships with (FHIR core definitions, nhsuk-frontend, FHIR.js, ...). */
export const toolchainRequire = createRequire(join(TOOLCHAIN_ROOT, 'package.json'));
