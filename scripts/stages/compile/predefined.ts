/**
 * Predefined resources: the JSON and XML files the IG Publisher reads from input/resources,
 * input/examples, input/profiles, input/extensions, input/vocabulary, input/capabilities,
 * input/models, input/operations and the `path-resource` folders. SUSHI has already loaded them
 * (as its `sushi-local` package) and listed them in the ImplementationGuide; this module hands the
 * same resources to the later stages, so they are validated, packaged and rendered too, each once.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, relative } from 'node:path';
import { byLoadOrder } from 'fhir-package-loader';
import { xmlToTypedJson } from '../../fhir/fhir-xml.ts';
import { isFhirResource } from '../../fhir/json.ts';
import { resourceOf, type ImplementationGuideDefinitionResource } from '../../fhir/r4.ts';
import { escapeControl, type Diagnostic } from '../../model/diagnostics.ts';
import { type CompiledResource, type FhirResource } from '../../model/resources.ts';
import type { ProjectPaths } from '../../project/paths.ts';
import { addSnapshots } from './snapshot-resources.ts';
import { PREDEFINED_PACKAGE, predefinedResourceFolders, type SushiConfig, type SushiDefinitions } from './sushi/adapter.ts';

export interface PredefinedResult {
  resources: CompiledResource[];
  diagnostics: Diagnostic[];
  /** The loaded packages' definitions by canonical URL (bases for snapshots the differential-only ones need). */
  lookup?: (url: string) => FhirResource | undefined;
}

/**
 * The predefined resources SUSHI listed in `ig` (files directly in a resource folder, as its
 * IGExporter lists them), in load order, each with its project-relative source file.
 */
/**
 * The IG parameters without `path-resource` entries inside fsh-generated/: SUSHI empties that
 * folder before it loads predefined resources, so guides that list `fsh-generated/resources` there
 * (for the IG Publisher) never get SUSHI's previous output back as predefined resources.
 */
export function withoutGeneratedPaths(parameters: SushiConfig['parameters']): SushiConfig['parameters'] {
  if (!Array.isArray(parameters)) return parameters;
  const generated = (value: unknown) => typeof value === 'string' && /^(\.\/)?fsh-generated(\/|\\|$)/.test(value.trim());
  return parameters.filter(p => !(p?.code === 'path-resource' && generated(p.value)));
}

export function predefinedResources(defs: SushiDefinitions, paths: ProjectPaths, parameters: SushiConfig['parameters'], ig?: FhirResource): PredefinedResult {
  const folders = predefinedResourceFolders(paths.input, paths.root, withoutGeneratedPaths(parameters));
  const infos = defs.findResourceInfos('*', { scope: PREDEFINED_PACKAGE.name, sort: [byLoadOrder(true)] });
  const all: unknown[] = defs.allPredefinedResources();
  const entries = igEntries(ig);
  const out: CompiledResource[] = [];
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  all.forEach((resource, i) => {
    const file = (infos[i]?.resourcePath ?? '').replace(/^virtual:[^#]+#[^:]+:/, '');
    if (!file || !folders.includes(dirname(file)) || !isFhirResource(resource) || !resource.resourceType || !resource.id) return;
    const key = `${resource.resourceType}/${resource.id}`;
    const rel = relative(paths.root, file).split('\\').join('/');
    if (seen.has(key)) {
      diagnostics.push({
        severity: 'warning',
        rule: 'predefined-duplicate',
        message: `${key} is defined twice among the predefined resources; this copy is ignored`,
        location: { file: rel }
      });
      return;
    }
    seen.add(key);
    const entry = entries.get(key);
    const example = entry ? Boolean(entry.exampleBoolean || entry.exampleCanonical) : basename(dirname(file)) === 'examples';
    out.push({
      fileName: `${resource.resourceType}-${resource.id}.json`,
      resource: file.endsWith('.xml') ? typedXml(file, resource) : copyOf(resource),
      instanceOf: entry?.exampleCanonical,
      usage: example ? 'example' : undefined,
      predefined: rel
    });
  });
  return {
    resources: out,
    diagnostics,
    lookup: url => {
      const found: unknown = defs.fishForFHIR(url);
      return isFhirResource(found) ? found : undefined;
    }
  };
}

/** FHIR's id syntax: the only resource ids that become parts of file names. */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
/** A resource type name (R4's and R5's are letters only, starting with a capital). */
export const RESOURCE_TYPE = /^[A-Z][A-Za-z]{0,63}$/;

/**
 * A resource's type and id become file names (`{Type}-{id}.json`, `.html`, `.xml`, package
 * entries): one that is not a valid FHIR id or type name is an error at its source file, and the
 * resource is left out of everything that is written (the site, the package, fsh-generated).
 */
export function outputNameProblem(r: CompiledResource): Diagnostic | undefined {
  const { resourceType, id } = r.resource;
  // An instance of a logical model has the model's type (often its URL) and SUSHI's `Binary-{id}.json` file name.
  const logical = typeof resourceType === 'string' && /^https?:\/\/\S+$/.test(resourceType) && r.fileName.startsWith('Binary-');
  const typeOk = typeof resourceType === 'string' && (RESOURCE_TYPE.test(resourceType) || logical);
  const idOk = (typeof id === 'string' && FHIR_ID.test(id) && id !== '.' && id !== '..') || (logical && id === undefined);
  const nameOk = /^[A-Za-z0-9\-.]{1,200}\.json$/.test(r.fileName);
  if (typeOk && idOk && nameOk) return undefined;
  const what = !typeOk
    ? `the resource type ${JSON.stringify(String(resourceType)).slice(0, 80)} is not a FHIR resource type name`
    : !idOk
      ? `the id ${JSON.stringify(String(id)).slice(0, 80)} is not a valid FHIR id (1 to 64 of A-Z, a-z, 0-9, '-' and '.')`
      : `its file name ${JSON.stringify(r.fileName).slice(0, 80)} is not made of letters, digits, '-' and '.'`;
  const file = r.predefined ?? r.source?.file;
  return {
    severity: 'error',
    rule: 'resource-id',
    message: `${escapeControl(what)}; the resource is left out of the site and the package`,
    location: file ? { file, ...(r.source && !r.predefined ? { line: r.source.startLine } : {}) } : undefined
  };
}

/**
 * SUSHI's XML reader keeps every primitive a string (`"180"` for a decimal); FHIR.js's JSON
 * conversion writes numbers and booleans as JSON ones, as the IG Publisher does.
 */
function typedXml(file: string, loaded: FhirResource): FhirResource {
  try {
    const typed = xmlToTypedJson(readFileSync(file, 'utf8'));
    if (typed.ok) return isFhirResource(typed.value) && typed.value.resourceType === loaded.resourceType ? typed.value : loaded;
  } catch {
    // Unreadable now: the copy SUSHI loaded.
  }
  return copyOf(loaded);
}

/** A copy of a resource SUSHI holds, as JSON (later stages may change theirs). */
function copyOf(resource: FhirResource): FhirResource {
  const copy: unknown = JSON.parse(JSON.stringify(resource));
  return isFhirResource(copy) ? copy : resource;
}

/** The ImplementationGuide's resource entries by reference. */
function igEntries(ig: FhirResource | undefined): Map<string, ImplementationGuideDefinitionResource> {
  const list = resourceOf(ig, 'ImplementationGuide')?.definition?.resource ?? [];
  const out = new Map<string, ImplementationGuideDefinitionResource>();
  for (const e of list) if (e.reference.reference) out.set(e.reference.reference, e);
  return out;
}

/**
 * The compiled resources followed by the predefined ones; a predefined resource with the same
 * type and id as an FSH one replaces it (SUSHI's ImplementationGuide lists the predefined one).
 * Predefined StructureDefinitions without a snapshot get one generated from their differential.
 */
export function mergePredefined(compiled: CompiledResource[], predefined: PredefinedResult): PredefinedResult {
  const diagnostics = [...predefined.diagnostics];
  const safe = (r: CompiledResource) => {
    const problem = outputNameProblem(r);
    if (problem) diagnostics.push(problem);
    return !problem;
  };
  compiled = compiled.filter(safe);
  predefined = { ...predefined, resources: predefined.resources.filter(safe) };
  const keys = new Map(predefined.resources.map(p => [`${p.resource.resourceType}/${p.resource.id}`, p]));
  const kept = compiled.filter(c => {
    const p = keys.get(`${c.resource.resourceType}/${c.resource.id}`);
    if (p)
      diagnostics.push({
        severity: 'warning',
        rule: 'predefined-overrides',
        message: `${p.predefined} replaces the FSH-defined ${c.resource.resourceType}/${c.resource.id}, as in SUSHI's ImplementationGuide`,
        location: { file: p.predefined }
      });
    return !p;
  });
  const resources = [...kept, ...predefined.resources];
  if (predefined.lookup) diagnostics.push(...addSnapshots(resources, predefined.lookup));
  return { resources, diagnostics };
}
