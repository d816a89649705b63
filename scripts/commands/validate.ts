/**
 * `vm-ig validate [--format text|json] [--profile URL] [--load PATH]... [FILE...]`.
 * No FILE: compile the project and validate everything it produces. With FILEs: validate those
 * (JSON or XML) against the core spec, this guide's compiled definitions and anything loaded.
 * Exit 0: no errors; 1: errors; 2: usage or unreadable input.
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../model/diagnostics.ts';
import { type FhirResource } from '../model/resources.ts';
import { type FileReport } from '../model/validation.ts';
import { loadContext, planStages, runStages } from '../pipeline/sequencer.ts';
import { projectPaths, type PathOptions } from '../project/paths.ts';
import { loadConformance } from '../lib/validator/load.ts';
import { LIMITS } from '../lib/validator/parse.ts';
import { isReadProblem, readRegularFile } from '../project/files.ts';
import { guideValidator } from '../lib/validator/guide.ts';
import { formatText, toJson } from '../lib/validator/outcome.ts';
import { profileIndex, snapshotProblem } from '../lib/validator/profile-index.ts';

export interface ValidateCommandOptions extends PathOptions {
  root: string;
  files: string[];
  format: 'text' | 'json';
  profile?: string;
  load: string[];
  /** Where output goes; console.log by default. */
  print?: (line: string) => void;
}

export async function validateCommand(options: ValidateCommandOptions): Promise<number> {
  const print = options.print ?? ((line: string) => console.log(line));
  const fail = (diagnostics: Diagnostic[]) => {
    for (const d of diagnostics) print(formatDiagnostic(d));
    return 2;
  };
  const paths = projectPaths(options.root, options);
  const loaded = await loadConformance(options.load.map(p => resolve(p)));
  if (loaded.diagnostics.some(d => d.severity === 'error')) return fail(loaded.diagnostics);
  if (options.format === 'text') for (const d of loaded.diagnostics) print(formatDiagnostic(d));
  const outcome =
    options.files.length === 0
      ? await validateProject(options, loaded.resources)
      : await validateFiles(options, paths.packageCache, paths.resources, loaded.resources);
  if ('usage' in outcome) return fail(outcome.usage);
  const reports = outcome.reports;
  if (options.format === 'json') print(JSON.stringify(toJson(reports), null, 2));
  else for (const line of formatText(reports)) print(line);
  if (outcome.unreadable) return 2;
  return reports.some(r => r.diagnostics.some(d => d.severity === 'error')) ? 1 : 0;
}

type Outcome = { reports: FileReport[]; unreadable?: boolean } | { usage: Diagnostic[] };

/**
 * The project's own resources, through the pipeline's stages (compile, narrative, validate): the
 * same report as `vm-ig build`, which this replaces in build/validation.json unless --load or
 * --profile asked for a different one.
 */
async function validateProject(options: ValidateCommandOptions, extra: FhirResource[]): Promise<Outcome> {
  const { ctx, diagnostics } = loadContext(options.root, options);
  if (!ctx) return { reports: [{ file: 'sushi-config.yaml', diagnostics }] };
  const compiled = await runStages(ctx, planStages(['narrative']));
  const errors = [...diagnostics, ...compiled.diagnostics].filter(d => d.severity === 'error');
  if (!ctx.compiled || errors.length > 0) return { reports: [{ file: 'sushi-config.yaml', diagnostics: errors }] };
  const resources = [...ctx.compiled.resources.map(c => c.resource), ...extra];
  const problem = options.profile ? profileProblem(ctx.paths.packageCache, resources, options.profile) : undefined;
  if (problem) return unknownProfile(options.profile!, problem);
  if (extra.length > 0 || options.profile) ctx.validationRequest = { extra, profile: options.profile };
  await runStages(ctx, ['validate']);
  return { reports: ctx.validation?.files ?? [] };
}

async function validateFiles(options: ValidateCommandOptions, packageCache: string, generated: string, extra: FhirResource[]): Promise<Outcome> {
  const guide = existsSync(generated) ? (await loadConformance([generated])).resources : [];
  const resources = [...guide, ...extra];
  const problem = options.profile ? profileProblem(packageCache, resources, options.profile) : undefined;
  if (problem) return unknownProfile(options.profile!, problem);
  const validator = guideValidator(packageCache, resources);
  let unreadable = false;
  const reports = options.files.map(file => {
    const name = relative(options.root, resolve(file)) || file;
    const text = readRegularFile(resolve(file), LIMITS.maxBytes);
    if (isReadProblem(text)) {
      unreadable = true;
      return {
        file: name,
        diagnostics: [{ severity: 'error' as const, rule: text.rule, message: `Cannot read ${file}: ${text.message}`, location: { file: name } }]
      };
    }
    return validator.validateText(text, name, { profiles: options.profile ? [options.profile] : [] });
  });
  return { reports, unreadable };
}

/**
 * Why `--profile url` cannot be used at all (no such StructureDefinition), or undefined. A profile
 * whose snapshot cannot be generated is no reason to stop: each file gets an error naming the
 * profile and the element to blame, and is still validated against its base type, so every run
 * gives an OperationOutcome.
 */
function profileProblem(packageCache: string, resources: FhirResource[], url: string): { rule: string; message: string } | undefined {
  const defs = guideValidator(packageCache, resources).defs;
  if (profileIndex(defs, url) !== undefined || snapshotProblem(defs, url) !== undefined) return undefined;
  return { rule: 'profile-unknown', message: 'no such StructureDefinition in the core package, this guide or --load' };
}

function unknownProfile(url: string, problem: { rule: string; message: string }): Outcome {
  return { usage: [{ severity: 'error', rule: problem.rule, message: `--profile ${url}: ${problem.message}` }] };
}
