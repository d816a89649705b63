/**
 * Incremental compile for the dev loop: after a clean compile, the next one parses every FSH
 * file again (cheap) but exports only the definitions an edit reaches (fsh-graph.ts gives who
 * mentions whom), in rounds that stop where the outputs stop changing (`exportUntilSettled`),
 * seeding SUSHI's package with every other definition from the previous compile, where SUSHI's
 * exporters find them and skip them. The result is the same as a full compile of the same
 * sources; when that cannot be vouched for, a full compile runs instead:
 * - no clean compile (one without diagnostics) has run yet: a partial export could not tell which
 *   earlier diagnostics still hold. The base is the last clean compile, kept through failed ones,
 *   so fixing a broken file exports what changed since then;
 * - sushi-config.yaml or the loaded definitions changed;
 * - the sources hold a Mapping (SUSHI applies those to already exported definitions);
 * - the partial export logged anything (errors, warnings): the full compile reports them whole;
 * - the rounds did not settle (`MAX_ROUNDS`).
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Diagnostic } from '../../model/diagnostics.ts';
import type { ProjectConfig } from '../../project/config.ts';
import type { ProjectPaths } from '../../project/paths.ts';
import {
  compileFsh,
  exportPackage,
  finishGuide,
  PACKAGE_ARRAYS,
  packageKey,
  parseFsh,
  hasRefusedPredefined,
  readSushiConfig,
  type PackageItem,
  type ParseCache,
  type CompileOutput,
  type CompileOptions,
  type SushiState
} from './compile.ts';
import type { LoadedDefinitions } from './definitions.ts';
import { fshNodes, mentioned, type FshNode } from './fsh-graph.ts';
import { withSushiLog } from './sushi-log.ts';
import { itemJson, packageItems, speedupsNotices, SPEEDUPS_OFF_RULE, type FshSource, type SushiPackage } from './sushi/adapter.ts';
import { isJsonObject } from '../../fhir/json.ts';

export interface IncrementalResult {
  result: CompileOutput;
  diagnostics: Diagnostic[];
  /** `incremental` when only the affected definitions were exported. */
  mode: 'full' | 'incremental';
  /** Definitions exported this time (all of them for a full compile). */
  exported: number;
  /** Why a full compile ran, when one did. */
  reason?: string;
}

interface Base {
  configText: string;
  definitions: LoadedDefinitions;
  nodes: FshNode[];
  pkg: SushiPackage;
}

export class IncrementalCompiler {
  private base?: Base;
  private readonly parseCache: ParseCache = new Map();

  constructor(
    private readonly paths: ProjectPaths,
    private readonly config: ProjectConfig
  ) {}

  /** Forget the previous compile: the next one is full. */
  reset(): void {
    this.base = undefined;
  }

  async compile(options: Omit<CompileOptions, 'keep' | 'parseCache'> = {}): Promise<IncrementalResult> {
    const configText = readFileSync(this.paths.config, 'utf8');
    let base = this.base;
    if (base && (base.configText !== configText || (options.definitions && options.definitions !== base.definitions))) {
      this.base = base = undefined;
    }
    let reason = 'no previous clean compile';
    if (base) {
      const attempt = await this.partial(base, options);
      if (attempt.ok) {
        this.base = { ...base, nodes: attempt.nodes, pkg: attempt.pkg };
        return {
          result: attempt.result,
          diagnostics: [...attempt.result.definitions!.diagnostics, ...attempt.diagnostics, ...speedupsNotices()],
          mode: 'incremental',
          exported: attempt.exported
        };
      }
      reason = attempt.reason;
    }
    let kept: SushiState | undefined;
    const { result, diagnostics } = await compileFsh(this.paths, this.config, {
      ...options,
      definitions: options.definitions ?? base?.definitions,
      parseCache: this.parseCache,
      keep: s => (kept = s)
    });
    const sushiDiagnostics = diagnostics.filter(d => !result.definitions?.diagnostics.includes(d) && d.rule !== SPEEDUPS_OFF_RULE);
    if (kept && sushiDiagnostics.length === 0 && !hasMapping(kept)) {
      this.base = { configText, definitions: kept.definitions, nodes: this.nodesOf(kept), pkg: kept.pkg };
    }
    return { result, diagnostics, mode: 'full', exported: kept ? exportedCount(kept.pkg) : 0, reason };
  }

  private async partial(base: Base, options: CompileOptions) {
    const { value, diagnostics } = await withSushiLog(this.paths.root, async () => {
      const sushiConfig = readSushiConfig(this.paths);
      if (!sushiConfig) return { failed: 'sushi-config.yaml could not be read' } as const;
      const { tank, texts, problems: readProblems } = parseFsh(this.paths, sushiConfig, this.parseCache);
      if (readProblems.length > 0 || hasRefusedPredefined(base.definitions)) return { failed: 'input files were refused' } as const;
      const state = { tank, texts, pkg: base.pkg, definitions: base.definitions };
      if (hasMapping(state)) return { failed: 'the sources define a Mapping' } as const;
      const nodes = this.nodesOf(state);
      const exported = exportUntilSettled(base, nodes, pkgSeed => exportPackage(tank, base.definitions.defs, pkgSeed));
      if ('failed' in exported) return exported;
      const { guide: result, problems } = finishGuide(exported.pkg, tank, base.definitions, this.paths, sushiConfig, options, texts.size);
      if (problems.length > 0) return { failed: 'the guide has build problems' } as const;
      return { nodes, pkg: exported.pkg, result, exported: exported.count } as const;
    });
    if ('failed' in value) return { ok: false, reason: value.failed ?? 'failed' } as const;
    if (diagnostics.length > 0) return { ok: false, reason: 'the partial export logged diagnostics' } as const;
    return { ok: true, ...value, diagnostics } as const;
  }

  private nodesOf(state: Pick<SushiState, 'tank' | 'texts'>): FshNode[] {
    return fshNodes(state.tank, state.texts, f => relative(this.paths.root, f));
  }
}

function hasMapping(state: Pick<SushiState, 'tank'>): boolean {
  return state.tank.docs.some(d => d.mappings.size > 0);
}

function exportedCount(pkg: SushiPackage): number {
  return PACKAGE_ARRAYS.reduce((n, [array]) => n + pkg[array].length, 0);
}

/** Rounds of export after which an edit that has not settled gets a full compile. */
const MAX_ROUNDS = 6;

interface Output {
  array: (typeof PACKAGE_ARRAYS)[number][0];
  item: PackageItem;
  fsh?: FshSource;
}

/**
 * Export what an edit reaches, in rounds, keeping everything else from the previous compile.
 * Round one exports the definitions whose text changed and those that use a changed rule set,
 * alias or invariant, or a name that was added, removed or renamed. Each later round exports the
 * definitions that use one whose output (its JSON) came out different, so an edit stops where
 * its effect stops: a profile whose output did not change leaves its children and instances
 * alone. Instances are spared also when only the documentation of a profile, value set or code
 * system changed (see `instanceShape`): an instance is made from elements, types, cardinalities,
 * fixed values and codes, never from the texts.
 */
function exportUntilSettled(
  base: Base,
  nodes: readonly FshNode[],
  exportWith: (seed: (pkg: SushiPackage) => void) => SushiPackage
): { pkg: SushiPackage; count: number } | { failed: string } {
  const byKey = new Map(nodes.map(n => [n.key, n]));
  const outputs = new Map<string, Output>();
  for (const [array, kind] of PACKAGE_ARRAYS) {
    for (const item of packageItems(base.pkg, array)) {
      const key = packageKey(kind, item);
      if (byKey.has(key)) outputs.set(key, { array, item, fsh: base.pkg.fshMap.get(item.getFileName()) });
    }
  }
  let todo = firstRound(base.nodes, nodes);
  let pkg: SushiPackage | undefined;
  let count = 0;
  for (let round = 0; todo.size > 0 || !pkg; round++) {
    if (round === MAX_ROUNDS) return { failed: `the edit had not settled after ${MAX_ROUNDS} rounds of export` };
    const exporting = todo;
    pkg = exportWith(fresh => {
      for (const [key, { array, item, fsh }] of outputs) {
        if (exporting.has(key)) continue;
        packageItems(fresh, array).push(item);
        if (fsh) fresh.fshMap.set(item.getFileName(), fsh);
      }
    });
    const changed = new Map<string, boolean>();
    for (const [array, kind] of PACKAGE_ARRAYS) {
      for (const item of packageItems(pkg, array)) {
        const key = packageKey(kind, item);
        if (!exporting.has(key)) continue;
        count++;
        const before = outputs.get(key);
        outputs.set(key, { array, item, fsh: pkg.fshMap.get(item.getFileName()) });
        if (before && itemJson(before.item) === itemJson(item)) continue;
        const shapeOnly = kind !== 'instance' && before !== undefined && instanceShape(itemJson(before.item)) === instanceShape(itemJson(item));
        for (const name of byKey.get(key)?.declares ?? []) changed.set(name, (changed.get(name) ?? true) && shapeOnly);
      }
    }
    // What this round exported came out as a full compile makes it (SUSHI exports what a
    // definition needs first); only the definitions left as they were can be out of date.
    todo = new Set([...users(nodes, changed)].filter(key => !exporting.has(key)));
  }
  return { pkg, count };
}

/**
 * The first round: exported definitions whose text changed or that are new, and everything that
 * uses a name added, removed or renamed, or a changed rule set, alias or invariant (through other
 * rule sets and aliases).
 */
function firstRound(previous: readonly FshNode[], current: readonly FshNode[]): Set<string> {
  const before = new Map(previous.map(n => [n.key, n]));
  const now = new Map(current.map(n => [n.key, n]));
  const names = new Map<string, boolean>();
  const todo = new Set<string>();
  for (const key of new Set([...before.keys(), ...now.keys()])) {
    const a = before.get(key);
    const b = now.get(key);
    if (a?.fingerprint === b?.fingerprint) continue;
    if (b && EXPORTED.has(b.kind)) todo.add(key);
    const same = a && b && EXPORTED.has(b.kind) && a.declares.join('\n') === b.declares.join('\n');
    if (!same) for (const name of [...(a?.declares ?? []), ...(b?.declares ?? [])]) names.set(name, false);
  }
  for (const key of users(current, names)) todo.add(key);
  return todo;
}

const EXPORTED = new Set<FshNode['kind']>(['sd', 'instance', 'valueSet', 'codeSystem']);

/**
 * Exported definitions that use one of `names` (true: only the documentation of that definition
 * changed, which instances do not read), directly or through rule sets, aliases and invariants.
 */
function users(nodes: readonly FshNode[], names: ReadonlyMap<string, boolean>): Set<string> {
  const all = new Map(names);
  // Rule sets, aliases and invariants pass a name on to whoever uses them, documentation-only
  // when every name they use is; a name can only lose that, so this settles.
  let grew = all.size > 0;
  while (grew) {
    grew = false;
    for (const node of nodes) {
      if (EXPORTED.has(node.kind)) continue;
      const used = mentioned(node, all);
      if (used.length === 0) continue;
      const documentation = used.every(name => all.get(name));
      for (const name of node.declares) {
        const now = (all.get(name) ?? true) && documentation;
        if (all.get(name) !== now) {
          all.set(name, now);
          grew = true;
        }
      }
    }
  }
  const out = new Set<string>();
  for (const node of nodes) {
    if (!EXPORTED.has(node.kind)) continue;
    const used = mentioned(node, all);
    if (used.length > 0 && (node.kind !== 'instance' || used.some(name => !all.get(name)))) out.add(node.key);
  }
  return out;
}

/** Element members that only document: SUSHI's instance export reads none of them. */
const DOCUMENTATION = new Set(['short', 'definition', 'comment', 'requirements', 'alias', 'mapping', 'constraint']);
/** Definition members that only document. */
const DESCRIPTIVE = new Set(['title', 'description', 'purpose', 'copyright', 'publisher', 'contact', 'date']);

/**
 * A definition's JSON without what only documents it (titles, descriptions, element texts,
 * invariants): what an instance made from it or using its codes depends on.
 */
export function instanceShape(json: string): string {
  const sd: unknown = JSON.parse(json);
  if (!isJsonObject(sd)) return json;
  for (const key of DESCRIPTIVE) delete sd[key];
  for (const part of ['snapshot', 'differential']) {
    const holder = sd[part];
    const elements = isJsonObject(holder) && Array.isArray(holder.element) ? holder.element : [];
    for (const element of elements) if (isJsonObject(element)) for (const key of DOCUMENTATION) delete element[key];
  }
  return JSON.stringify(sd);
}
