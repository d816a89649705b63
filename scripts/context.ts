/** The in-memory model the pipeline stages pass along: each stage reads what earlier ones set. */
import type { CompiledGuide } from './compile/compile.ts';
import type { ProjectConfig } from './project/config.ts';
import type { ProjectPaths } from './project/paths.ts';
import type { Diagnostic, ValidationReport } from './model.ts';

export interface BuildContext {
  paths: ProjectPaths;
  config: ProjectConfig;
  /** Progress and summary lines go here; a no-op by default. */
  log: (line: string) => void;
  compiled?: CompiledGuide;
  validation?: ValidationReport;
  /** Files the site stage produced, relative to build/site (set by the render stage). */
  sitePages?: string[];
  /** Path of the package tarball, once written. */
  packagePath?: string;
  /** The package tarball's bytes, so later stages (the site's download) need not re-read it. */
  packageBytes?: Uint8Array;
  /**
   * Messages of the configuration and the stages run so far other than validation (whose report
   * is `validation`): compile warnings, package notes. The QA page lists them.
   */
  buildDiagnostics?: Diagnostic[];
}

/** One pipeline stage: reads and extends the context, returns what it has to say. */
export type StageRun = (ctx: BuildContext) => Promise<StageOutcome>;

export interface StageOutcome {
  diagnostics: Diagnostic[];
  /** One-line summary for the build log, e.g. `42 resources`. */
  summary: string;
}
