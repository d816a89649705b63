/**
 * The browser builds of the check page, with esbuild: the validator (scripts/validate/, unchanged,
 * with scripts/apps/browser/worker.ts as its host) and the page script. Node-only modules are swapped
 * for the browser host's at the seams listed in HOST_MODULES; any other `node:` import reaching
 * the bundle fails the build, so the seam stays small. Output is deterministic; built once per
 * process (the sources do not change while it runs).
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { Plugin } from 'esbuild';
import { writeFileAtomic } from '../../../util/atomic.ts';
import { sourcesFingerprint } from '../../../pipeline/stage-cache.ts';
import { DIST_DIR, TOOLCHAIN_FILES } from '../../../util/toolchain-files.ts';
import { isJsonObject } from '../../../fhir/json.ts';

const SCRIPTS = TOOLCHAIN_FILES.scripts;
const SHIMS = join(TOOLCHAIN_FILES.browserSources, 'shims');

/** Node host module -> browser stand-in (by import path as written, and the importer's folder). */
const HOST_MODULES: { filter: RegExp; from: string; to: string }[] = [
  { filter: /^\.\/core-source\.ts$/, from: join(SCRIPTS, 'lib', 'validator'), to: join(SHIMS, 'core-source.ts') },
  { filter: /^\.\.\/util\/toolchain-files\.ts$/, from: join(SCRIPTS, 'fhir', 'fhir-xml.ts'), to: join(SHIMS, 'toolchain-files.ts') },
  { filter: /^\.\/parseConformance$/, from: 'node_modules/fhir', to: join(SHIMS, 'parse-conformance.ts') },
  { filter: /^(stream|string_decoder)$/, from: 'node_modules/sax', to: join(SHIMS, 'stream.ts') }
];

const hostSeam: Plugin = {
  name: 'browser-host',
  setup(build) {
    for (const m of HOST_MODULES) {
      build.onResolve({ filter: m.filter }, args => (args.importer.includes(m.from) ? { path: m.to } : undefined));
    }
    build.onResolve({ filter: /^(node:|fs$|path$|os$|crypto$|child_process$)/ }, args => ({
      errors: [{ text: `${args.path} (imported by ${args.importer}) is Node-only: put it behind the host seam` }]
    }));
  }
};

export interface BrowserBundles {
  validator: string;
  page: string;
  /** Gzipped size of `validatorScript(validator)`, when precompiled (measuring it takes a few hundred ms). */
  validatorScriptGzip?: number;
}

/** The validator bundle wrapped in a function the page turns into a Web Worker through a Blob. */
export function validatorScript(validator: string): string {
  return `self.VMCheckValidator=function(){\n${validator}};\n`;
}

let built: Promise<BrowserBundles> | undefined;

/**
 * The bundles, as precompiled on install (`npm ci` runs bin/bundle.mjs, which calls
 * `writePrebuiltBundles`) when they were built from these very sources; built here otherwise.
 */
export function browserBundles(): Promise<BrowserBundles> {
  built ??= Promise.resolve(readPrebuiltBundles() ?? buildBundles());
  built.catch(() => (built = undefined));
  return built;
}

const PREBUILT = join(DIST_DIR, 'browser-bundles.json');
const PREBUILT_FORMAT = 'vm-ig-browser-bundles/1';

async function buildBundles(): Promise<BrowserBundles> {
  return {
    validator: await bundle(join(SCRIPTS, 'apps', 'browser', 'worker.ts'), [join(SHIMS, 'buffer.ts')]),
    page: await bundle(join(SCRIPTS, 'apps', 'browser', 'page', 'main.ts'), [])
  };
}

/** The precompiled bundles in `file`, if they were built from the current sources. */
export function readPrebuiltBundles(file = PREBUILT): BrowserBundles | undefined {
  try {
    const stored: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isJsonObject(stored)) return undefined;
    if (stored.format !== PREBUILT_FORMAT || stored.sources !== sourcesFingerprint()) return undefined;
    if (typeof stored.validator !== 'string' || typeof stored.page !== 'string') return undefined;
    const gzip = typeof stored.validatorScriptGzip === 'number' ? { validatorScriptGzip: stored.validatorScriptGzip } : {};
    return { validator: stored.validator, page: stored.page, ...gzip };
  } catch {
    return undefined;
  }
}

/** Build the bundles and keep them in dist/ with the fingerprint of the sources they came from. */
export async function writePrebuiltBundles(file = PREBUILT): Promise<string> {
  const bundles = await buildBundles();
  const validatorScriptGzip = gzipSync(validatorScript(bundles.validator), { level: 9 }).length;
  writeFileAtomic(file, JSON.stringify({ format: PREBUILT_FORMAT, sources: sourcesFingerprint(), ...bundles, validatorScriptGzip }));
  return file;
}

/** One entry bundled for the browser through the host seam (exported for tests). */
export async function bundle(entry: string, inject: string[] = []): Promise<string> {
  // esbuild is loaded only when something is bundled (not when the precompiled bundles serve).
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    inject,
    plugins: [hostSeam],
    logLevel: 'silent',
    absWorkingDir: join(SCRIPTS, '..')
  });
  return result.outputFiles[0]!.text;
}
