/**
 * Validating a compiled guide: every instance against its FSH InstanceOf / meta.profile, every
 * conformance resource against the base spec; references may point at the guide's examples.
 */
import type { CompiledResource, FhirResource } from '../../model/resources.ts';
import type { FileReport, ValidationReport } from '../../model/validation.ts';
import { BASE } from './definitions.ts';
import { ValidatorContext, withLocations } from './validator.ts';
import { loadPackageFolder } from './load.ts';

export interface GuideValidationOptions {
  /** Extra conformance resources (--load). */
  extra?: FhirResource[];
  /** Check every instance against this profile too (--profile). */
  profile?: string;
  /** Reuse a loaded validator (the dev server); its guide resources are replaced. */
  validator?: ValidatorContext;
  /** Unpacked FHIR packages the guide depends on (sushi-config `dependencies`): their definitions are loaded under the guide's. */
  dependencies?: string[];
}

const shared = new Map<string, ValidatorContext>();

/** One loaded validator per package cache, re-layered with this guide's resources. */
export function guideValidator(packageCache: string, resources: FhirResource[], base?: ValidatorContext): ValidatorContext {
  let core = base ?? shared.get(packageCache);
  if (!core) shared.set(packageCache, (core = ValidatorContext.create(packageCache)));
  return core.withResources(resources);
}

export function validateGuide(packageCache: string, compiled: CompiledResource[], options: GuideValidationOptions = {}): ValidationReport {
  const fromPackages = (options.dependencies ?? []).flatMap(dir => loadPackageFolder(dir));
  const resources = [...fromPackages, ...compiled.map(c => c.resource), ...(options.extra ?? [])];
  const validator = guideValidator(packageCache, resources, options.validator);
  const known = new Map<string, FhirResource>();
  for (const c of compiled) if (c.resource.id) known.set(`${c.resource.resourceType}/${c.resource.id}`, c.resource);
  const files = compiled.map(c => validateOne(validator, c, known, options.profile));
  return { files };
}

function validateOne(validator: ValidatorContext, c: CompiledResource, known: Map<string, FhirResource>, profile?: string): FileReport {
  const file = c.predefined ?? `fsh-generated/resources/${c.fileName}`;
  const profiles = [...(c.instanceOf ? [profileUrl(c.instanceOf)] : []), ...(profile ? [profile] : [])];
  const isInstance = c.usage !== undefined;
  const issues = validator.validateResource(withoutSnapshot(c.resource), { profiles, knownResources: known, ownExample: isInstance });
  return { file, resourceType: c.resource.resourceType, id: c.resource.id, profiles, diagnostics: withLocations(issues, file) };
}

/**
 * A compiled profile is validated on its differential and metadata: SUSHI generates the
 * snapshot from them, and checking its hundreds of derived ElementDefinitions took about 90% of a
 * cold validation of this guide while finding nothing an author could fix in FSH. (Files given
 * on the command line are validated whole.)
 */
function withoutSnapshot(resource: FhirResource): FhirResource {
  if (resource.resourceType !== 'StructureDefinition' || !resource.snapshot) return resource;
  const { snapshot: _snapshot, ...rest } = resource;
  void _snapshot;
  return rest;
}

function profileUrl(instanceOf: string): string {
  return instanceOf.includes('/') ? instanceOf : BASE + instanceOf;
}
