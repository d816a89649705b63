/**
 * The check page's lazily loaded payload, content-hashed under assets/check/: the validator
 * bundle (wrapped in a function the page turns into a Web Worker through a Blob, which works from
 * file:// too), the definitions closure (compacted JSON in a script, for the same reason) and the
 * page script. Built by the site stage; the closure is cached per core package and guide.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { CompiledResource, FhirResource } from '../../../model/resources.ts';
import { isFhirResource } from '../../../fhir/json.ts';
import { coreDefinitions, coreSource } from '../../../lib/validator/core-source.ts';
import { browserBundles, validatorScript } from './bundle.ts';
import { closureRoots, definitionsClosure, isConformance, type ClosureInput } from './closure.ts';
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
  const payload = definitionsPayload({ packageCache: input.packageCache, guide, examples: [...examples, ...parsedSamples(input.errors ?? [])] });
  const validatorJs = validatorScript(bundles.validator);
  const definitionsJs = payload.script;
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
  const gzip = () => (bundles.validatorScriptGzip ?? gzippedSize(validator.digest, validatorJs)) + gzippedSize(definitions.digest, definitionsJs);
  return {
    files,
    validator: validator.path,
    definitions: definitions.path,
    script,
    size: {
      raw: validatorJs.length + definitionsJs.length,
      // Gzipping 6 MB takes 0.1 s, and only the bench and a test read it: made when asked.
      get gzip() {
        return gzip();
      }
    },
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

/** The core part of the payload, by what decides it: the closure's roots and the guide's own URLs. */
const coreParts = new Map<string, { core: string; omitted: string; counts: { core: number; omitted: number } }>();
const payloads = new Map<string, Payload>();

interface PayloadInput {
  packageCache: string;
  guide: FhirResource[];
  examples: FhirResource[];
}

interface Payload {
  script: string;
  counts: CheckAssets['counts'];
}

/** The definitions script (the closure as compacted JSON in a string) and what it holds. */
function definitionsPayload({ packageCache, guide, examples }: PayloadInput): Payload {
  const guideJson = JSON.stringify(guide.map(compactResource));
  const key = `${packageCache}\n${hash(guideJson)}\n${hash(JSON.stringify(examples))}`;
  let hit = payloads.get(key);
  if (!hit) {
    const input = { core: cachedCore(packageCache), guide, examples };
    const roots = closureRoots(input);
    const coreKey = `${packageCache}\n${hash(JSON.stringify([roots, guide.map(r => r.url)]))}`;
    let part = coreParts.get(coreKey);
    if (!part) {
      const closure = definitionsClosure(input, roots);
      part = {
        core: `[${closure.core.map(compactJson).join(',')}]`,
        omitted: JSON.stringify(closure.omitted),
        counts: { core: closure.core.length, omitted: closure.omitted.length }
      };
      coreParts.clear();
      coreParts.set(coreKey, part);
    }
    const json = `{"core":${part.core},"guide":${guideJson},"omitted":${part.omitted}}`;
    hit = { script: `self.VMCheckDefinitions=${JSON.stringify(json)};\n`, counts: { ...part.counts, guide: guide.length } };
    payloads.clear();
    payloads.set(key, hit);
  }
  return hit;
}

/**
 * The core package as the closure reads it: through `coreDefinitions`, so a definition is parsed
 * once per process whether the validator or the check page reads it first.
 */
function cachedCore(packageCache: string): ClosureInput['core'] {
  const defs = coreDefinitions(packageCache);
  return { ...coreSource(packageCache), read: url => defs.get(url) };
}

/** A core definition's compacted JSON, made once per parsed resource (they are shared and never changed). */
const compacted = new WeakMap<FhirResource, string>();

function compactJson(r: FhirResource): string {
  let json = compacted.get(r);
  if (json === undefined) compacted.set(r, (json = JSON.stringify(compactResource(r))));
  return json;
}

/**
 * The invalid messages that parse as resources: their types, profiles and code systems join the
 * closure. One that is not a resource (no resourceType) needs no definition: the validator
 * refuses it before any profile is looked up.
 */
function parsedSamples(samples: CheckSample[]): FhirResource[] {
  return samples.flatMap(s => {
    try {
      const value: unknown = JSON.parse(s.text);
      return isFhirResource(value) ? [value] : [];
    } catch {
      return [];
    }
  });
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
