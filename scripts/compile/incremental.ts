/**
 * Incremental compile for the dev loop: after a clean compile, the next one parses every FSH
 * file again (cheap) but exports only the definitions an edit affects (fsh-graph.ts), seeding
 * SUSHI's package with every other definition from the previous compile, where SUSHI's exporters
 * find them and skip them. The result is the same as a full compile of the same sources; when
 * that cannot be vouched for, a full compile runs instead:
 * - no clean compile (one without diagnostics) has run yet: a partial export could not tell which
 *   earlier diagnostics still hold. The base is the last clean compile, kept through failed ones,
 *   so fixing a broken file exports what changed since then;
 * - sushi-config.yaml or the loaded definitions changed;
 * - the sources hold a Mapping (SUSHI applies those to already exported definitions);
 * - the partial export logged anything (errors, warnings): the full compile reports them whole.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Diagnostic } from '../model.ts';
import type { ProjectConfig } from '../project/config.ts';
import type { ProjectPaths } from '../project/paths.ts';
import {
  compileFsh,
  exportPackage,
  finishGuide,
  PACKAGE_ARRAYS,
  packageKey,
  parseFsh,
  readSushiConfig,
  type ParseCache,
  type CompiledGuide,
  type CompileOptions,
  type SushiPackage,
  type SushiState
} from './compile.ts';
import type { LoadedDefinitions } from './definitions.ts';
import { affectedKeys, fshNodes, type FshNode } from './fsh-graph.ts';
import { withSushiLog } from './sushi-log.ts';

export interface IncrementalResult {
  result: CompiledGuide;
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
          diagnostics: [...attempt.result.definitions!.diagnostics, ...attempt.diagnostics],
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
    const sushiDiagnostics = diagnostics.filter(d => !result.definitions?.diagnostics.includes(d));
    if (kept && sushiDiagnostics.length === 0 && !hasMapping(kept)) {
      this.base = { configText, definitions: kept.definitions, nodes: this.nodesOf(kept), pkg: kept.pkg };
    }
    return { result, diagnostics, mode: 'full', exported: kept ? exportedCount(kept.pkg) : 0, reason };
  }

  private async partial(base: Base, options: CompileOptions) {
    const { value, diagnostics } = await withSushiLog(this.paths.root, async () => {
      const sushiConfig = readSushiConfig(this.paths);
      if (!sushiConfig) return { failed: 'sushi-config.yaml could not be read' } as const;
      const { tank, texts } = parseFsh(this.paths, sushiConfig, this.parseCache);
      const state = { tank, texts, pkg: base.pkg, definitions: base.definitions };
      if (hasMapping(state)) return { failed: 'the sources define a Mapping' } as const;
      const nodes = this.nodesOf(state);
      const affected = affectedKeys(base.nodes, nodes);
      const present = new Set(nodes.map(n => n.key));
      let seeded = 0;
      const pkg = exportPackage(tank, base.definitions, fresh => {
        for (const [array, kind] of PACKAGE_ARRAYS) {
          for (const item of base.pkg[array] as unknown as PackageItem[]) {
            const key = packageKey(kind, item);
            if (!present.has(key) || affected.has(key)) continue;
            (fresh[array] as unknown as PackageItem[]).push(item);
            const fsh = base.pkg.fshMap.get(item.getFileName());
            if (fsh) fresh.fshMap.set(item.getFileName(), fsh);
            seeded++;
          }
        }
      });
      const { guide: result, problems } = finishGuide(pkg, tank, base.definitions, this.paths, sushiConfig, options, texts.size);
      if (problems.length > 0) return { failed: 'the guide has build problems' } as const;
      return { nodes, pkg, result, exported: exportedCount(pkg) - seeded } as const;
    });
    if ('failed' in value) return { ok: false, reason: value.failed ?? 'failed' } as const;
    if (diagnostics.length > 0) return { ok: false, reason: 'the partial export logged diagnostics' } as const;
    return { ok: true, ...value, diagnostics } as const;
  }

  private nodesOf(state: Pick<SushiState, 'tank' | 'texts'>): FshNode[] {
    return fshNodes(state.tank as never, state.texts, f => relative(this.paths.root, f));
  }
}

interface PackageItem {
  name?: string;
  _instanceMeta?: { name?: string };
  getFileName(): string;
}

function hasMapping(state: Pick<SushiState, 'tank'>): boolean {
  return state.tank.docs.some(d => d.mappings.size > 0);
}

function exportedCount(pkg: SushiPackage): number {
  return PACKAGE_ARRAYS.reduce((n, [array]) => n + (pkg[array] as unknown[]).length, 0);
}
