/**
 * The one place that knows fsh-sushi. The rest of the compile stage asks this module for what it
 * needs from SUSHI (read the configuration, parse FSH into a tank, export a package, build the
 * ImplementationGuide, list the predefined-resource folders, capture the log) and never imports
 * fsh-sushi itself (test/compile/sushi-adapter.test.ts holds it to that). SUSHI's non-public parts
 * are reached only from this folder:
 * - `fsh-sushi/dist/ig` (not exported by the package): IGExporter, its private `ig`, and the
 *   predefined-resource folders;
 * - FSHImporter's private `parseDoc`, wrapped to reuse syntax trees (`parseTank`);
 * - the speed-ups on SUSHI's prototypes (speedups.ts), installed when this module loads, only on
 *   the fsh-sushi versions they were verified on (speedups-version.ts) and unless
 *   `VM_IG_SUSHI_SPEEDUPS=0`; otherwise every compile carries one notice (`speedupsNotices`).
 */
import { readFileSync } from 'node:fs';
import sushi from 'fsh-sushi';
import type { fhirdefs, fhirtypes, sushiExport, sushiImport, utils } from 'fsh-sushi';
import { IGExporter, getPredefinedResourcePaths, PREDEFINED_PACKAGE_NAME, PREDEFINED_PACKAGE_VERSION } from 'fsh-sushi/dist/ig/index.js';
import type { Diagnostic } from '../../../model/diagnostics.ts';
import { isFhirResource } from '../../../fhir/json.ts';
import type { FhirResource } from '../../../model/resources.ts';
import { toolchainRequire } from '../../../util/toolchain-files.ts';
import { decideSpeedups, SPEEDUPS_OFF_RULE, SPEEDUPS_SWITCH } from './speedups-version.ts';
import { installSpeedups, itemJson } from './speedups.ts';

export { itemJson, SPEEDUPS_OFF_RULE };

export type SushiConfig = ReturnType<typeof sushi.sushiImport.importConfiguration>;
export type SushiTank = sushiImport.FSHTank;
export type SushiPackage = sushiExport.Package;
export type SushiDefinitions = fhirdefs.FHIRDefinitions;
/** What SUSHI puts in a package: a definition or an instance, with its file name and its JSON. */
export type PackageItem = fhirtypes.StructureDefinition | fhirtypes.InstanceDefinition | fhirtypes.ValueSet | fhirtypes.CodeSystem;
/** A message SUSHI logged as an error or a warning. */
export type SushiMessage = utils.ErrorsAndWarnings['errors'][number];
/** One of the packages SUSHI loads by itself (`priority` Low: before the configured ones; High: after core). */
export type AutomaticDependency = (typeof sushi.utils.AUTOMATIC_DEPENDENCIES)[number];

/** The predefined resources' virtual package, as SUSHI names it. */
export const PREDEFINED_PACKAGE = { name: PREDEFINED_PACKAGE_NAME, version: PREDEFINED_PACKAGE_VERSION } as const;

// ---- the speed-ups --------------------------------------------------------------------------

/** The installed fsh-sushi's version, from its package.json; undefined when it cannot be read. */
export function installedSushiVersion(): string | undefined {
  try {
    const manifest: unknown = JSON.parse(readFileSync(toolchainRequire.resolve('fsh-sushi/package.json'), 'utf8'));
    return typeof manifest === 'object' && manifest !== null && 'version' in manifest && typeof manifest.version === 'string' ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}

const speedups = decideSpeedups(installedSushiVersion(), process.env[SPEEDUPS_SWITCH]);
installSpeedups(speedups.on);

/** What every compile reports about the speed-ups: one notice when they are off for an unverified fsh-sushi. */
export function speedupsNotices(): Diagnostic[] {
  return speedups.notice ? [{ ...speedups.notice }] : [];
}

/** Turn the speed-ups on or off in this process (tests compare both); ignores the version check. */
export function useSushiSpeedups(on: boolean): void {
  installSpeedups(on);
}

/** The lists of a package, by name, as SUSHI fills them (in export order). */
export type PackageArray = 'profiles' | 'extensions' | 'logicals' | 'resources' | 'valueSets' | 'codeSystems' | 'instances';

/** Where a package item came from in the FSH (SUSHI's `fshMap` entry for its file). */
export type FshSource = SushiPackage['fshMap'] extends Map<string, infer V> ? V : never;

/**
 * One of a package's lists, seen as items of any kind: the same array, so sorting it sorts the
 * package's (an item pushed onto it must come from a list of the same name).
 */
export function packageItems(pkg: SushiPackage, array: PackageArray): PackageItem[] {
  return pkg[array];
}

/** An instance's metadata (its name, usage and profile); undefined for a definition. */
export function instanceMetaOf(item: PackageItem): fhirtypes.InstanceDefinition['_instanceMeta'] | undefined {
  return item instanceof sushi.fhirtypes.InstanceDefinition ? item._instanceMeta : undefined;
}

// ---- configuration, parsing, export ---------------------------------------------------------

/** sushi-config.yaml read as SUSHI reads it; undefined when SUSHI refused it (it logged why). */
export function importConfiguration(text: string, file: string): SushiConfig | undefined {
  return sushi.sushiImport.importConfiguration(text, file) ?? undefined;
}

/**
 * Syntax trees of FSH files by path, reused while a file's text is unchanged (the dev loop parses
 * every file on each compile; lexing and parsing is most of that time). Only trees whose parse
 * logged nothing are kept, so a file with syntax errors is parsed, and reported, every time.
 */
export type ParseCache = Map<string, { content: string; tree: unknown }>;

/** Key of a parse SUSHI makes of a rule set it generated for an insert with parameters (no file). */
const GENERATED = '\u0000generated\u0000';

/** FSH files (in the order given) parsed into one tank, as SUSHI's fillTank does; with a cache, reusing syntax trees. */
export function parseTank(files: readonly { path: string; content: string }[], config: SushiConfig, parseCache?: ParseCache): SushiTank {
  const rawFsh = files.map(f => new sushi.sushiImport.RawFSH(f.content, f.path));
  if (!parseCache) return sushi.utils.fillTank(rawFsh, config);
  for (const file of parseCache.keys()) if (!file.startsWith(GENERATED) && !files.some(f => f.path === file)) parseCache.delete(file);
  sushi.utils.logger.info('Importing FSH text...');
  const { importer, prune } = cachingImporter(parseCache);
  const tank = new sushi.sushiImport.FSHTank(importer.import(rawFsh), config);
  prune();
  return tank;
}

/**
 * An importer that reuses the syntax tree of a file whose text has not changed, and of each rule
 * set SUSHI generates for a parameterised insert (by its text), through FSHImporter's private
 * `parseDoc`. A parse that logged anything is not kept, so its messages are logged again next
 * time. Generated parses the import did not ask for are dropped afterwards (the cache holds only
 * what the sources still generate).
 */
function cachingImporter(cache: ParseCache): { importer: sushiImport.FSHImporter; prune(): void } {
  const importer = new sushi.sushiImport.FSHImporter();
  const original: unknown = importer['parseDoc'];
  // A SUSHI without it: parse everything, as fillTank does.
  if (typeof original !== 'function') return { importer, prune: () => cache.clear() };
  const parse = (input: string, file?: string): unknown => original.call(importer, input, file);
  const used = new Set<string>();
  importer['parseDoc'] = (input: string, file?: string): unknown => {
    const key = file ?? GENERATED + input;
    if (file === undefined) used.add(key);
    const hit = cache.get(key);
    if (hit && hit.content === input) return hit.tree;
    const before = sushiLog.count();
    const tree = parse(input, file);
    // Without tracking, a parse's errors cannot be seen: keep nothing.
    if (sushiLog.tracking() && sushiLog.count() === before) cache.set(key, { content: input, tree });
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
export function exportPackage(tank: SushiTank, defs: SushiDefinitions, seed?: (pkg: SushiPackage) => void): SushiPackage {
  const pkg = new sushi.sushiExport.Package(tank.config);
  seed?.(pkg);
  const fisher = new sushi.utils.MasterFisher(tank, defs, pkg);
  new sushi.sushiExport.FHIRExporter(tank, pkg, fisher).export();
  return pkg;
}

/** SUSHI's fsh-generated/fsh-index.txt and data/fsh-index.json, under `outDir`. */
export function writeFshIndex(outDir: string, pkg: SushiPackage, fshDir: string): void {
  sushi.utils.writeFSHIndex(outDir, pkg, fshDir);
}

/**
 * SUSHI's IGExporter: writes its IG Publisher files (menu.xml, the IG JSON, ...) under `outDir`
 * and returns the ImplementationGuide it built (a copy of its private `ig`).
 */
export function exportImplementationGuide(pkg: SushiPackage, defs: SushiDefinitions, projectRoot: string, outDir: string): FhirResource | undefined {
  const exporter = new IGExporter(pkg, defs, projectRoot);
  exporter.export(outDir);
  const ig: unknown = JSON.parse(JSON.stringify(exporter['ig'] ?? null));
  return isFhirResource(ig) ? ig : undefined;
}

/** The folders SUSHI reads predefined resources from: input/resources, input/examples, ..., and `path-resource` parameters. */
export function predefinedResourceFolders(inputDir: string, projectRoot: string, parameters: SushiConfig['parameters']): string[] {
  return getPredefinedResourcePaths(inputDir, projectRoot, parameters);
}

// ---- definitions ----------------------------------------------------------------------------

/** SUSHI's FHIRDefinitions over the given package database, cache and clients. */
export function newDefinitions(override: ConstructorParameters<typeof sushi.fhirdefs.FHIRDefinitions>[0]): SushiDefinitions {
  return new sushi.fhirdefs.FHIRDefinitions(override);
}

/** The packages SUSHI adds to every project's dependencies. */
export function automaticDependencies(): readonly AutomaticDependency[] {
  return sushi.utils.AUTOMATIC_DEPENDENCIES;
}

/** SUSHI's replacement of old-style cross-version packages by the official xver package (with its warning). */
export function fixCrossVersionDependencies(dependencies: { packageId: string; version: string }[]): { packageId: string; version: string }[] {
  return sushi.utils.fixCrossVersionDependencies(dependencies).map(d => ({ packageId: d.packageId ?? '', version: d.version ?? '' }));
}

/** The R5 definitions SUSHI loads for R4 projects (its `sushi-r5forR4` package), by id. */
export function r5DefinitionsForR4(): Map<string, unknown> {
  return new Map(sushi.fhirdefs.R5_DEFINITIONS_NEEDED_IN_R4.map(def => [def.id, def]));
}

/** SUSHI's log function, for the loaders it hands logging to. */
export const sushiLogMessage: (level: string, message: string) => void = sushi.utils.logMessage;

// ---- the log --------------------------------------------------------------------------------

/** SUSHI's process-wide logger (a winston singleton) and its collected errors and warnings. */
export const sushiLog = {
  /** Silence the console output, reset and start collecting; returns what puts the console back. */
  begin(): () => void {
    const transports = sushi.utils.logger.transports;
    const wasSilent = transports.map(t => t.silent);
    transports.forEach(t => (t.silent = true));
    sushi.utils.errorsAndWarnings.reset();
    sushi.utils.errorsAndWarnings.shouldTrack = true;
    sushi.utils.stats.reset();
    return () => {
      sushi.utils.errorsAndWarnings.shouldTrack = false;
      transports.forEach((t, i) => (t.silent = wasSilent[i]));
    };
  },
  errors(): readonly SushiMessage[] {
    return sushi.utils.errorsAndWarnings.errors;
  },
  warnings(): readonly SushiMessage[] {
    return sushi.utils.errorsAndWarnings.warnings;
  },
  /** How many errors and warnings have been collected: what a step logged is the difference. */
  count(): number {
    return sushi.utils.errorsAndWarnings.errors.length + sushi.utils.errorsAndWarnings.warnings.length;
  },
  /** Whether messages are being collected (inside `begin`). */
  tracking(): boolean {
    return sushi.utils.errorsAndWarnings.shouldTrack;
  },
  info(message: string): void {
    sushi.utils.logger.info(message);
  }
};
