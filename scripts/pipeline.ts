/**
 * The whole pipeline in one table, read top to bottom. A stage whose module has not landed yet
 * has `run: undefined`; asking for it directly is a usage error (exit 2), and `build` runs the
 * stages that exist, in order.
 */
import type { BuildContext, StageRun } from './context.ts';
import { compileStage } from './compile/stage.ts';
import { narrativeStage } from './narrative/stage.ts';
import { validateStage } from './validate/stage.ts';
import { renderStage } from './render/stage.ts';
import { packageStage } from './package/stage.ts';
import { countBySeverity, type Diagnostic } from './model.ts';
import { readProjectConfig } from './project/config.ts';
import { projectPaths, type PathOptions } from './project/paths.ts';
import { relative } from 'node:path';

export type StageName = 'compile' | 'narrative' | 'validate' | 'site' | 'package';

export interface StageDef {
  name: StageName;
  /** Stages whose results this one reads from the context. */
  needs: StageName[];
  run: StageRun | undefined;
  issue: number;
}

export const STAGES: readonly StageDef[] = [
  { name: 'compile', needs: [], run: compileStage, issue: 2 },
  { name: 'narrative', needs: ['compile'], run: narrativeStage, issue: 4 },
  { name: 'validate', needs: ['compile', 'narrative'], run: validateStage, issue: 4 },
  { name: 'package', needs: ['compile', 'narrative', 'validate'], run: packageStage, issue: 6 },
  { name: 'site', needs: ['compile', 'narrative', 'validate'], run: renderStage, issue: 5 }
];

export interface PipelineOptions extends PathOptions {
  log?: (line: string) => void;
}

export interface PipelineResult {
  ctx?: BuildContext;
  diagnostics: Diagnostic[];
  ran: StageName[];
  skipped: StageName[];
  /** A stage stopped on a file-system failure (read-only folder, disk full): exit 2, not a crash. */
  ioFailure?: boolean;
}

export function stageDef(name: StageName): StageDef {
  const def = STAGES.find(s => s.name === name);
  if (!def) throw new Error(`unknown stage ${name}`);
  return def;
}

/** Read the project and make the context every stage starts from. */
export function loadContext(root: string, options: PipelineOptions = {}): { ctx?: BuildContext; diagnostics: Diagnostic[] } {
  const paths = projectPaths(root, options);
  const { config, diagnostics } = readProjectConfig(paths.config);
  if (!config) return { diagnostics };
  return { ctx: { paths, config, log: options.log ?? (() => {}), buildDiagnostics: [...diagnostics] }, diagnostics };
}

/**
 * Run `targets` and what they need, in table order. Stops after a stage that reports errors
 * when later stages depend on its output (a compile error ends the build).
 */
export async function runPipeline(root: string, targets: readonly StageName[], options: PipelineOptions = {}): Promise<PipelineResult> {
  const { ctx, diagnostics } = loadContext(root, options);
  const result: PipelineResult = { ctx, diagnostics: [...diagnostics], ran: [], skipped: [] };
  if (!ctx) return result;
  const wanted = new Set<StageName>();
  for (const t of targets) for (const n of [...stageDef(t).needs, t]) wanted.add(n);
  for (const stage of STAGES.filter(s => wanted.has(s.name))) {
    if (!stage.run) {
      result.skipped.push(stage.name);
      continue;
    }
    const started = performance.now();
    let outcome: Awaited<ReturnType<NonNullable<typeof stage.run>>>;
    try {
      outcome = await stage.run(ctx);
    } catch (e) {
      const diagnostic = ioDiagnostic(e, stage.name, ctx.paths.root);
      if (!diagnostic) throw e;
      result.diagnostics.push(diagnostic);
      result.ioFailure = true;
      break;
    }
    result.diagnostics.push(...outcome.diagnostics);
    if (stage.name !== 'validate') ctx.buildDiagnostics = [...(ctx.buildDiagnostics ?? []), ...outcome.diagnostics];
    result.ran.push(stage.name);
    const c = countBySeverity(outcome.diagnostics);
    const ms = performance.now() - started;
    ctx.log(`${stage.name}: ${outcome.summary}; ${c.error} errors, ${c.warning} warnings (${formatMs(ms)})`);
    if (stage.name === 'compile' && c.error > 0) break;
  }
  return result;
}

/** A file-system error (it has an errno code and usually a path) as a located diagnostic; undefined for a tool bug. */
export function ioDiagnostic(e: unknown, stage: string, root: string): Diagnostic | undefined {
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.code !== 'string' || !/^E[A-Z]+$/.test(err.code) || typeof err.syscall !== 'string') return undefined;
  const file = err.path ? relative(root, err.path) || err.path : undefined;
  const why = IO_REASONS[err.code] ?? err.code;
  return { severity: 'error', rule: 'io-error', message: `${stage}: cannot ${err.syscall} ${file ?? 'a file'}: ${why} (${err.code}); the previous output was left as it was`, location: file ? { file } : undefined };
}

const IO_REASONS: Record<string, string> = {
  EROFS: 'the file system is read-only', EACCES: 'permission denied', EPERM: 'not permitted', ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up', ENOTDIR: 'a file is in the way of a folder', EEXIST: 'something is already in the way', EISDIR: 'a folder is in the way of a file',
  EIO: 'input/output error', EMFILE: 'too many open files', ENAMETOOLONG: 'the path is too long', ELOOP: 'a symbolic link loop'
};

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
