/**
 * The compile stage: FSH in `input/fsh/` or `fsh/` (any depth; see project/layout.ts) -> FHIR R4 JSON with snapshots, plus the
 * ImplementationGuide resource built from sushi-config.yaml and input/pagecontent, through
 * fsh-sushi's library API. Pure with respect to the project: it returns resources in memory;
 * writing fsh-generated/ is `compileAndWrite` in stage.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import sushi from 'fsh-sushi';
import { loadPredefinedResources, IGExporter } from 'fsh-sushi/dist/ig/index.js';
import type { CompiledResource, Diagnostic, FhirResource } from '../model.ts';
import type { ProjectConfig } from '../project/config.ts';
import type { ProjectPaths } from '../project/paths.ts';
import { countFshFiles, findFshLayout } from '../project/layout.ts';
import { loadDefinitions, type LoadedDefinitions } from './definitions.ts';
import { mergePredefined, predefinedResources } from './predefined.ts';
import { withSushiLog } from './sushi-log.ts';

export interface CompileOptions {
  /** Reuse already-loaded definitions (the dev server keeps them in memory). */
  definitions?: LoadedDefinitions;
  /** Staging folder IGExporter writes its IG Publisher files into (menu.xml, the IG JSON). */
  stagingDir?: string;
}

export interface CompiledGuide {
  resources: CompiledResource[];
  implementationGuide?: CompiledResource;
  /** The loaded FHIR definitions, kept for later stages and the dev server. */
  definitions?: LoadedDefinitions;
  counts: Record<string, number>;
}

type SushiPackage = InstanceType<typeof sushi.sushiExport.Package>;

export async function compileFsh(paths: ProjectPaths, config: ProjectConfig, options: CompileOptions = {}) {
  const layout = findFshLayout(paths.root);
  if (!layout.dir) return { result: { resources: [], counts: {} } as CompiledGuide, diagnostics: layout.diagnostics };
  const { value, diagnostics } = await withSushiLog(paths.root, async () => {
    const definitions = options.definitions ?? (await loadDefinitions(paths, config.dependencies));
    if (definitions.diagnostics.some(d => d.severity === 'error')) {
      return { guide: emptyGuide(definitions), problems: definitions.diagnostics };
    }
    const run = await runSushi(paths, definitions, options);
    return { guide: run.guide, problems: [...definitions.diagnostics, ...run.problems] };
  });
  return { result: value.guide, diagnostics: [...value.problems, ...diagnostics] };
}

async function runSushi(paths: ProjectPaths, definitions: LoadedDefinitions, options: CompileOptions): Promise<{ guide: CompiledGuide; problems: Diagnostic[] }> {
  const { utils, sushiImport, sushiExport } = sushi;
  const defs = definitions.defs;
  const sushiConfig = sushiImport.importConfiguration(readFileSync(paths.config, 'utf8'), paths.config);
  if (!sushiConfig) return { guide: emptyGuide(definitions), problems: [] };
  if (!options.definitions) {
    await loadPredefinedResources(defs, paths.input, paths.root, sushiConfig.parameters);
    defs.optimize();
  }
  const rawFsh = existsSync(paths.fsh) && countFshFiles(paths.fsh) > 0 ? utils.getRawFSHes(paths.fsh) : [];
  rawFsh.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const tank = utils.fillTank(rawFsh, sushiConfig);
  tank.checkDuplicateNameEntities();
  const pkg = sushiExport.exportFHIR(tank, defs);
  // SUSHI writes fsh-generated/fsh-index.txt and data/fsh-index.json with every build.
  if (options.stagingDir) utils.writeFSHIndex(options.stagingDir, pkg, paths.fsh);
  let implementationGuide: CompiledResource | undefined;
  if (!sushiConfig.FSHOnly && options.stagingDir) {
    const exporter = new IGExporter(pkg, defs, paths.root);
    exporter.export(options.stagingDir);
    const ig = (exporter as unknown as { ig: FhirResource }).ig;
    implementationGuide = { fileName: `ImplementationGuide-${ig.id}.json`, resource: JSON.parse(JSON.stringify(ig)) };
  }
  const predefined = mergePredefined(collectResources(pkg, paths), predefinedResources(defs, paths, sushiConfig.parameters, implementationGuide?.resource));
  const counts = { ...countArtifacts(pkg), ...(predefined.resources.some(r => r.predefined) ? { predefined: predefined.resources.filter(r => r.predefined).length } : {}) };
  const guide = { resources: predefined.resources, implementationGuide, definitions, counts };
  return { guide, problems: [...predefined.diagnostics, ...emptyProblems(rawFsh.length, counts.predefined ?? 0, paths)] };
}

/** No stage succeeds silently on nothing: no FSH and no predefined resource is an error. */
function emptyProblems(fshFiles: number, predefined: number, paths: ProjectPaths): Diagnostic[] {
  if (fshFiles > 0) return [];
  const folder = relative(paths.root, paths.fsh).split('\\').join('/');
  return predefined > 0
    ? [{ severity: 'warning', rule: 'compile-no-fsh', message: `no .fsh files in ${folder}/: the guide holds only its ${predefined} predefined resources`, location: { file: folder } }]
    : [{ severity: 'error', rule: 'compile-empty', message: `nothing to compile: no .fsh files in ${folder}/ and no predefined resources in input/`, location: { file: folder } }];
}

function collectResources(pkg: SushiPackage, paths: ProjectPaths): CompiledResource[] {
  const out: CompiledResource[] = [];
  const add = (items: { getFileName(): string; toJSON(snapshot?: boolean): unknown }[]) => {
    for (const item of items) {
      const fileName = item.getFileName();
      const fsh = pkg.fshMap.get(fileName);
      const meta = (item as { _instanceMeta?: { usage?: string; instanceOfUrl?: string; sdType?: string } })._instanceMeta;
      out.push({
        fileName,
        resource: item.toJSON(true) as FhirResource,
        instanceOf: meta?.instanceOfUrl ?? meta?.sdType,
        usage: meta?.usage?.toLowerCase(),
        source: fsh?.file && fsh.location ? { file: relative(paths.root, fsh.file), startLine: fsh.location.startLine, endLine: fsh.location.endLine } : undefined
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

function emptyGuide(definitions: LoadedDefinitions): CompiledGuide {
  return { resources: [], definitions, counts: {} };
}

