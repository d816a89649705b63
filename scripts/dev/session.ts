/**
 * The dev session: the in-memory state of `vm-ig dev`. It keeps the loaded FHIR definitions, the
 * compiled model and the last good site, and re-runs only what a batch of changes affects:
 * a page re-renders the site (or that page, when the renderer offers it), a theme change
 * re-renders, FSH recompiles with the cached definitions and then validates and renders, the
 * config reloads everything. A failed step keeps the last good output on show and reports its
 * diagnostics; the next good build clears them.
 */
import type { BuildContext, StageRun } from '../context.ts';
import type { Diagnostic } from '../model.ts';
import { countBySeverity, formatDiagnostic } from '../model.ts';
import { loadContext, stageDef, formatMs } from '../pipeline.ts';
import type { PathOptions, ProjectPaths } from '../project/paths.ts';
import { projectPaths } from '../project/paths.ts';
import type { LoadedDefinitions } from '../compile/definitions.ts';
import { compileAndWrite, countsSummary } from '../compile/stage.ts';
import { IncrementalCompiler } from '../compile/incremental.ts';
import { narrativeStage } from '../narrative/stage.ts';
import { planChanges, type Change, type ChangeKind } from './classify.ts';
import type { OverlayState } from './client.ts';
import { fallbackSite } from './fallback.ts';
import type { ThemeHooks } from './theme.ts';
import type { VirtualFile } from './server.ts';

/** Renders only the named pages (file names in input/pagecontent) and the search index. */
export type RenderPages = (ctx: BuildContext, pages: readonly string[]) => Promise<{ diagnostics: Diagnostic[]; summary: string }>;

export interface DevSessionOptions extends PathOptions {
  log?: (line: string) => void;
  /** Stage runners; the pipeline table's by default (tests pass their own). */
  validate?: StageRun;
  render?: StageRun;
  renderPages?: RenderPages;
  /** Makes the renderer pick up theme edits (see theme.ts); none by default. */
  theme?: ThemeHooks;
}

export interface BuildOutcome {
  kind: ChangeKind;
  pages: string[];
  /** Whether the served site changed (pages should reload). */
  siteChanged: boolean;
  /** Every current diagnostic, of every step. */
  diagnostics: Diagnostic[];
  steps: string[];
  ms: number;
}

type Step = 'config' | 'compile' | 'validate' | 'site' | 'internal';

export class DevSession {
  readonly paths: ProjectPaths;
  ctx?: BuildContext;
  private definitions?: LoadedDefinitions;
  /** Re-exports only the definitions an FSH edit affects; a new one per configuration. */
  private compiler?: IncrementalCompiler;
  private readonly diagnostics = new Map<Step, Diagnostic[]>();
  private fallback?: Map<string, VirtualFile>;
  private siteRendered = false;
  private pending: Change[] = [];
  private running?: Promise<BuildOutcome | undefined>;
  private readonly listeners: ((o: BuildOutcome) => void)[] = [];
  private readonly log: (line: string) => void;
  private readonly validate?: StageRun;
  private readonly render?: StageRun;

  constructor(readonly root: string, private readonly options: DevSessionOptions = {}) {
    this.paths = projectPaths(root, options);
    this.log = options.log ?? (() => {});
    this.validate = 'validate' in options ? options.validate : stageDef('validate').run;
    this.render = 'render' in options ? options.render : stageDef('site').run;
  }

  /** The first, full build. */
  start(): Promise<BuildOutcome | undefined> {
    return this.apply([{ kind: 'reload', path: 'sushi-config.yaml' }]);
  }

  /** Queue changes; resolves with the outcome of the rebuild that covered them. */
  apply(changes: readonly Change[]): Promise<BuildOutcome | undefined> {
    this.pending.push(...changes);
    this.running ??= this.drain().finally(() => (this.running = undefined));
    return this.running;
  }

  onBuilt(listener: (o: BuildOutcome) => void): void {
    this.listeners.push(listener);
  }

  currentDiagnostics(): Diagnostic[] {
    return [...this.diagnostics.values()].flat();
  }

  overlayState(): OverlayState {
    const shown = this.currentDiagnostics().filter(d => d.severity !== 'information');
    const c = countBySeverity(shown);
    return { errors: c.error, warnings: c.warning, lines: shown.slice(0, 200).map(formatDiagnostic) };
  }

  /** In-memory files the server shows before a site has been rendered. */
  virtualFile(urlPath: string): VirtualFile | undefined {
    return this.siteRendered ? undefined : this.fallback?.get(urlPath);
  }

  private async drain(): Promise<BuildOutcome | undefined> {
    let last: BuildOutcome | undefined;
    while (this.pending.length > 0) {
      const plan = planChanges(this.pending.splice(0));
      if (plan.kind === 'ignore') continue;
      last = await this.rebuild(this.ctx ? plan.kind : 'reload', plan.pages, plan.changes);
      for (const l of this.listeners) l(last);
    }
    return last;
  }

  private async rebuild(kind: ChangeKind, pages: string[], changes: Change[] = []): Promise<BuildOutcome> {
    const started = performance.now();
    const steps: string[] = [];
    let siteChanged = false;
    this.diagnostics.delete('internal');
    try {
      siteChanged = await this.runSteps(kind, pages, steps, changes);
    } catch (e) {
      this.diagnostics.set('internal', [{ severity: 'error', rule: 'internal', message: `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` }]);
    }
    if (!this.siteRendered) this.refreshFallback();
    const outcome = { kind, pages, siteChanged, diagnostics: this.currentDiagnostics(), steps, ms: performance.now() - started };
    this.report(outcome);
    return outcome;
  }

  /** Returns whether every step ran (without a blocking error): the site, or its fallback, changed. */
  private async runSteps(kind: ChangeKind, pages: string[], steps: string[], changes: Change[]): Promise<boolean> {
    if (kind === 'reload' && !this.reloadConfig(steps)) return false;
    if (kind === 'reload' || kind === 'compile') {
      if (!(await this.compile(steps))) return false;
      await this.runStage('validate', this.validate, steps);
    }
    if (!this.render) return true;
    if (kind === 'page' && this.siteRendered && this.options.renderPages) {
      return this.record('site', await this.options.renderPages(this.ctx!, pages), steps, `pages ${pages.join(', ')}`);
    }
    const themeEdit = changes.some(c => c.path.startsWith('site/'));
    if (themeEdit) this.options.theme?.beforeRender(this.paths);
    const ok = await this.runStage('site', this.render, steps);
    if (ok) this.siteRendered = true;
    if (themeEdit) this.options.theme?.afterRender(this.paths, changes);
    return ok;
  }

  private reloadConfig(steps: string[]): boolean {
    const { ctx, diagnostics } = loadContext(this.root, { ...this.options, log: this.log });
    this.diagnostics.set('config', diagnostics);
    steps.push(ctx ? 'config read' : 'config has errors');
    if (!ctx) return false;
    this.ctx = { ...ctx, compiled: this.ctx?.compiled, validation: this.ctx?.validation, sitePages: this.ctx?.sitePages };
    this.definitions = undefined;
    this.compiler = new IncrementalCompiler(ctx.paths, ctx.config);
    return true;
  }

  /** Compile with the cached definitions; on errors keep the last good model. */
  private async compile(steps: string[]): Promise<boolean> {
    const ctx = this.ctx!;
    const started = performance.now();
    const { result, diagnostics, failed, mode } = await compileAndWrite(ctx, this.definitions, this.compiler);
    if (result.definitions && !result.definitions.diagnostics.some(d => d.severity === 'error')) this.definitions = result.definitions;
    this.diagnostics.set('compile', diagnostics);
    steps.push(`compile${mode === 'incremental' ? ' (incremental)' : ''}: ${countsSummary(result.counts)}${failed ? ' (errors: keeping the last good build)' : ''} (${formatMs(performance.now() - started)})`);
    if (failed) return false;
    ctx.compiled = result;
    ctx.buildDiagnostics = diagnostics;
    await narrativeStage(ctx);
    return true;
  }

  private async runStage(step: 'validate' | 'site', run: StageRun | undefined, steps: string[]): Promise<boolean> {
    if (!run) {
      this.diagnostics.delete(step);
      return true;
    }
    const started = performance.now();
    return this.record(step, await run(this.ctx!), steps, '', performance.now() - started);
  }

  private record(step: Step, outcome: { diagnostics: Diagnostic[]; summary: string }, steps: string[], label = '', ms?: number): boolean {
    this.diagnostics.set(step, outcome.diagnostics);
    steps.push(`${step}${label ? ` ${label}` : ''}: ${outcome.summary}${ms === undefined ? '' : ` (${formatMs(ms)})`}`);
    return true;
  }

  private refreshFallback(): void {
    this.fallback = fallbackSite({
      title: this.ctx?.config.title ?? 'vm-ig dev',
      reason: this.render ? 'No site has been rendered yet: fix the errors below.' : 'The site stage does not exist yet (issue #5): showing the compiled resources and page sources.',
      resources: this.ctx?.compiled?.resources ?? [],
      pagecontent: this.paths.pagecontent,
      diagnostics: this.currentDiagnostics()
    });
  }

  private report(o: BuildOutcome): void {
    const c = countBySeverity(o.diagnostics);
    const what = o.kind === 'page' ? `page ${o.pages.join(', ')}` : o.kind;
    this.log(`[dev] ${what}: ${o.steps.join('; ')}; ${c.error} errors, ${c.warning} warnings in ${formatMs(o.ms)}`);
    const shown = o.diagnostics.filter(d => d.severity !== 'information');
    for (const d of shown.slice(0, 30)) this.log(formatDiagnostic(d));
    if (shown.length > 30) this.log(`... and ${shown.length - 30} more`);
  }
}
