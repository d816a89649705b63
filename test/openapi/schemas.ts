/**
 * Checks a response body against the OpenAPI description's response schema for its path, status
 * and media type, with ajv (OpenAPI 3.0 Schema Objects are JSON Schema for what we generate).
 */
import { Ajv, type ValidateFunction } from 'ajv';

type Json = Record<string, unknown>;

export class ResponseSchemas {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly doc: Json) {
    // Formats (uuid) appear only in header parameters, never in response schemas.
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    this.ajv.addSchema({ $id: 'openapi', components: doc.components }, 'openapi');
  }

  /** Problems of `body` against the schema of `path` `status` in application/fhir+json ([] = matches). */
  problems(path: string, status: number, body: unknown): string[] {
    const responses = ((this.doc.paths as Json)[path] as Json | undefined)?.get as Json | undefined;
    const response = (responses?.responses as Json | undefined)?.[String(status)] as Json | undefined;
    if (!response) return [`the description has no ${status} response for GET ${path}`];
    const schema = ((response.content as Json)['application/fhir+json'] as Json).schema as Json;
    const key = `${path} ${status}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      const ref = typeof schema.$ref === 'string' ? `openapi${schema.$ref}` : undefined;
      validate = ref ? this.ajv.getSchema(ref)! : this.ajv.compile(schema);
      this.compiled.set(key, validate);
    }
    return validate(body) ? [] : (validate.errors ?? []).map(e => `${e.instancePath} ${e.message}`);
  }

  /** Every JSON example of every response, with where it is. */
  examples(): { path: string; status: number; name: string; value: unknown }[] {
    const out: { path: string; status: number; name: string; value: unknown }[] = [];
    for (const [path, item] of Object.entries(this.doc.paths as Record<string, Json>)) {
      for (const [status, r] of Object.entries(((item.get as Json).responses ?? {}) as Record<string, Json>)) {
        const examples = (((r.content as Json)['application/fhir+json'] as Json).examples ?? {}) as Record<string, Json>;
        for (const [name, e] of Object.entries(examples)) out.push({ path, status: Number(status), name, value: e.value });
      }
    }
    return out;
  }
}
