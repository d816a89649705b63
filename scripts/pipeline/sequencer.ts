/**
 * The whole pipeline in one table, read top to bottom, and the one sequencer that runs it. The
 * CLI, `vm-ig validate` and the dev session all run stages through `runStages`; what used to be
 * special cases (a compile error ends the run, validation findings are not build messages) are
 * properties of the table. Progress output and the dev server follow the run through its events.
 */
import type { BuildContext, StageOutcome, StageRun } from './context.ts';
import type { Diagnostic } from '../model/diagnostics.ts';
import { validateCache } from '../stages/validate/cache.ts';
import { packageCache } from '../stages/package/cache.ts';
import { siteCache } from '../stages/render/cache.ts';
import { isStageEntry, readStageEntry, writeStageEntry, type StageCache } from './stage-cache.ts';
import { readProjectConfig, type ProjectConfig } from '../project/config.ts';
import { applyHandwrittenIg } from '../project/handwritten-ig.ts';
import { projectPaths, type PathOptions, type ProjectPaths } from '../project/paths.ts';
import { relative } from 'node:path';
import { addFshLocations } from '../stages/compile/fsh-locations.ts';
import { errorCode } from '../util/errors.ts';

export type StageName = 'compile' | 'narrative' | 'diff' | 'validate' | 'package' | 'site';

export interface StageDef {
  name: StageName;
  /** Stages whose results this one reads from the context. */
  needs: readonly StageName[];
  run: StageRun;
  /** Errors here end the run: the stages after it would read output that was not made. */
  haltOnError: boolean;
  /** Its diagnostics are build messages (qa.html lists them); validation has a report of its own. */
  buildMessages: boolean;
  /**
   * How a run is kept in the build cache and reused when its inputs have not changed. The
   * compile stage keeps its own (stages/compile/cache.ts: it also restores fsh-generated/ and feeds the
   * dev loop's incremental compiler).
   */
  cache?: StageCache;
  /**
   * Stages whose results this one reads only at the end of its run, after `await ctx.ready(name)`
   * (the site's QA page reads the validation report and the package's messages): run before it,
   * but with threads it starts without waiting for them.
   */
  late?: readonly StageName[];
}

/**
 * A stage's code is loaded when it first runs, so a command whose stages all come from the
 * build cache never loads SUSHI, the validator or the renderer.
 */
function lazy(load: () => Promise<StageRun>): StageRun {
  return async ctx => (await load())(ctx);
}

export const STAGES: readonly StageDef[] = [
  {
    name: 'compile',
    needs: [],
    run: lazy(async () => (await import('../stages/compile/stage.ts')).compileStage),
    haltOnError: true,
    buildMessages: true
  },
  {
    name: 'narrative',
    needs: ['compile'],
    run: lazy(async () => (await import('../stages/narrative/stage.ts')).narrativeStage),
    haltOnError: false,
    buildMessages: true
  },
  {
    // Changes since the previous release the configuration names (none named: nothing to do).
    name: 'diff',
    needs: ['compile', 'narrative'],
    run: lazy(async () => (await import('../stages/diff/stage.ts')).diffStage),
    haltOnError: false,
    buildMessages: true
  },
  {
    name: 'validate',
    needs: ['compile', 'narrative'],
    run: lazy(async () => (await import('../stages/validate/stage.ts')).validateStage),
    haltOnError: false,
    buildMessages: false,
    cache: validateCache
  },
  {
    name: 'package',
    needs: ['compile', 'narrative', 'validate'],
    run: lazy(async () => (await import('../stages/package/stage.ts')).packageStage),
    haltOnError: false,
    buildMessages: true,
    cache: packageCache
  },
  {
    name: 'site',
    needs: ['compile', 'narrative', 'diff'],
    late: ['validate', 'package'],
    run: lazy(async () => (await import('../stages/render/stage.ts')).renderStage),
    haltOnError: false,
    buildMessages: true,
    cache: siteCache
  }
];

/** What `runStages` tells its subscribers, in order: each stage's start and its end. */
export type PipelineEvent =
  | { type: 'stage-start'; stage: StageName; index: number; total: number }
  | { type: 'stage-end'; stage: StageName; index: number; total: number; outcome: StageOutcome; ms: number };

export interface RunOptions {
  onEvent?: (event: PipelineEvent) => void;
  /** Runners that replace the table's (tests use stand-ins). */
  runners?: Partial<Record<StageName, StageRun>>;
  /**
   * Whether stages with a `cache` use the build cache (default true). The dev session uses it
   * for its first build only: after that it holds every result in memory, and keying and
   * storing each edit's results would only slow the loop.
   */
  cache?: boolean;
  /**
   * Validation runs on a second thread beside the site's pages (default false): a thread of its
   * own, or the context's kept one (`keptThreads`: a dev session's, whose validator stays loaded
   * between edits).
   */
  threads?: boolean;
}

export interface PipelineOptions extends PathOptions, RunOptions {}

export interface RunResult {
  diagnostics: Diagnostic[];
  ran: StageName[];
  /** The stage whose errors ended the run early, if one did. */
  haltedAt?: StageName;
  /** A stage stopped on a file-system failure (read-only folder, disk full): exit 2, not a crash. */
  ioFailure?: boolean;
}

export interface PipelineResult extends RunResult {
  ctx?: BuildContext;
}

/** The stages `targets` need, and the targets, in table order. */
export function planStages(targets: readonly StageName[]): StageName[] {
  const wanted = new Set<StageName>();
  for (const t of targets) for (const n of [...stageDef(t).needs, ...(stageDef(t).late ?? []), t]) wanted.add(n);
  return STAGES.filter(s => wanted.has(s.name)).map(s => s.name);
}

function stageDef(name: StageName): StageDef {
  const def = STAGES.find(s => s.name === name);
  if (!def) throw new Error(`unknown stage ${name}`);
  return def;
}

/** Read the project and make the context every stage starts from. */
export function loadContext(root: string, options: PathOptions = {}): { ctx?: BuildContext; diagnostics: Diagnostic[] } {
  const paths = projectPaths(root, options);
  const read = readProjectConfig(paths.config);
  const config = read.config;
  if (!config) return { diagnostics: read.diagnostics };
  const diagnostics = [...read.diagnostics, ...applyHandwrittenIg(root, config)];
  return { ctx: newContext(paths, config, diagnostics), diagnostics };
}

/** A context no stage has run on yet. */
export function newContext(paths: ProjectPaths, config: ProjectConfig, configDiagnostics: Diagnostic[] = []): BuildContext {
  return { paths, config, configDiagnostics, stageDiagnostics: new Map(), buildDiagnostics: [] };
}

/** Read the project, then run `targets` and what they need. */
export async function runPipeline(root: string, targets: readonly StageName[], options: PipelineOptions = {}): Promise<PipelineResult> {
  const { ctx, diagnostics } = loadContext(root, options);
  if (!ctx) return { diagnostics, ran: [] };
  const run = await runStages(ctx, planStages(targets), options);
  return { ...run, ctx, diagnostics: [...diagnostics, ...run.diagnostics] };
}

/**
 * Run exactly `stages` (in table order) on a context that holds what they need. One after another;
 * with `threads`, each as soon as the stages it `needs` have ended, so a stage that works on a
 * second thread (validation) runs beside the next one here (the site's pages), which waits for it
 * only where it reads its result (`late`, through `ctx.ready`).
 */
export async function runStages(ctx: BuildContext, stages: readonly StageName[], options: RunOptions = {}): Promise<RunResult> {
  const plan = STAGES.filter(s => stages.includes(s.name));
  const result: RunResult = { diagnostics: [], ran: [] };
  const emit = options.onEvent ?? (() => {});
  const ended = new Map<StageName, Promise<void>>();
  let stopped = false;
  ctx.threads = options.threads === true;
  ctx.ready = async name => {
    await Promise.all((stageDef(name).late ?? []).map(n => ended.get(n)));
    // A stage it waited for stopped the run: it ends here, as it would not have started without threads.
    if (stopped) throw new StoppedEarlier();
    ctx.buildDiagnostics = buildMessagesBefore(ctx, name);
  };
  const runOne = async (stage: StageDef, index: number): Promise<void> => {
    emit({ type: 'stage-start', stage: stage.name, index, total: plan.length });
    const started = performance.now();
    ctx.buildDiagnostics = buildMessagesBefore(ctx, stage.name);
    let outcome: Awaited<ReturnType<typeof stage.run>>;
    let ioFailed = false;
    try {
      const runner = options.runners?.[stage.name];
      outcome = runner ? await runner(ctx) : options.cache === false ? await stage.run(ctx) : await runCached(ctx, stage);
    } catch (e) {
      if (e instanceof StoppedEarlier) {
        // Not a run: no diagnostics, not in `ran`; the end event pairs the start event.
        return emit({
          type: 'stage-end',
          stage: stage.name,
          index,
          total: plan.length,
          outcome: { diagnostics: [], summary: e.message },
          ms: performance.now() - started
        });
      }
      const diagnostic = ioDiagnostic(e, stage.name, ctx.paths.root);
      if (!diagnostic) throw e;
      // Reported like any stage's diagnostics (the dev overlay and progress follow the end event).
      outcome = { diagnostics: [diagnostic], summary: 'stopped by an I/O failure' };
      ioFailed = true;
    }
    // Issues on resources compiled from FSH also point at the FSH rule behind them.
    addFshLocations(outcome.diagnostics, ctx.compiled?.resources);
    if (stage.name === 'validate') for (const f of ctx.validation?.files ?? []) addFshLocations(f.diagnostics, ctx.compiled?.resources);
    ctx.stageDiagnostics.set(stage.name, outcome.diagnostics);
    result.diagnostics.push(...outcome.diagnostics);
    if (!ioFailed) result.ran.push(stage.name);
    emit({ type: 'stage-end', stage: stage.name, index, total: plan.length, outcome, ms: performance.now() - started });
    if (ioFailed) {
      result.ioFailure = true;
      result.haltedAt ??= stage.name;
      stopped = true;
    } else if (stage.haltOnError && outcome.diagnostics.some(d => d.severity === 'error')) {
      result.haltedAt ??= stage.name;
      stopped = true;
    }
  };
  try {
    for (const [index, stage] of plan.entries()) {
      // Without threads a stage waits for the one before it, so they run in table order as before.
      const after = ctx.threads ? stage.needs.filter(n => ended.has(n)).map(n => ended.get(n)!) : [...ended.values()].slice(-1);
      const run = Promise.all(after).then(() => (stopped ? undefined : runOne(stage, index)));
      // Seen by whoever waits for it; a failure is thrown once, below.
      run.catch(() => undefined);
      ended.set(stage.name, run);
    }
    await Promise.all(ended.values());
  } finally {
    ctx.ready = undefined;
    ctx.threads = undefined;
  }
  // In table order, whichever ended first.
  result.ran = plan.map(s => s.name).filter(n => result.ran.includes(n));
  return result;
}

/** Thrown by `ctx.ready` when a stage the waiting one reads stopped the run. */
class StoppedEarlier extends Error {
  constructor() {
    super('not finished: an earlier stage stopped the run');
  }
}

/**
 * Run a stage, or put back its kept run when one is stored under the key of its inputs now. A
 * run is kept only when its inputs did not change while it ran (the dev loop edits under it).
 */
async function runCached(ctx: BuildContext, stage: StageDef): Promise<StageOutcome> {
  const cache = stage.cache;
  const key = cache?.key(ctx);
  if (!cache || !key) return stage.run(ctx);
  const entry = readStageEntry(ctx.paths.root, stage.name, key, isStageEntry);
  if (entry && cache.restore(ctx, entry.saved)) return { diagnostics: entry.diagnostics, summary: `${entry.summary} (unchanged: from the build cache)` };
  const outcome = await stage.run(ctx);
  const saved = cache.save(ctx);
  if (saved !== undefined && cache.key(ctx) === key) {
    try {
      writeStageEntry(ctx.paths.root, stage.name, key, { diagnostics: outcome.diagnostics, summary: outcome.summary, saved });
    } catch {
      // A cache that cannot be written (read-only project, full disk) only costs the next run this one's time.
    }
  }
  return outcome;
}

/**
 * What a stage sees as the build's messages: the configuration's, then those of the stages before
 * it in the table that make build messages. The same whether the stages ran just now or earlier
 * in a dev session, so a dev render equals a build's.
 */
function buildMessagesBefore(ctx: BuildContext, name: StageName): Diagnostic[] {
  const before = STAGES.slice(
    0,
    STAGES.findIndex(s => s.name === name)
  );
  return [...ctx.configDiagnostics, ...before.filter(s => s.buildMessages).flatMap(s => ctx.stageDiagnostics.get(s.name) ?? [])];
}

/** A file-system error (it has an errno code and usually a path) as a located diagnostic; undefined for a tool bug. */
export function ioDiagnostic(e: unknown, stage: string, root: string): Diagnostic | undefined {
  const code = errorCode(e);
  const syscall = typeof e === 'object' && e !== null && 'syscall' in e ? e.syscall : undefined;
  if (code === undefined || !/^E[A-Z]+$/.test(code) || typeof syscall !== 'string') return undefined;
  const path = typeof e === 'object' && e !== null && 'path' in e && typeof e.path === 'string' ? e.path : undefined;
  const file = path ? relative(root, path) || path : undefined;
  const why = IO_REASONS[code] ?? code;
  return {
    severity: 'error',
    rule: 'io-error',
    message: `${stage}: cannot ${syscall} ${file ?? 'a file'}: ${why} (${code}); the previous output was left as it was`,
    location: file ? { file } : undefined
  };
}

const IO_REASONS: Record<string, string> = {
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENOTDIR: 'a file is in the way of a folder',
  EEXIST: 'something is already in the way',
  EISDIR: 'a folder is in the way of a file',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'a symbolic link loop',
  EOUTSIDE: 'the path leads outside the output folder, so nothing was written there'
};

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
