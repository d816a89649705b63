/**
 * FHIR package names and versions, as the FHIR NPM package specification has them: a lower-case
 * dotted name (`hl7.fhir.r4.core`) and a semver-like version (`4.0.1`, `1.0.0-ballot`), or the
 * build labels `current` and `dev`. Both become a folder name in a package cache
 * (`<name>#<version>`), so anything else - separators, `.` or `..`, control characters - is refused.
 */
const NAME = /^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9][a-z0-9_-]*)+$/;
const VERSION = /^(?:\d{1,9}\.\d{1,9}(?:\.\d{1,9})?(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?|current|dev)$/;

/** Why `name` is not a FHIR package name, or undefined when it is one. */
export function packageNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return 'has no name';
  if (name.length > 214 || !NAME.test(name))
    return `has the name '${printable(name)}', which is not a FHIR package name (lower-case letters, digits, '-' and '_' in two or more dot-separated parts)`;
  return undefined;
}

/** Why `version` is not a FHIR package version, or undefined when it is one. */
export function packageVersionProblem(version: unknown): string | undefined {
  if (typeof version !== 'string') return 'has no version';
  if (version.length > 64 || !VERSION.test(version))
    return `has the version '${printable(version)}', which is not a FHIR package version (like 1.0.0 or 1.0.0-ballot)`;
  return undefined;
}

/** The cache folder name `<name>#<version>`. */
export function packageLabel(name: string, version: string): string {
  return `${name}#${version}`;
}

function printable(text: string): string {
  const escaped = JSON.stringify(text).slice(1, -1);
  return escaped.length > 80 ? `${escaped.slice(0, 80)}...` : escaped;
}
