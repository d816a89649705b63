/**
 * `package/package.json` of the guide's FHIR NPM package (https://hl7.org/fhir/packages.html),
 * made from sushi-config.yaml and the compiled ImplementationGuide. Nothing here reads the clock:
 * the package date is the guide's declared `date:`.
 */
import { CORE_PACKAGE } from '../../fhir/core-package.ts';
import type { FhirResource } from '../../model/resources.ts';
import type { ProjectConfig } from '../../project/config.ts';
import { isJsonObject } from '../../fhir/json.ts';
import { resourceOf } from '../../fhir/r4.ts';

export interface PackageManifest {
  name: string;
  version: string;
  type: 'IG';
  date?: string;
  license?: string;
  canonical: string;
  url: string;
  title: string;
  description: string;
  fhirVersions: string[];
  dependencies: Record<string, string>;
  author?: string;
  maintainers?: { name: string; email?: string; url?: string }[];
  directories: { lib: string; example: string };
  jurisdiction?: string;
}

export function packageManifest(config: ProjectConfig, ig?: FhirResource): PackageManifest {
  const date = config.date === undefined ? undefined : fhirPackageDate(config.date);
  const manifest: PackageManifest = {
    name: packageName(config),
    version: config.version,
    type: 'IG',
    date,
    license: config.license,
    canonical: config.canonical,
    url: config.canonical,
    title: config.title,
    description: config.description,
    fhirVersions: [config.fhirVersion],
    dependencies: packageDependencies(config),
    author: config.publisher,
    maintainers: maintainers(config.raw.publisher),
    directories: { lib: 'package', example: 'example' },
    jurisdiction: jurisdiction(ig, config.raw.jurisdiction)
  };
  return dropUndefined(manifest);
}

/** SUSHI names the package by `packageId` when given, else by the IG `id`. */
export function packageName(config: ProjectConfig): string {
  const packageId = config.raw.packageId;
  return typeof packageId === 'string' && packageId ? packageId : config.id;
}

/** The core package first, then sushi-config dependencies in the order declared. */
function packageDependencies(config: ProjectConfig): Record<string, string> {
  const deps: Record<string, string> = { [CORE_PACKAGE.name]: CORE_PACKAGE.version };
  for (const dep of config.dependencies) deps[dep.packageId] = dep.version;
  return deps;
}

/**
 * FHIR package dates are `YYYYMMDDHHmmss`. A declared `2026-11-21` becomes `20261121000000`;
 * a dateTime keeps its own clock time (the offset is ignored); missing parts are padded.
 */
export function fhirPackageDate(declared: string): string {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?)?)?/.exec(declared.trim());
  if (!m) throw new Error(`not a FHIR date: ${declared}`);
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00'] = m;
  return `${y}${mo}${d}${h}${mi}${s}`;
}

/** Seconds since the epoch for a `YYYYMMDDHHmmss` package date, read as UTC. */
export function packageDateSeconds(packageDate: string): number {
  const part = (from: number, to: number) => Number(packageDate.slice(from, to));
  return Date.UTC(part(0, 4), part(4, 6) - 1, part(6, 8), part(8, 10), part(10, 12), part(12, 14)) / 1000;
}

function maintainers(publisher: unknown): PackageManifest['maintainers'] {
  if (!isJsonObject(publisher)) return undefined;
  const p = publisher;
  if (typeof p.name !== 'string') return undefined;
  const email = typeof p.email === 'string' ? p.email : undefined;
  const url = typeof p.url === 'string' ? p.url : undefined;
  return [dropUndefined({ name: p.name, email, url })];
}

/** `system#code` of the first jurisdiction: from the compiled IG, else the FSH-style config value. */
function jurisdiction(ig: FhirResource | undefined, raw: unknown): string | undefined {
  const coding = resourceOf(ig, 'ImplementationGuide')?.jurisdiction?.[0]?.coding?.[0];
  if (coding?.system && coding.code) return `${coding.system}#${coding.code}`;
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (typeof first !== 'string') return undefined;
  return first.split(/\s+/)[0] || undefined;
}

/** A copy without the properties that are undefined (optional ones, which the package.json leaves out). */
function dropUndefined<T extends object>(value: T): T {
  const out = { ...value };
  for (const key of Object.keys(out)) if (Reflect.get(out, key) === undefined) Reflect.deleteProperty(out, key);
  return out;
}
