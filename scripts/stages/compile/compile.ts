/**
 * The compile stage: FSH in `input/fsh/` or `fsh/` (any depth; see project/layout.ts) -> FHIR R4 JSON with snapshots, plus the
 * ImplementationGuide resource built from sushi-config.yaml and input/pagecontent, through
 * fsh-sushi's library API. Pure with respect to the project: it returns resources in memory;
 * writing fsh-generated/ is `compileAndWrite` in stage.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { loadPredefinedFiles } from './predefined-files.ts';
import type { CompiledGuide, CompiledResource } from '../../model/resources.ts';
import type { Diagnostic } from '../../model/diagnostics.ts';
import type { ProjectConfig } from '../../project/config.ts';
import type { ProjectPaths } from '../../project/paths.ts';
import { findFshLayout } from '../../project/layout.ts';
import { isFhirResource } from '../../fhir/json.ts';
import { readFshFiles } from '../../project/fsh-files.ts';
import { loadDefinitions, type LoadedDefinitions } from './definitions.ts';
import { mergePredefined, outputNameProblem, predefinedResources, withoutGeneratedPaths } from './predefined.ts';
import { withSushiLog } from './sushi-log.ts';
import { attachRuleLocations } from './fsh-locations.ts';
import { definitionFisher, explainFshProblems } from './fsh-hints.ts';
import {
  exportImplementationGuide,
  exportPackage,
  importConfiguration,
  instanceMetaOf,
  itemJson,
  parseTank,
  speedupsNotices,
  sushiLog,
  writeFshIndex,
  type PackageItem,
  type ParseCache,
  type SushiConfig,
  type SushiPackage,
  type SushiTank
} from './sushi/adapter.ts';

export { exportPackage, type PackageItem, type ParseCache, type SushiConfig, type SushiPackage, type SushiTank };

export interface CompileOptions {
  /** Reuse already-loaded definitions (the dev server keeps them in memory). */
  definitions?: LoadedDefinitions;
  /** Staging folder IGExporter writes its IG Publisher files into (menu.xml, the IG JSON). */
  stagingDir?: string;
  /** Called with SUSHI's parsed sources and package after a compile (the incremental compiler keeps them). */
  keep?: (state: SushiState) => void;
  /** Syntax trees to reuse and refresh (see ParseCache). */
  parseCache?: ParseCache;
}

/** What a compile leaves behind for an incremental one: the sources as parsed, the package. */
export interface SushiState {
  tank: SushiTank;
  texts: Map<string, string>;
  pkg: SushiPackage;
  definitions: LoadedDefinitions;
}

/** A compile's output: the guide, and the definitions SUSHI loaded for it (a dev session's next compile reuses them). */
export interface CompileOutput extends CompiledGuide {
  definitions?: LoadedDefinitions;
}

export async function compileFsh(paths: ProjectPaths, config: ProjectConfig, options: CompileOptions = {}) {
  const layout = findFshLayout(paths.root);
  if (!layout.dir) {
    const nothing: CompileOutput = { resources: [], counts: {} };
    return { result: nothing, diagnostics: layout.diagnostics };
  }
  const { value, diagnostics } = await withSushiLog(paths.root, async () => {
    const definitions = options.definitions ?? (await loadDefinitions(paths, config.dependencies));
    if (definitions.diagnostics.some(d => d.severity === 'error')) {
      return { guide: emptyGuide(definitions), problems: definitions.diagnostics };
    }
    const run = await runSushi(paths, definitions, options);
    return { guide: run.guide, problems: [...definitions.diagnostics, ...run.problems] };
  });
  // SUSHI's parser messages, explained where the cause is recognisable (an unclosed string, a missing '*', ...).
  const explained = explainFshProblems(diagnostics, paths.root, definitionFisher(value.guide.resources, value.guide.definitions?.defs));
  return { result: value.guide, diagnostics: [...value.problems, ...explained, ...speedupsNotices()] };
}

async function runSushi(
  paths: ProjectPaths,
  definitions: LoadedDefinitions,
  options: CompileOptions
): Promise<{ guide: CompileOutput; problems: Diagnostic[] }> {
  const sushiConfig = readSushiConfig(paths);
  if (!sushiConfig) return { guide: emptyGuide(definitions), problems: [] };
  if (!options.definitions) await loadProjectResources(paths, definitions, sushiConfig);
  const { tank, texts, problems } = parseFsh(paths, sushiConfig, options.parseCache);
  const pkg = exportPackage(tank, definitions.defs);
  const finished = finishGuide(pkg, tank, definitions, paths, sushiConfig, options, texts.size);
  options.keep?.({ tank, texts, pkg, definitions });
  return { ...finished, problems: [...(refusedPredefined.get(definitions) ?? []), ...problems, ...finished.problems] };
}

export function readSushiConfig(paths: ProjectPaths): SushiConfig | undefined {
  const text = readFileSync(paths.config, 'utf8');
  if (lastConfig && lastConfig.path === paths.config && lastConfig.text === text) return structuredClone(lastConfig.config);
  const before = sushiLog.count();
  const config = importConfiguration(text, paths.config);
  // Kept only when reading it logged nothing, so its warnings are reported on every compile.
  if (config && sushiLog.tracking() && sushiLog.count() === before) {
    try {
      lastConfig = { path: paths.config, text, config: structuredClone(config) };
    } catch {
      lastConfig = undefined;
    }
  }
  return config;
}

/**
 * The last configuration read: SUSHI compiles its YAML schema on every read (about 80 ms), and the
 * dev loop reads the same file before every compile. Handed out as copies (SUSHI may change it).
 */
let lastConfig: { path: string; text: string; config: SushiConfig } | undefined;

/**
 * The project's own predefined resources (input/), loaded once per set of definitions, each file
 * checked first (predefined-files.ts); the files refused are kept with the definitions, so every
 * compile with them reports them.
 */
export async function loadProjectResources(paths: ProjectPaths, definitions: LoadedDefinitions, sushiConfig: SushiConfig): Promise<void> {
  const refused = await loadPredefinedFiles(definitions.defs, paths.input, paths.root, withoutGeneratedPaths(sushiConfig.parameters));
  refusedPredefined.set(definitions, refused);
  definitions.defs.optimize();
}

/** Predefined files that were not loaded, per set of definitions. */
const refusedPredefined = new WeakMap<LoadedDefinitions, Diagnostic[]>();

/** Whether some predefined files were refused when these definitions were loaded (a partial compile then does a full one, which reports them). */
export function hasRefusedPredefined(definitions: LoadedDefinitions): boolean {
  return (refusedPredefined.get(definitions)?.length ?? 0) > 0;
}

/** Every FSH file (sorted by path, so the order never depends on the file system) in one tank. */
export function parseFsh(
  paths: ProjectPaths,
  sushiConfig: SushiConfig,
  parseCache?: ParseCache
): { tank: SushiTank; texts: Map<string, string>; problems: Diagnostic[] } {
  // Read as pages are (no link out of the project, no FIFO) and within the FSH limits, never by SUSHI itself.
  const read = existsSync(paths.fsh) ? readFshFiles(paths.fsh, paths.root) : { files: [], diagnostics: [] };
  const tank = parseTank(read.files, sushiConfig, parseCache);
  tank.checkDuplicateNameEntities();
  return { tank, texts: new Map(read.files.map(f => [f.path, f.content])), problems: read.diagnostics };
}

/** Put the package in source order, then build the IG resource and the in-memory guide. */
export function finishGuide(
  pkg: SushiPackage,
  tank: SushiTank,
  definitions: LoadedDefinitions,
  paths: ProjectPaths,
  sushiConfig: SushiConfig,
  options: CompileOptions,
  fshFiles: number
): { guide: CompileOutput; problems: Diagnostic[] } {
  sortPackage(pkg, tank);
  const defs = definitions.defs;
  // SUSHI writes fsh-generated/fsh-index.txt and data/fsh-index.json with every build.
  if (options.stagingDir) writeFshIndex(options.stagingDir, pkg, paths.fsh);
  let implementationGuide: CompiledResource | undefined;
  const idProblems: Diagnostic[] = [];
  const ig = !sushiConfig.FSHOnly && options.stagingDir ? exportImplementationGuide(pkg, defs, paths.root, options.stagingDir) : undefined;
  if (ig) {
    implementationGuide = { fileName: `ImplementationGuide-${ig.id}.json`, resource: ig };
    const problem = outputNameProblem({ ...implementationGuide, predefined: 'sushi-config.yaml' });
    if (problem) {
      implementationGuide = undefined;
      idProblems.push(problem);
    }
  }
  const predefined = mergePredefined(collectResources(pkg, paths), predefinedResources(defs, paths, sushiConfig.parameters, implementationGuide?.resource));
  attachRuleLocations(predefined.resources, fileName => pkg.fshMap.get(fileName)?.fshName, tank, paths.root);
  const counts = {
    ...countArtifacts(pkg),
    ...(predefined.resources.some(r => r.predefined) ? { predefined: predefined.resources.filter(r => r.predefined).length } : {})
  };
  const guide = { resources: predefined.resources, implementationGuide, definitions, counts };
  return { guide, problems: [...idProblems, ...predefined.diagnostics, ...emptyProblems(fshFiles, counts.predefined ?? 0, paths)] };
}

/** No stage succeeds silently on nothing: no FSH and no predefined resource is an error. */
function emptyProblems(fshFiles: number, predefined: number, paths: ProjectPaths): Diagnostic[] {
  if (fshFiles > 0) return [];
  const folder = relative(paths.root, paths.fsh).split('\\').join('/');
  return predefined > 0
    ? [
        {
          severity: 'warning',
          rule: 'compile-no-fsh',
          message: `no .fsh files in ${folder}/: the guide holds only its ${predefined} predefined resources`,
          location: { file: folder }
        }
      ]
    : [
        {
          severity: 'error',
          rule: 'compile-empty',
          message: `nothing to compile: no .fsh files in ${folder}/ and no predefined resources in input/`,
          location: { file: folder }
        }
      ];
}

/** The key a package item has in the FSH graph (fsh-graph.ts): SUSHI's own notion of "already exported". */
export function packageKey(kind: 'sd' | 'instance' | 'valueSet' | 'codeSystem', item: { name?: string; _instanceMeta?: { name?: string } }): string {
  return `${kind}:${kind === 'instance' ? item._instanceMeta?.name : item.name}`;
}

export const PACKAGE_ARRAYS = [
  ['profiles', 'sd'],
  ['extensions', 'sd'],
  ['logicals', 'sd'],
  ['resources', 'sd'],
  ['valueSets', 'valueSet'],
  ['codeSystems', 'codeSystem'],
  ['instances', 'instance']
] as const;

/**
 * SUSHI fills the package in the order it exports (a parent before its children); sort each
 * list by where the definition is in the sources, so the order is the same however the package
 * was filled (all at once, or partly seeded from an earlier compile).
 */
function sortPackage(pkg: SushiPackage, tank: SushiTank): void {
  const order = new Map<string, number>();
  let n = 0;
  for (const doc of tank.docs) {
    const entries: [string, number][] = [];
    const push = (kind: string, map: Map<string, { name: string; sourceInfo: { location?: { startLine: number } } }>) => {
      for (const e of map.values()) entries.push([`${kind}:${e.name}`, e.sourceInfo.location?.startLine ?? 0]);
    };
    push('sd', doc.profiles);
    push('sd', doc.extensions);
    push('sd', doc.logicals);
    push('sd', doc.resources);
    push('valueSet', doc.valueSets);
    push('codeSystem', doc.codeSystems);
    push('instance', doc.instances);
    entries.sort((a, b) => a[1] - b[1]);
    for (const [key] of entries) if (!order.has(key)) order.set(key, n++);
  }
  for (const [array, kind] of PACKAGE_ARRAYS) {
    const items: PackageItem[] = pkg[array];
    const rank = (item: PackageItem) => order.get(packageKey(kind, item)) ?? Number.MAX_SAFE_INTEGER;
    items.sort((a, b) => rank(a) - rank(b) || (a.getFileName() < b.getFileName() ? -1 : a.getFileName() > b.getFileName() ? 1 : 0));
  }
}

function collectResources(pkg: SushiPackage, paths: ProjectPaths): CompiledResource[] {
  const out: CompiledResource[] = [];
  const add = (items: readonly PackageItem[]) => {
    for (const item of items) {
      const fileName = item.getFileName();
      const fsh = pkg.fshMap.get(fileName);
      const meta = instanceMetaOf(item);
      const resource: unknown = JSON.parse(itemJson(item));
      if (!isFhirResource(resource)) throw new Error(`SUSHI made ${fileName} without a resourceType`);
      out.push({
        fileName,
        resource,
        instanceOf: meta?.instanceOfUrl ?? meta?.sdType,
        usage: meta?.usage?.toLowerCase(),
        source:
          fsh?.file && fsh.location ? { file: relative(paths.root, fsh.file), startLine: fsh.location.startLine, endLine: fsh.location.endLine } : undefined
      });
    }
  };
  add(pkg.profiles);
  add(pkg.extensions);
  add(pkg.logicals);
  add(pkg.resources);
  add([...pkg.valueSets, ...pkg.codeSystems]);
  add(pkg.instances.filter(i => i._instanceMeta.usage !== 'Inline'));
  return out;
}

function countArtifacts(pkg: SushiPackage): Record<string, number> {
  return {
    profiles: pkg.profiles.length,
    extensions: pkg.extensions.length,
    logicals: pkg.logicals.length,
    resources: pkg.resources.length,
    valueSets: pkg.valueSets.length,
    codeSystems: pkg.codeSystems.length,
    instances: pkg.instances.filter(i => i._instanceMeta.usage !== 'Inline').length
  };
}

export function emptyGuide(definitions: LoadedDefinitions): CompileOutput {
  return { resources: [], definitions, counts: {} };
}
