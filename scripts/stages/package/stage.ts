/**
 * The package stage: writes build/package.tgz, the guide's FHIR NPM package, from the compiled
 * guide and the validation report held in the context (nothing is re-read from disk). Also
 * writes the generated-table includes the HL7 IG Publisher needs into fsh-generated/includes/.
 */
import { join, relative } from 'node:path';
import type { StageRun } from '../../pipeline/context.ts';
import type { Diagnostic } from '../../model/diagnostics.ts';
import type { PackageFile } from './contents.ts';
import { writePublisherIncludes } from '../../lib/publisher/includes.ts';
import { writePackage } from './write.ts';
import { guideOpenApi } from '../../lib/openapi/guide.ts';

export const packageStage: StageRun = async ctx => {
  const compiled = ctx.compiled;
  if (!compiled) throw new Error('package stage: nothing compiled (the compile stage must run first)');
  const diagnostics: Diagnostic[] = [];
  if (!ctx.config.date) diagnostics.push(noDateWarning());
  if (!compiled.implementationGuide) diagnostics.push(noGuideWarning());
  const openApi = guideOpenApi(compiled.resources);
  diagnostics.push(...openApi.diagnostics);
  const target = join(ctx.paths.build, 'package.tgz');
  const packed = writePackage(
    {
      config: ctx.config,
      resources: compiled.resources,
      implementationGuide: compiled.implementationGuide,
      validation: ctx.validation,
      openApi: openApi.openApi
    },
    target
  );
  ctx.packagePath = target;
  ctx.packageBytes = packed.bytes;
  writePublisherIncludes(ctx.paths.fshGenerated, compiled.resources, openApi.openApi?.reference);
  const where = relative(ctx.paths.root, target);
  return { diagnostics, summary: `${where} (${packed.manifest.name}#${packed.manifest.version}): ${contentsByType(packed.files)}` };
};

/** `12 StructureDefinition, 3 ValueSet, ...; 4 examples`: the package's contents by resource type. */
export function contentsByType(files: readonly PackageFile[]): string {
  const counts = new Map<string, number>();
  let examples = 0;
  for (const f of files) {
    const m = /^package\/(example\/)?([A-Za-z]+)-[^/]+\.json$/.exec(f.path);
    if (!m) continue;
    if (m[1]) examples++;
    else counts.set(m[2]!, (counts.get(m[2]!) ?? 0) + 1);
  }
  const parts = [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([type, n]) => `${n} ${type}`);
  return `${parts.join(', ') || 'no definitions'}; ${examples} example${examples === 1 ? '' : 's'}`;
}

function noDateWarning(): Diagnostic {
  return {
    severity: 'warning',
    rule: 'package-no-date',
    message: "sushi-config.yaml declares no 'date': the package has no date and its files carry the epoch as mtime",
    location: { file: 'sushi-config.yaml' }
  };
}

function noGuideWarning(): Diagnostic {
  return {
    severity: 'warning',
    rule: 'package-no-ig',
    message: 'no ImplementationGuide resource was compiled (FSHOnly?): the package holds the resources only',
    location: { file: 'sushi-config.yaml' }
  };
}
