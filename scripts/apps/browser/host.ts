/**
 * The browser host's validator: the same ValidatorContext as the CLI's, over the page's payload -
 * core definitions through an in-memory source, the guide's resources layered on top as the CLI
 * layers fsh-generated/resources.
 */
import type { FhirResource } from '../../model/resources.ts';
import { isFhirResource, isJsonObject } from '../../fhir/json.ts';
import { Definitions } from '../../lib/validator/definitions.ts';
import { ValidatorContext } from '../../lib/validator/validator.ts';
import { memorySource } from './memory-source.ts';

export interface CheckPayload {
  /** Core definitions the guide and the checked types need (the closure). */
  core: FhirResource[];
  /** The guide's own conformance resources. */
  guide: FhirResource[];
  /** Core canonical URLs not carried: a message naming one may get a different answer from the CLI. */
  omitted: string[];
}

/** The payload the page's definitions script carries (stages/render/check/assets.ts), parsed and checked. */
export function parseCheckPayload(json: string): CheckPayload {
  const value: unknown = JSON.parse(json);
  if (isJsonObject(value)) {
    const { core, guide, omitted } = value;
    if (Array.isArray(core) && core.every(isFhirResource) && Array.isArray(guide) && guide.every(isFhirResource) && Array.isArray(omitted)) {
      if (omitted.every((u): u is string => typeof u === 'string')) return { core, guide, omitted };
    }
  }
  throw new Error("the definitions payload is not the check page's (core and guide resources, omitted URLs)");
}

export function validatorFor(payload: CheckPayload): ValidatorContext {
  return new ValidatorContext(new Definitions(memorySource(payload.core)).overlay(payload.guide));
}
