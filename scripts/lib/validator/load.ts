/**
 * `--load`: conformance resources from a folder, JSON files, or a FHIR package .tgz (streamed
 * through the safe archive reader, with its size and entry limits), JSON or XML. StructureDefinition,
 * ValueSet, CodeSystem, Questionnaire and ImplementationGuide (its global profiles) are used, and
 * other canonical resources (Library, Measure, ...) kept, also from Bundles; everything else is
 * counted in a `load-skipped` note. StructureDefinitions may come
 * without a snapshot: the validator generates it on first use. An unreadable path, a corrupt or
 * oversized archive, or a named file that is not a package or conformance resource is an error
 * diagnostic; the command turns it into exit code 2.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readTarGz, type ArchiveLimits } from '../../fhir/tar-reader.ts';
import type { Diagnostic } from '../../model/diagnostics.ts';
import type { FhirResource } from '../../model/resources.ts';
import { documentLimitProblem } from '../../fhir/input-limits.ts';
import { parseInput } from './parse.ts';
import { isObject } from './state.ts';
import { isFhirResource } from '../../fhir/json.ts';
import { errorMessage } from '../../util/errors.ts';
import { isReadProblem, readRegularFile } from '../../project/files.ts';

/**
 * What --load keeps: the resources validation reads, and every other R4 canonical resource (the
 * Java validator loads them all; a Measure or Library given on its own is a definition, not an
 * unknown file).
 */
const KEPT = new Set(
  (
    'StructureDefinition ValueSet CodeSystem Questionnaire ImplementationGuide ActivityDefinition CapabilityStatement ChargeItemDefinition ' +
    'CompartmentDefinition ConceptMap EffectEvidenceSynthesis EventDefinition Evidence EvidenceVariable ExampleScenario GraphDefinition ' +
    'Library Measure MessageDefinition NamingSystem OperationDefinition PlanDefinition ResearchDefinition ResearchElementDefinition ' +
    'RiskEvidenceSynthesis SearchParameter StructureMap TerminologyCapabilities TestScript'
  ).split(' ')
);

/** Resource types skipped while loading the current path, with counts (reported per path). */
const skipped = new Map<string, number>();

/** One JSON file inside a package or folder larger than this is skipped with a warning. */
export const MAX_LOADED_FILE_BYTES = 64 * 1024 * 1024;

export interface Loaded {
  resources: FhirResource[];
  diagnostics: Diagnostic[];
}

export interface LoadOptions {
  limits?: Partial<ArchiveLimits>;
}

export async function loadConformance(paths: readonly string[], options: LoadOptions = {}): Promise<Loaded> {
  const out: Loaded = { resources: [], diagnostics: [] };
  for (const path of paths) {
    const before = out.resources.length;
    const problems = out.diagnostics.length;
    skipped.clear();
    try {
      if (statSync(path).isDirectory()) loadFolder(path, out);
      else if (/\.t(ar\.)?gz$/.test(path)) await loadTarball(path, out, options.limits);
      else loadFile(path, out);
    } catch (e) {
      out.diagnostics.push({ severity: 'error', rule: 'load', message: `Cannot load ${path}: ${errorMessage(e)}`, location: { file: path } });
    }
    if (skipped.size > 0 && !out.diagnostics.slice(problems).some(d => d.severity === 'error')) {
      const list = [...skipped]
        .sort((a, b) => b[1] - a[1])
        .map(([t, n]) => `${t} ${n}`)
        .join(', ');
      const total = [...skipped.values()].reduce((a, b) => a + b, 0);
      out.diagnostics.push({
        severity: 'information',
        rule: 'load-skipped',
        message: `${path}: kept ${out.resources.length - before} conformance resources; skipped ${total} not used for validation (${list})`,
        location: { file: path }
      });
    }
  }
  return out;
}

function loadFolder(dir: string, out: Loaded): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) loadFolder(path, out);
    else if (entry.isFile() && /\.(json|xml)$/.test(entry.name) && !entry.name.startsWith('.')) {
      const text = readRegularFile(path, MAX_LOADED_FILE_BYTES);
      if (isReadProblem(text)) warn(out, path, `Skipped ${path}: ${text.message}`);
      else addText(text.toString('utf8'), path, out);
    }
  }
}

/** A file named on the command line must be a conformance resource (or a Bundle of them). */
function loadFile(path: string, out: Loaded): void {
  const text = readRegularFile(path, MAX_LOADED_FILE_BYTES);
  if (isReadProblem(text)) throw new Error(text.message);
  const before = out.resources.length;
  if (!addText(text.toString('utf8'), path, out, 'error')) return;
  if (out.resources.length === before)
    throw new Error('no StructureDefinition, ValueSet or CodeSystem with a url in it; is this a FHIR package or conformance resource?');
}

async function loadTarball(file: string, out: Loaded, limits?: Partial<ArchiveLimits>): Promise<void> {
  let manifest = false;
  await readTarGz(
    file,
    {
      file(path, size) {
        if (path === 'package/package.json') manifest = true;
        if (!/\.(json|xml)$/.test(path) || path.split('/').pop()!.startsWith('.')) return undefined;
        if (size > MAX_LOADED_FILE_BYTES) {
          warn(out, `${file}:${path}`, `Skipped ${file}:${path}: ${size} bytes is over the ${MAX_LOADED_FILE_BYTES / 1048576} MB limit for one file`);
          return undefined;
        }
        const chunks: Uint8Array[] = [];
        return { write: c => chunks.push(Buffer.from(c)), end: () => void addText(Buffer.concat(chunks).toString('utf8'), `${file}:${path}`, out) };
      }
    },
    limits
  );
  if (!manifest) throw new Error('no package/package.json inside; not a FHIR package');
}

function addText(text: string, name: string, out: Loaded, severity: 'warning' | 'error' = 'warning'): boolean {
  if (text.trimStart().startsWith('<')) {
    const parsed = parseInput(text, name);
    if (!parsed.value) {
      out.diagnostics.push({
        severity,
        rule: 'load',
        message: `${severity === 'error' ? 'Cannot load' : 'Skipped'} ${name}: ${parsed.problem?.message ?? 'not FHIR XML'}`,
        location: { file: name }
      });
      return false;
    }
    addResource(parsed.value, out);
    return true;
  }
  let value: unknown;
  // The same size and depth limits as every JSON reader (fhir/input-limits.ts), before parsing.
  const limit = documentLimitProblem(text, 'json');
  if (limit) {
    out.diagnostics.push({
      severity,
      rule: 'load',
      message: `${severity === 'error' ? 'Cannot load' : 'Skipped'} ${name}: ${limit}`,
      location: { file: name }
    });
    return false;
  }
  try {
    value = JSON.parse(text);
  } catch {
    out.diagnostics.push({
      severity,
      rule: 'load',
      message: `${severity === 'error' ? 'Cannot load' : 'Skipped'} ${name}: not valid JSON`,
      location: { file: name }
    });
    return false;
  }
  addResource(value, out);
  return true;
}

function warn(out: Loaded, file: string, message: string): void {
  out.diagnostics.push({ severity: 'warning', rule: 'load', message, location: { file } });
}

function addResource(value: unknown, out: Loaded): void {
  if (!isFhirResource(value)) return;
  const r = value;
  if (KEPT.has(r.resourceType) && typeof r.url === 'string') out.resources.push(r);
  else if (r.resourceType === 'Bundle' && Array.isArray(r.entry)) for (const e of r.entry) addResource(isObject(e) ? e.resource : undefined, out);
  else skipped.set(r.resourceType, (skipped.get(r.resourceType) ?? 0) + 1);
}

const packageFolders = new Map<string, FhirResource[]>();

/**
 * The conformance resources of an unpacked FHIR package (its `package/` folder, examples left
 * out), read once per process: a guide's dependencies, which the IG Publisher validates against
 * as it does against core (US Core profiles named in meta.profile or a targetProfile).
 * ImplementationGuide resources are dropped: a dependency's `global` profiles are its own.
 */
export function loadPackageFolder(dir: string): FhirResource[] {
  let hit = packageFolders.get(dir);
  if (!hit) {
    const out: Loaded = { resources: [], diagnostics: [] };
    const root = existsSync(join(dir, 'package')) ? join(dir, 'package') : dir;
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.json') || entry.name.startsWith('.') || entry.name === 'package.json') continue;
      const text = readRegularFile(join(root, entry.name), MAX_LOADED_FILE_BYTES);
      if (!isReadProblem(text)) addText(text.toString('utf8'), entry.name, out);
    }
    skipped.clear();
    hit = out.resources.filter(r => r.resourceType !== 'ImplementationGuide');
    packageFolders.set(dir, hit);
  }
  return hit;
}
