/**
 * The @readme/openapi-parser adapter: validates an OpenAPI description against the OpenAPI
 * specification's schema and rules. Used by the tests (a development dependency): the README
 * says why this library was chosen over @apidevtools/swagger-parser and @redocly/openapi-core.
 */
import { validate } from '@readme/openapi-parser';

/** Problems with the description, as messages ([] = a valid OpenAPI document). */
export async function openApiProblems(doc: Record<string, unknown>): Promise<string[]> {
  // The parser dereferences in place; give it a copy. Its signature wants a document already valid
  // (OpenAPI 2, 3.0 or 3.1): checking that is what it is for, so the unchecked JSON goes in as one.
  const result = await validate(structuredClone(doc) as never);
  return result.valid ? result.warnings.map(w => `warning: ${w.message}`) : result.errors.map(e => e.message);
}
