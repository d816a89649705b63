/**
 * `vm-ig validate [--format text|json] [--profile URL] [--load PATH]... [FILE...]`.
 * No FILE: compile the project and validate everything it produces. With FILEs: validate those
 * (JSON or XML) against the core spec, this guide's compiled definitions and anything loaded.
 * Exit 0: no errors; 1: errors; 2: usage or unreadable input.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { formatDiagnostic, type Diagnostic, type FileReport } from '../model.ts';
import { runPipeline } from '../pipeline.ts';
import { projectPaths } from '../project/paths.ts';
import { loadConformance } from './load.ts';
import { guideValidator, validateGuide } from './guide.ts';
import { formatText, toJson } from './outcome.ts';
import { writeReport } from './stage.ts';
import { profileIndex } from './profile-index.ts';

export interface ValidateCommandOptions {
  root: string;
  files: string[];
  format: 'text' | 'json';
  profile?: string;
  load: string[];
  /** Where output goes; console.log by default. */
  print?: (line: string) => void;
}

export const validateCommand: ((options: ValidateCommandOptions) => Promise<number>) | undefined = async options => {
  const print = options.print ?? ((line: string) => console.log(line));
  const fail = (diagnostics: Diagnostic[]) => {
    for (const d of diagnostics) print(formatDiagnostic(d));
    return 2;
  };
  const paths = projectPaths(options.root);
  const loaded = await loadConformance(options.load.map(p => resolve(p)));
  if (loaded.diagnostics.some(d => d.severity === 'error')) return fail(loaded.diagnostics);
  if (options.format === 'text') for (const d of loaded.diagnostics) print(formatDiagnostic(d));
  const outcome = options.files.length === 0 ? await validateProject(options, loaded.resources) : await validateFiles(options, paths.packageCache, paths.resources, loaded.resources);
  if ('usage' in outcome) return fail(outcome.usage);
  const reports = outcome.reports;
  if (options.format === 'json') print(JSON.stringify(toJson(reports), null, 2));
  else for (const line of formatText(reports)) print(line);
  if (outcome.unreadable) return 2;
  return reports.some(r => r.diagnostics.some(d => d.severity === 'error')) ? 1 : 0;
};

type Outcome = { reports: FileReport[]; unreadable?: boolean } | { usage: Diagnostic[] };

async function validateProject(options: ValidateCommandOptions, extra: import('../model.ts').FhirResource[]): Promise<Outcome> {
  const result = await runPipeline(options.root, ['compile']);
  const ctx = result.ctx;
  const errors = result.diagnostics.filter(d => d.severity === 'error');
  if (!ctx?.compiled || errors.length > 0) return { reports: [{ file: 'sushi-config.yaml', diagnostics: errors.length ? errors : result.diagnostics }] };
  const compiled = ctx.compiled.resources;
  if (options.profile && !profileKnown(ctx.paths.packageCache, [...compiled.map(c => c.resource), ...extra], options.profile)) return unknownProfile(options.profile);
  const report = validateGuide(ctx.paths.packageCache, compiled, { extra, profile: options.profile });
  ctx.validation = report;
  writeReport(resolve(ctx.paths.build, 'validation.json'), report);
  return { reports: report.files };
}

async function validateFiles(options: ValidateCommandOptions, packageCache: string, generated: string, extra: import('../model.ts').FhirResource[]): Promise<Outcome> {
  const guide = existsSync(generated) ? (await loadConformance([generated])).resources : [];
  const resources = [...guide, ...extra];
  if (options.profile && !profileKnown(packageCache, resources, options.profile)) return unknownProfile(options.profile);
  const validator = guideValidator(packageCache, resources);
  let unreadable = false;
  const reports = options.files.map(file => {
    const name = relative(options.root, resolve(file)) || file;
    let text: Buffer;
    try {
      text = readFileSync(resolve(file));
    } catch (e) {
      unreadable = true;
      return { file: name, diagnostics: [{ severity: 'error' as const, rule: 'file-unreadable', message: `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, location: { file: name } }] };
    }
    return validator.validateText(text, name, { profiles: options.profile ? [options.profile] : [] });
  });
  return { reports, unreadable };
}

function profileKnown(packageCache: string, resources: import('../model.ts').FhirResource[], url: string): boolean {
  return profileIndex(guideValidator(packageCache, resources).defs, url) !== undefined;
}

function unknownProfile(url: string): Outcome {
  return { usage: [{ severity: 'error', rule: 'profile-unknown', message: `--profile ${url}: no such StructureDefinition in the core package, this guide or --load` }] };
}
