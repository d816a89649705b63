/**
 * The validate stage in the build cache: a report is reused when the compiled guide (as the
 * narrative stage left it), the FHIR packages and the toolchain are those it was made from. The
 * report is put back with build/validation.json (rewritten when it is missing or differs). A run
 * with extra definitions or a profile (`vm-ig validate --load / --profile`) is never cached.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildContext } from '../../pipeline/context.ts';
import type { ValidationReport } from '../../model/validation.ts';
import { validationKey } from '../../pipeline/stage-keys.ts';
import type { StageCache } from '../../pipeline/stage-cache.ts';
import { writeFileAtomic } from '../../util/atomic.ts';
import { fhirJson, isJsonObject } from '../../fhir/json.ts';
import { toBundle } from '../../lib/validator/outcome.ts';

export const validateCache: StageCache = {
  key: validationKey,
  save: ctx => ctx.validation,
  restore: (ctx, saved) => {
    if (!isReport(saved)) return false;
    ctx.validation = saved;
    writeReportIfChanged(ctx, saved);
    return true;
  }
};

/** build/validation.json: the report as a FHIR Bundle of OperationOutcomes (temp file + rename). */
export function writeReport(path: string, report: ValidationReport): void {
  writeFileAtomic(path, reportText(report));
}

function reportText(report: ValidationReport): string {
  return fhirJson(toBundle(report.files));
}

function writeReportIfChanged(ctx: BuildContext, report: ValidationReport): void {
  const path = join(ctx.paths.build, 'validation.json');
  const text = reportText(report);
  if (!existsSync(path) || readFileSync(path, 'utf8') !== text) writeFileAtomic(path, text);
}

function isReport(value: unknown): value is ValidationReport {
  const files = isJsonObject(value) ? value.files : undefined;
  return Array.isArray(files) && files.every((f: unknown) => isJsonObject(f) && typeof f.file === 'string' && Array.isArray(f.diagnostics));
}
