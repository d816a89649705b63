/**
 * The dev session: the in-memory state of `vm-ig dev`. It keeps one build context (with the loaded
 * FHIR definitions, the compiled model and the last good site) and runs the pipeline's stages
 * on it for each batch of changes: a page edit runs the site stage for that page, a theme change
 * the site stage, FSH every stage (compile with the cached definitions), the config a new context
 * and every stage. A failed step keeps the last good output on show and reports its
 * diagnostics; the next good build clears them.
 */
import type { BuildContext } from '../../pipeline/context.ts';
import type { Diagnostic } from '../../model/diagnostics.ts';
import { countBySeverity, formatDiagnostic } from '../../model/diagnostics.ts';
import { diagnosticLines, severityCounts } from '../../model/diagnostic-groups.ts';
import { formatMs, loadContext, runStages, STAGES, type PipelineEvent, type RunOptions, type StageName } from '../../pipeline/sequencer.ts';
import type { PathOptions, ProjectPaths } from '../../project/paths.ts';
import { projectPaths } from '../../project/paths.ts';
import { planChanges, type Change, type ChangeKind } from './classify.ts';
import type { OverlayState } from './client.ts';
import { fallbackSite } from './fallback.ts';
import type { ThemeHooks } from './theme.ts';
import type { VirtualFile } from './server.ts';
import { KeptThreads } from '../../util/threads.ts';

export interface DevSessionOptions extends PathOptions {
  log?: (line: string) => void;
  /** Runners that replace the pipeline table's (tests). */
  runners?: RunOptions['runners'];
  /** Makes the renderer pick up theme edits (see theme.ts); none by default. */
  theme?: ThemeHooks;
  /**
   * How long the work stages leave for after a reload (the search index) waits, so the
   * browser's requests for the reloaded page are answered first; a new change ends the wait.
   * Default 150 ms.
   */
  afterReloadDelayMs?: number;
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

type Step = 'config' | StageName | 'internal';

const EVERY_STAGE = STAGES.map(s => s.name);

export class DevSession {
  readonly paths: ProjectPaths;
  ctx?: BuildContext;
  private readonly diagnostics = new Map<Step, Diagnostic[]>();
  private fallback?: Map<string, VirtualFile>;
  private siteRendered = false;
  private pending: Change[] = [];
  private running?: Promise<BuildOutcome | undefined>;
  private readonly listeners: ((o: BuildOutcome) => void)[] = [];
  private readonly refreshListeners: ((pages: string[]) => void)[] = [];
  /** Ends the wait before the after-reload work early (a new change arrived). */
  private wake?: () => void;
  private readonly log: (line: string) => void;
  /** The session's validation thread: its validator stays loaded from one edit to the next. */
  private readonly threads = new KeptThreads();

  constructor(
    readonly root: string,
    private readonly options: DevSessionOptions = {}
  ) {
    this.paths = projectPaths(root, options);
    this.log = options.log ?? (() => {});
  }

  /** The first, full build. */
  start(): Promise<BuildOutcome | undefined> {
    return this.apply([{ kind: 'reload', path: 'sushi-config.yaml' }]);
  }

  /** Queue changes; resolves with the outcome of the rebuild that covered them. */
  apply(changes: readonly Change[]): Promise<BuildOutcome | undefined> {
    this.pending.push(...changes);
    this.wake?.();
    this.running ??= this.drain().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Let go of the session's threads (after the last rebuild). */
  async close(): Promise<void> {
    await this.running?.catch(() => undefined);
    await this.threads.close();
  }

  onBuilt(listener: (o: BuildOutcome) => void): void {
    this.listeners.push(listener);
  }

  /** After a reload, the work left until then changed these pages and maybe the messages (`currentDiagnostics`). */
  onRefreshed(listener: (pages: string[]) => void): void {
    this.refreshListeners.push(listener);
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
      if (plan.kind !== 'ignore') {
        last = await this.rebuild(this.ctx ? plan.kind : 'reload', plan.pages, plan.changes);
        for (const l of this.listeners) l(last);
      }
      await this.afterReloadGrace();
      // A change that came meanwhile is built first; the work waits for the pause after it.
      await this.runAfterReload();
    }
    return last;
  }

  private async rebuild(kind: ChangeKind, pages: string[], changes: Change[]): Promise<BuildOutcome> {
    const started = performance.now();
    const steps: string[] = [];
    let siteChanged = false;
    this.diagnostics.delete('internal');
    try {
      siteChanged = await this.runSteps(kind, pages, steps, changes);
    } catch (e) {
      this.diagnostics.set('internal', [internalError(e)]);
    }
    if (!this.siteRendered) this.refreshFallback();
    // Stages on threads end in any order: the log lists them in the table's.
    steps.sort((a, b) => stepOrder(a) - stepOrder(b));
    const outcome = { kind, pages, siteChanged, diagnostics: this.currentDiagnostics(), steps, ms: performance.now() - started };
    this.report(outcome);
    return outcome;
  }

  /** Runs the stages a change needs; returns whether the site was rendered (the page should reload). */
  private async runSteps(kind: ChangeKind, pages: string[], steps: string[], changes: Change[]): Promise<boolean> {
    if (kind === 'reload' && !this.reloadConfig(steps)) return false;
    const ctx = this.ctx!;
    const siteOnly = (kind === 'page' || kind === 'site') && ctx.compiled !== undefined;
    const themeEdit = changes.some(c => c.path.startsWith('site/'));
    if (themeEdit) this.options.theme?.beforeRender(this.paths);
    ctx.pagesChanged = kind === 'page' && this.siteRendered ? pages : undefined;
    try {
      const run = await runStages(ctx, siteOnly ? ['site'] : EVERY_STAGE, {
        runners: this.options.runners,
        onEvent: e => this.record(e, steps),
        cache: !this.siteRendered,
        // Validation on the session's thread, beside the site's pages.
        threads: true
      });
      if (run.haltedAt || !run.ran.includes('site')) return false;
    } finally {
      ctx.pagesChanged = undefined;
    }
    this.siteRendered = true;
    if (themeEdit) this.options.theme?.afterRender(this.paths, changes);
    return true;
  }

  /** A new context from the configuration, keeping the last good output on show until it is rebuilt. */
  private reloadConfig(steps: string[]): boolean {
    const { ctx, diagnostics } = loadContext(this.root, this.options);
    this.diagnostics.set('config', diagnostics);
    steps.push(ctx ? 'config read' : 'config has errors');
    if (!ctx) return false;
    const last = this.ctx;
    this.ctx = {
      ...ctx,
      compiled: last?.compiled,
      validation: last?.validation,
      packageBytes: last?.packageBytes,
      packagePath: last?.packagePath,
      sitePages: last?.sitePages,
      afterReload: [],
      session: true,
      keptThreads: this.threads
    };
    return true;
  }

  /** Waits `afterReloadDelayMs` when there is work for after the reload, or until a new change arrives. */
  private afterReloadGrace(): Promise<void> {
    if (!this.ctx?.afterReload?.length || this.pending.length > 0) return Promise.resolve();
    return new Promise<void>(done => {
      const timer = setTimeout(finish, this.options.afterReloadDelayMs ?? 150);
      function finish() {
        clearTimeout(timer);
        done();
      }
      this.wake = () => {
        this.wake = undefined;
        finish();
      };
    }).finally(() => (this.wake = undefined));
  }

  /**
   * What the stages left for after the reload (the site check, the search index), step by step
   * until a new change comes; messages a step brings up to date replace its stage's, and the
   * listeners hear of them.
   */
  private async runAfterReload(): Promise<void> {
    const left = this.ctx?.afterReload ?? [];
    // One step at a time; a change that comes meanwhile is built first, and the rest waits again.
    while (left.length > 0 && this.pending.length === 0) {
      const work = left.shift()!;
      try {
        const outcome = await work();
        if (!outcome) continue;
        this.diagnostics.set(outcome.stage, outcome.diagnostics);
        this.ctx?.stageDiagnostics.set(outcome.stage, outcome.diagnostics);
        for (const l of this.refreshListeners) l(outcome.pages);
      } catch (e) {
        this.diagnostics.set('internal', [internalError(e)]);
      }
    }
  }

  private record(event: PipelineEvent, steps: string[]): void {
    if (event.type !== 'stage-end') return;
    this.diagnostics.set(event.stage, event.outcome.diagnostics);
    steps.push(`${event.stage}: ${event.outcome.summary} (${formatMs(event.ms)})`);
  }

  private refreshFallback(): void {
    this.fallback = fallbackSite({
      title: this.ctx?.config.title ?? 'vm-ig dev',
      reason: 'No site has been rendered yet: fix the errors below.',
      resources: this.ctx?.compiled?.resources ?? [],
      pagecontent: this.paths.pagecontent,
      diagnostics: this.currentDiagnostics()
    });
  }

  private report(o: BuildOutcome): void {
    // Each step names its stage (`compile: ...; site: ...`): the log names only what changed
    // beyond that (a page, the configuration), never a stage twice.
    const what = o.kind === 'page' ? `page ${o.pages.join(', ')}: ` : o.kind === 'reload' ? 'configuration: ' : '';
    this.log(`[dev] ${what}${o.steps.join('; ') || 'nothing to do'}; ${severityCounts(o.diagnostics)} in ${formatMs(o.ms)}`);
    const { lines } = diagnosticLines(o.diagnostics);
    for (const line of lines.slice(0, 30)) this.log(line.text);
    if (lines.length > 30) this.log(`... and ${lines.length - 30} more`);
  }
}

/** Where a step's stage is in the table (`config read` comes first). */
function stepOrder(step: string): number {
  return EVERY_STAGE.findIndex(name => step.startsWith(`${name}:`));
}

function internalError(e: unknown): Diagnostic {
  return { severity: 'error', rule: 'internal', message: `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` };
}
