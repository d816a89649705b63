/**
 * What goes into the guide's FHIR package, as a sorted list of files: package.json, every
 * conformance resource and the ImplementationGuide in `package/`, examples in `package/example/`,
 * an `.index.json` (index-version 2) in both folders listing exactly their resources, and the
 * validation report in `package/other/validation-oo.json`, and the OpenAPI description where the IG
 * Publisher puts one, `package/openapi/{CapabilityStatement id}.openapi.json`.
 */
import type { CompiledResource } from '../../model/resources.ts';
import type { ValidationReport } from '../../model/validation.ts';
import type { ProjectConfig } from '../../project/config.ts';
import { indexEntry } from '../../fhir/package-index.ts';
import { packageManifest, type PackageManifest } from './manifest.ts';
import { validationOutcome } from './validation-oo.ts';
import { fhirJson } from '../../fhir/json.ts';

export interface PackageFile {
  /** Path inside the tarball, e.g. `package/example/Observation-x.json`. */
  path: string;
  text: string;
}

export interface PackageInput {
  config: ProjectConfig;
  resources: readonly CompiledResource[];
  implementationGuide?: CompiledResource;
  validation?: ValidationReport;
  /** The guide's OpenAPI description, when it has one. */
  openApi?: { fileName: string; text: string };
}

export function packageContents(input: PackageInput): { files: PackageFile[]; manifest: PackageManifest } {
  const manifest = packageManifest(input.config, input.implementationGuide?.resource);
  const definitions = input.resources.filter(r => !isExample(r));
  if (input.implementationGuide) definitions.push(input.implementationGuide);
  const examples = input.resources.filter(isExample);
  const files: PackageFile[] = [
    { path: 'package/package.json', text: fhirJson(manifest) },
    ...folder('package', definitions),
    ...folder('package/example', examples),
    { path: 'package/other/validation-oo.json', text: fhirJson(validationOutcome(input.validation)) },
    ...(input.openApi ? [{ path: `package/openapi/${input.openApi.fileName}`, text: input.openApi.text }] : [])
  ];
  files.sort((a, b) => compare(a.path, b.path));
  return { files, manifest };
}

/** Instances SUSHI marks `Usage: #example` are examples; definitions and `#definition` instances are not. */
export function isExample(r: CompiledResource): boolean {
  return r.usage === 'example';
}

function folder(dir: string, resources: readonly CompiledResource[]): PackageFile[] {
  const sorted = [...resources].sort((a, b) => compare(a.fileName, b.fileName));
  const files = sorted.map(r => ({ path: `${dir}/${r.fileName}`, text: fhirJson(r.resource) }));
  const index = { 'index-version': 2, files: sorted.map(r => indexEntry(r.fileName, r.resource)) };
  return [{ path: `${dir}/.index.json`, text: fhirJson(index) }, ...files];
}

/** Code-unit order, the same on every machine and locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
