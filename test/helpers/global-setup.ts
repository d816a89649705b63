/** Writes the shared FHIR core package cache once, before any test worker needs it. */
import { ensureCorePackage } from '../../scripts/fhir/core-package.ts';
import { SHARED_PACKAGE_CACHE } from './project.ts';

export default function setup(): void {
  ensureCorePackage(SHARED_PACKAGE_CACHE);
}
