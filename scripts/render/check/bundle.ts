/**
 * The browser builds of the check page, with esbuild: the validator (scripts/validate/, unchanged,
 * with scripts/browser/worker.ts as its host) and the page script. Node-only modules are swapped
 * for the browser host's at the seams listed in HOST_MODULES; any other `node:` import reaching
 * the bundle fails the build, so the seam stays small. Output is deterministic; built once per
 * process (the sources do not change while it runs).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** scripts/, seen from this module's sources (scripts/render/check/) or from the precompiled CLI (dist/). */
const HERE = dirname(fileURLToPath(import.meta.url));
const SCRIPTS = [resolve(HERE, '..', '..'), resolve(HERE, '..', 'scripts')].find(d => existsSync(join(d, 'browser', 'worker.ts'))) ?? resolve(HERE, '..', '..');
const SHIMS = join(SCRIPTS, 'browser', 'shims');

/** Node host module -> browser stand-in (by import path as written, and the importer's folder). */
const HOST_MODULES: { filter: RegExp; from: string; to: string }[] = [
  { filter: /^\.\/core-source\.ts$/, from: join(SCRIPTS, 'validate'), to: join(SHIMS, 'core-source.ts') },
  { filter: /^node:module$/, from: join(SCRIPTS, 'fhir', 'fhir-xml.ts'), to: join(SHIMS, 'node-module.ts') },
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
}

let built: Promise<BrowserBundles> | undefined;

export function browserBundles(): Promise<BrowserBundles> {
  built ??= (async () => ({
    validator: await bundle(join(SCRIPTS, 'browser', 'worker.ts'), [join(SHIMS, 'buffer.ts')]),
    page: await bundle(join(SCRIPTS, 'browser', 'page', 'main.ts'), [])
  }))();
  built.catch(() => (built = undefined));
  return built;
}

/** One entry bundled for the browser through the host seam (exported for tests). */
export async function bundle(entry: string, inject: string[] = []): Promise<string> {
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
