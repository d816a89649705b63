/** Shared by the validator tests: one loaded validator, and short ways to ask it things. */
import { SHARED_PACKAGE_CACHE } from '../helpers/project.ts';
import { ValidatorContext } from '../../scripts/lib/validator/validator.ts';
import type { FhirResource } from '../../scripts/model/resources.ts';
import type { ResourceOptions } from '../../scripts/lib/validator/validator.ts';

let shared: ValidatorContext | undefined;

export function validator(extra: FhirResource[] = []): ValidatorContext {
  shared ??= ValidatorContext.create(SHARED_PACKAGE_CACHE);
  return extra.length ? shared.withResources(extra) : shared;
}

/** `severity rule expression` for every issue that is not information. */
export function issues(resource: unknown, options: ResourceOptions = {}, extra: FhirResource[] = []): string[] {
  return validator(extra)
    .validateResource(resource, options)
    .filter(i => i.severity !== 'information')
    .map(i => `${i.severity} ${i.rule} ${i.location?.expression ?? ''}`);
}

export function errors(resource: unknown, options: ResourceOptions = {}, extra: FhirResource[] = []): string[] {
  return issues(resource, options, extra).filter(i => i.startsWith('error'));
}

export const DIV = (text: string) => `<div xmlns="http://www.w3.org/1999/xhtml"><p>${text}</p></div>`;

export function patient(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { resourceType: 'Patient', id: 'p', text: { status: 'generated', div: DIV('p') }, active: true, ...extra };
}

export function observation(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { resourceType: 'Observation', id: 'o', text: { status: 'generated', div: DIV('o') }, status: 'final', code: { text: 'x' }, ...extra };
}

/** A small constraint profile of Patient (id `p`) with these differential elements after the root, for StructureDefinition checks. */
export function patientProfile(elements: Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'StructureDefinition',
    id: 'p',
    text: { status: 'generated', div: DIV('p') },
    url: 'http://example.org/StructureDefinition/p',
    name: 'P',
    status: 'draft',
    kind: 'resource',
    abstract: false,
    type: 'Patient',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient',
    derivation: 'constraint',
    differential: { element: [{ id: 'Patient', path: 'Patient' }, ...elements] },
    ...extra
  };
}
