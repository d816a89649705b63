/** The in-memory model the pipeline stages pass along: each stage reads what earlier ones set. */
import type { ProjectConfig } from '../project/config.ts';
import type { ProjectPaths } from '../project/paths.ts';
import type { Diagnostic } from '../model/diagnostics.ts';
import type { CompiledGuide, FhirResource } from '../model/resources.ts';
import type { ValidationReport } from '../model/validation.ts';
import type { DiffReport } from '../lib/diff/model.ts';
import type { KeptThreads } from '../util/threads.ts';

export interface BuildContext {
  paths: ProjectPaths;
  config: ProjectConfig;
  /** What reading the configuration had to say. */
  configDiagnostics: Diagnostic[];
  /** The diagnostics of each stage's latest run (the dev session runs stages more than once). */
  stageDiagnostics: Map<string, Diagnostic[]>;
  /** The last good compile: a compile with errors leaves the previous one here. */
  compiled?: CompiledGuide;
  /** Validate against these too (`vm-ig validate --load / --profile`); none in a build. */
  validationRequest?: { extra?: FhirResource[]; profile?: string };
  /**
   * Set by the dev loop when only these page sources (file names in input/pagecontent) changed
   * since the last render of this context: the site stage may re-render just them.
   */
  pagesChanged?: readonly string[];
  /**
   * Set by the dev session: work a stage leaves until the edited page has been reloaded (the
   * search index after a page edit); the session runs it before the next rebuild. Without it,
   * stages do everything before they end.
   */
  afterReload?: AfterReloadWork[];
  validation?: ValidationReport;
  /** The changes since the previous release the configuration names (the diff stage). */
  changes?: DiffReport;
  /** Set by `runStages` while it runs: stages may work on a second thread (a one-off command's run, a dev session's). */
  threads?: boolean;
  /**
   * A dev session's threads, kept loaded for its whole life (the validator's), so each edit finds
   * its validator loaded; a one-off command's stages start a thread per job instead.
   */
  keptThreads?: KeptThreads;
  /** A dev session's context, run again after each edit: the compile keeps SUSHI's state for the next one. */
  session?: boolean;
  /**
   * Set by `runStages` while it runs: resolves when the stages `name` reads late (its `late` in
   * the table) have ended, and sets `buildDiagnostics` to what `name` should see then.
   */
  ready?: (name: 'compile' | 'narrative' | 'diff' | 'validate' | 'package' | 'site') => Promise<void>;
  /** Files the site stage produced, relative to build/site (set by the render stage). */
  sitePages?: string[];
  /** Path of the package tarball, once written. */
  packagePath?: string;
  /** The package tarball's bytes, so later stages (the site's download) need not re-read it. */
  packageBytes?: Uint8Array;
  /**
   * Messages of the configuration and of the stages before the running one, other than
   * validation (whose report is `validation`): compile warnings, package notes. The QA page lists
   * them. Set by the pipeline.
   */
  buildDiagnostics: Diagnostic[];
}

/**
 * Work left for after the reload. It may bring a stage's messages up to date (the site check a
 * render left until then): they replace that stage's, and `pages` have changed since the reload.
 */
export type AfterReloadWork = () => AfterReloadOutcome | Promise<AfterReloadOutcome>;
export type AfterReloadOutcome = void | { stage: 'site'; diagnostics: Diagnostic[]; pages: string[] };

/** One pipeline stage: reads and extends the context, returns what it has to say. */
export type StageRun = (ctx: BuildContext) => Promise<StageOutcome>;

export interface StageOutcome {
  diagnostics: Diagnostic[];
  /** One-line summary for the build log, e.g. `42 resources`. */
  summary: string;
}
