/**
 * The browser host's validator: the same ValidatorContext as the CLI's, over the page's payload -
 * core definitions through an in-memory source, the guide's resources layered on top as the CLI
 * layers fsh-generated/resources.
 */
import type { FhirResource } from '../../model/resources.ts';
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

export function validatorFor(payload: CheckPayload): ValidatorContext {
  return new ValidatorContext(new Definitions(memorySource(payload.core)).overlay(payload.guide));
}
