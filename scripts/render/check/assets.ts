/**
 * The check page's lazily loaded payload, content-hashed under assets/check/: the validator
 * bundle (wrapped in a function the page turns into a Web Worker through a Blob, which works from
 * file:// too), the definitions closure (compacted JSON in a script, for the same reason) and the
 * page script. Built by the site stage; the closure is cached per core package and guide.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { CompiledResource, FhirResource } from '../../model.ts';
import { corePackageDir, packageSource } from '../../validate/core-source.ts';
import { browserBundles, validatorScript } from './bundle.ts';
import { definitionsClosure, isConformance } from './closure.ts';
import { compactResource } from './compact.ts';

/** An input offered on the page ("Load example", "Try an error"). */
export interface CheckSample {
  /** File name shown and used as the report's file (`Observation-x.json`). */
  name: string;
  title: string;
  description?: string;
  text: string;
}

export interface CheckAssets {
  /** Files by site path: the payload under assets/check/, the page script under assets/js/. */
  files: Map<string, string>;
  validator: string;
  definitions: string;
  script: string;
  /** Bytes of the validator payload (validator + definitions), raw and gzipped. */
  size: { raw: number; gzip: number };
  /** Invalid messages to try (from the project's input/check-errors). */
  errors: CheckSample[];
  /** Core definitions carried, and how many were left out. */
  counts: { core: number; guide: number; omitted: number };
}

export interface CheckAssetsInput {
  packageCache: string;
  resources: readonly CompiledResource[];
  errors?: CheckSample[];
}

export async function buildCheckAssets(input: CheckAssetsInput): Promise<CheckAssets> {
  const bundles = await browserBundles();
  const guide = input.resources.map(c => c.resource).filter(isConformance);
  const examples = input.resources.map(c => c.resource).filter(r => !isConformance(r));
  const payload = definitionsPayload(input.packageCache, guide, [...examples, ...parsedSamples(input.errors ?? [])]);
  const validatorJs = validatorScript(bundles.validator);
  const definitionsJs = `self.VMCheckDefinitions=${JSON.stringify(payload.json)};\n`;
  const files = new Map<string, string>();
  const put = (stem: string, text: string, folder = 'check') => {
    const digest = hash(text);
    const path = `assets/${folder}/${stem}-${digest}.js`;
    files.set(path, text);
    return { path, digest };
  };
  const validator = put('validator', validatorJs);
  const definitions = put('definitions', definitionsJs);
  const script = put('check', bundles.page, 'js').path;
  const gzip = (bundles.validatorScriptGzip ?? gzippedSize(validator.digest, validatorJs)) + gzippedSize(definitions.digest, definitionsJs);
  return {
    files,
    validator: validator.path,
    definitions: definitions.path,
    script,
    size: { raw: validatorJs.length + definitionsJs.length, gzip },
    errors: input.errors ?? [],
    counts: payload.counts
  };
}

/** Gzipped sizes by content hash: the validator bundle is the same on every render of a dev session. */
const gzipSizes = new Map<string, number>();

function gzippedSize(digest: string, text: string): number {
  let size = gzipSizes.get(digest);
  if (size === undefined) {
    size = gzipSync(text, { level: 9 }).length;
    if (gzipSizes.size > 8) gzipSizes.clear();
    gzipSizes.set(digest, size);
  }
  return size;
}

const closures = new Map<string, { json: string; counts: CheckAssets['counts'] }>();

function definitionsPayload(packageCache: string, guide: FhirResource[], examples: FhirResource[]): { json: string; counts: CheckAssets['counts'] } {
  const guideJson = JSON.stringify(guide.map(compactResource));
  const key = `${packageCache}\n${hash(guideJson)}\n${hash(JSON.stringify(examples))}`;
  let hit = closures.get(key);
  if (!hit) {
    const core = packageSource(corePackageDir(packageCache));
    const closure = definitionsClosure({ core, guide, examples });
    const json = `{"core":${JSON.stringify(closure.core.map(compactResource))},"guide":${guideJson},"omitted":${JSON.stringify(closure.omitted)}}`;
    hit = { json, counts: { core: closure.core.length, guide: guide.length, omitted: closure.omitted.length } };
    closures.clear();
    closures.set(key, hit);
  }
  return hit;
}

function parsedSamples(samples: CheckSample[]): FhirResource[] {
  return samples.flatMap(s => {
    try {
      const value = JSON.parse(s.text) as unknown;
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? [value as FhirResource] : [];
    } catch {
      return [];
    }
  });
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
