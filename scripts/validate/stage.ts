/**
 * The validate stage: every compiled instance and conformance resource, against its profiles
 * and the base spec. Sets ctx.validation and writes build/validation.json (temp file + rename).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StageRun } from '../context.ts';
import { countBySeverity, type ValidationReport } from '../model.ts';
import { validateGuide } from './guide.ts';
import { toBundle } from './outcome.ts';

export const validateStage: StageRun | undefined = async ctx => {
  const compiled = ctx.compiled?.resources ?? [];
  const all = ctx.compiled?.implementationGuide ? [...compiled, ctx.compiled.implementationGuide] : compiled;
  const report = validateGuide(ctx.paths.packageCache, all);
  ctx.validation = report;
  writeReport(join(ctx.paths.build, 'validation.json'), report);
  const diagnostics = report.files.flatMap(f => f.diagnostics);
  const c = countBySeverity(diagnostics);
  return { diagnostics, summary: `${report.files.length} resources, ${c.error} errors` };
};

export function writeReport(path: string, report: ValidationReport): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, `${JSON.stringify(toBundle(report.files), null, 2)}\n`);
  renameSync(temp, path);
}
