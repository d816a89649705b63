/**
 * The compile stage: FSH in `input/fsh/` or `fsh/` (any depth; see project/layout.ts) -> FHIR R4 JSON with snapshots, plus the
 * ImplementationGuide resource built from sushi-config.yaml and input/pagecontent, through
 * fsh-sushi's library API. Pure with respect to the project: it returns resources in memory;
 * writing fsh-generated/ is `compileAndWrite` in stage.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import sushi from 'fsh-sushi';
import { IGExporter } from 'fsh-sushi/dist/ig/index.js';
import { loadPredefinedFiles } from './predefined-files.ts';
import type { CompiledGuide, CompiledResource, FhirResource } from '../../model/resources.ts';
import type { Diagnostic } from '../../model/diagnostics.ts';
import type { ProjectConfig } from '../../project/config.ts';
import type { ProjectPaths } from '../../project/paths.ts';
import { findFshLayout } from '../../project/layout.ts';
import { readFshFiles } from '../../project/fsh-files.ts';
import { loadDefinitions, type LoadedDefinitions } from './definitions.ts';
import { mergePredefined, outputNameProblem, predefinedResources, withoutGeneratedPaths } from './predefined.ts';
import { withSushiLog } from './sushi-log.ts';
import { attachRuleLocations } from './fsh-locations.ts';
import { definitionFisher, explainFshProblems } from './fsh-hints.ts';
import { itemJson } from './sushi-speedups.ts';

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

export type SushiPackage = InstanceType<typeof sushi.sushiExport.Package>;

export async function compileFsh(paths: ProjectPaths, config: ProjectConfig, options: CompileOptions = {}) {
  const layout = findFshLayout(paths.root);
  if (!layout.dir) return { result: { resources: [], counts: {} } as CompileOutput, diagnostics: layout.diagnostics };
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
  return { result: value.guide, diagnostics: [...value.problems, ...explained] };
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
  const pkg = exportPackage(tank, definitions);
  const finished = finishGuide(pkg, tank, definitions, paths, sushiConfig, options, texts.size);
  options.keep?.({ tank, texts, pkg, definitions });
  return { ...finished, problems: [...(refusedPredefined.get(definitions) ?? []), ...problems, ...finished.problems] };
}

export type SushiConfig = NonNullable<ReturnType<typeof sushi.sushiImport.importConfiguration>>;
export type SushiTank = ReturnType<typeof sushi.utils.fillTank>;

export function readSushiConfig(paths: ProjectPaths): SushiConfig | undefined {
  const text = readFileSync(paths.config, 'utf8');
  if (lastConfig && lastConfig.path === paths.config && lastConfig.text === text) return structuredClone(lastConfig.config);
  const before = sushiMessages();
  const config = sushi.sushiImport.importConfiguration(text, paths.config) ?? undefined;
  // Kept only when reading it logged nothing, so its warnings are reported on every compile.
  if (config && sushi.utils.errorsAndWarnings.shouldTrack && sushiMessages() === before) {
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

/**
 * Syntax trees of FSH files by path, reused while a file's text is unchanged (the dev loop parses
 * every file on each compile; lexing and parsing is most of that time). Only trees whose parse
 * logged nothing are kept, so a file with syntax errors is parsed, and reported, every time.
 */
export type ParseCache = Map<string, { content: string; tree: unknown }>;

/** Every FSH file (sorted by path, so the order never depends on the file system) in one tank. */
export function parseFsh(
  paths: ProjectPaths,
  sushiConfig: SushiConfig,
  parseCache?: ParseCache
): { tank: SushiTank; texts: Map<string, string>; problems: Diagnostic[] } {
  const { utils, sushiImport } = sushi;
  // Read as pages are (no link out of the project, no FIFO) and within the FSH limits, never by SUSHI itself.
  const read = existsSync(paths.fsh) ? readFshFiles(paths.fsh, paths.root) : { files: [], diagnostics: [] };
  const rawFsh = read.files.map(f => new sushiImport.RawFSH(f.content, f.path));
  let tank: SushiTank;
  if (parseCache) {
    for (const file of parseCache.keys()) if (!file.startsWith(GENERATED) && !rawFsh.some(r => r.path === file)) parseCache.delete(file);
    utils.logger.info('Importing FSH text...');
    const { importer, prune } = cachingImporter(parseCache);
    tank = new sushiImport.FSHTank(importer.import(rawFsh), sushiConfig);
    prune();
  } else {
    tank = utils.fillTank(rawFsh, sushiConfig);
  }
  tank.checkDuplicateNameEntities();
  return { tank, texts: new Map(rawFsh.map(r => [r.path, r.content])), problems: read.diagnostics };
}

type Importer = InstanceType<typeof sushi.sushiImport.FSHImporter>;

/** How many errors and warnings SUSHI's logger has collected: what a step logged is the difference. */
function sushiMessages(): number {
  const log = sushi.utils.errorsAndWarnings;
  return log.errors.length + log.warnings.length;
}

/** Key of a parse SUSHI makes of a rule set it generated for an insert with parameters (no file). */
const GENERATED = '\u0000generated\u0000';

/**
 * An importer that reuses the syntax tree of a file whose text has not changed, and of each rule
 * set SUSHI generates for a parameterised insert (by its text). A parse that logged anything is
 * not kept, so its messages are logged again next time. Generated parses the import did not ask
 * for are dropped afterwards (the cache holds only what the sources still generate).
 */
function cachingImporter(cache: ParseCache): { importer: Importer; prune(): void } {
  const importer = new sushi.sushiImport.FSHImporter();
  const hook = importer as unknown as { parseDoc(input: string, file?: string): unknown };
  const parse = hook.parseDoc.bind(importer);
  const used = new Set<string>();
  hook.parseDoc = (input: string, file?: string) => {
    const key = file ?? GENERATED + input;
    if (file === undefined) used.add(key);
    const hit = cache.get(key);
    if (hit && hit.content === input) return hit.tree;
    const before = sushiMessages();
    const tree = parse(input, file);
    // Without tracking, a parse's errors cannot be seen: keep nothing.
    if (sushi.utils.errorsAndWarnings.shouldTrack && sushiMessages() === before) cache.set(key, { content: input, tree });
    else cache.delete(key);
    return tree;
  };
  const prune = () => {
    for (const key of cache.keys()) if (key.startsWith(GENERATED) && !used.has(key)) cache.delete(key);
  };
  return { importer, prune };
}

/**
 * SUSHI's exportFHIR, with a package that may already hold definitions exported earlier
 * (`seed`): SUSHI's exporters skip a definition whose name is already in the package, so only
 * the others are exported, and the seeded ones are found there when something refers to them.
 */
export function exportPackage(tank: SushiTank, definitions: LoadedDefinitions, seed?: (pkg: SushiPackage) => void): SushiPackage {
  const { sushiExport, utils } = sushi;
  const pkg = new sushiExport.Package(tank.config);
  seed?.(pkg);
  const fisher = new utils.MasterFisher(tank, definitions.defs, pkg);
  new sushiExport.FHIRExporter(tank, pkg, fisher).export();
  return pkg;
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
  if (options.stagingDir) sushi.utils.writeFSHIndex(options.stagingDir, pkg, paths.fsh);
  let implementationGuide: CompiledResource | undefined;
  const idProblems: Diagnostic[] = [];
  if (!sushiConfig.FSHOnly && options.stagingDir) {
    const exporter = new IGExporter(pkg, definitions.defs, paths.root);
    exporter.export(options.stagingDir);
    const ig = (exporter as unknown as { ig: FhirResource }).ig;
    implementationGuide = { fileName: `ImplementationGuide-${ig.id}.json`, resource: JSON.parse(JSON.stringify(ig)) };
    const problem = outputNameProblem({ ...implementationGuide, predefined: 'sushi-config.yaml' });
    if (problem) {
      implementationGuide = undefined;
      idProblems.push(problem);
    }
  }
  const predefined = mergePredefined(collectResources(pkg, paths), predefinedResources(defs, paths, sushiConfig.parameters, implementationGuide?.resource));
  attachRuleLocations(predefined.resources, fileName => pkg.fshMap.get(fileName)?.fshName, tank as never, paths.root);
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
    const items = pkg[array] as { name?: string; _instanceMeta?: { name?: string }; getFileName(): string }[];
    const rank = (item: (typeof items)[number]) => order.get(packageKey(kind, item)) ?? Number.MAX_SAFE_INTEGER;
    items.sort((a, b) => rank(a) - rank(b) || (a.getFileName() < b.getFileName() ? -1 : a.getFileName() > b.getFileName() ? 1 : 0));
  }
}

/** What SUSHI put in a package: a definition or an instance, with its file name and its JSON. */
export interface PackageItem {
  name?: string;
  _instanceMeta?: { name?: string };
  getFileName(): string;
  toJSON(snapshot?: boolean): unknown;
}

function collectResources(pkg: SushiPackage, paths: ProjectPaths): CompiledResource[] {
  const out: CompiledResource[] = [];
  const add = (items: PackageItem[]) => {
    for (const item of items) {
      const fileName = item.getFileName();
      const fsh = pkg.fshMap.get(fileName);
      const meta = (item as { _instanceMeta?: { usage?: string; instanceOfUrl?: string; sdType?: string } })._instanceMeta;
      out.push({
        fileName,
        resource: JSON.parse(itemJson(item)) as FhirResource,
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
