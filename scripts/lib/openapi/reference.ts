/**
 * The API reference page, from the OpenAPI description alone, so it stands on its own: the base URL
 * of each environment, then for each operation its method and path, every header and parameter
 * (the `Authorization: Bearer` header too, with what the token holds, which OpenAPI keeps in the
 * security scheme) with whether it is required, its values and what it is, and each response
 * status with the examples the description carries. `apiReference` reads the description once;
 * the site renders the result as HTML (scripts/stages/render/pages/api-reference.ts) and the IG Publisher
 * gets it as markdown (`apiReferenceMarkdown`). Cell texts are markdown.
 */
import { isJsonObject } from '../../fhir/json.ts';

type Json = Record<string, unknown>;

/** `value` when it is an object, else an empty one (so a missing part reads as having nothing). */
const object = (value: unknown): Json => (isJsonObject(value) ? value : {});

export interface ApiReference {
  intro: string;
  servers: { environment: string; url: string; notes: string }[];
  operations: ApiOperation[];
}

export interface ApiOperation {
  method: string;
  path: string;
  summary: string;
  parameters: { name: string; in: string; required: boolean; values: string; description: string }[];
  responses: { status: string; description: string; examples: string }[];
}

export const PARAMETER_HEADER = ['Name', 'In', 'Required', 'Values', 'What it is'];
export const RESPONSE_HEADER = ['Status', 'Response', 'Examples'];
export const SERVER_HEADER = ['Environment', 'Base URL', 'Notes'];

export function apiReference(doc: Json, fileName: string): ApiReference {
  const components = object(doc.components);
  const params = object(components.parameters);
  const bearer = object(object(components.securitySchemes).bearerJwt);
  const operations: ApiOperation[] = [];
  for (const [path, item] of Object.entries(object(doc.paths))) {
    for (const [method, value] of Object.entries(object(item))) {
      const op = object(value);
      const listed = (Array.isArray(op.parameters) ? op.parameters.filter(isJsonObject) : []).map(p =>
        typeof p.$ref === 'string' ? object(params[p.$ref.split('/').pop()!]) : p
      );
      const parameters = listed.map(p => ({
        name: String(p.name),
        in: String(p.in),
        required: p.required === true,
        values: values(object(p.schema)),
        description: oneLine(String(p.description ?? ''))
      }));
      const secured = Array.isArray(op.security) ? op.security.length > 0 : Array.isArray(doc.security) && doc.security.length > 0;
      if (secured && bearer.scheme === 'bearer') {
        // After the Ssp headers, before the query parameters, as the Using the API page lists them.
        const at = parameters.findIndex(p => p.in !== 'header');
        parameters.splice(at < 0 ? parameters.length : at, 0, authorizationRow(bearer));
      }
      const responses = Object.entries(object(op.responses)).map(([status, value]) => {
        const r = object(value);
        const examples = Object.values(object(object(object(r.content)['application/fhir+json']).examples)).map(e => String(object(e).summary));
        return { status, description: oneLine(String(r.description ?? '')), examples: oneLine(examples.join('; ')) };
      });
      operations.push({ method: method.toUpperCase(), path, summary: String(op.summary ?? ''), parameters, responses });
    }
  }
  const servers = (Array.isArray(doc.servers) ? doc.servers.filter(isJsonObject) : []).map(s => ({
    environment: String(s['x-environment'] ?? ''),
    url: String(s.url),
    notes: oneLine(
      [String(s.description ?? ''), ...Object.entries(object(s.variables)).map(([name, v]) => `\`{${name}}\`: ${String(object(v).description ?? '')}`)].join(
        ' '
      )
    )
  }));
  return {
    intro: `The OpenAPI ${String(doc.openapi)} description of this API is generated from the capability statement, the profiles and the examples: [${fileName}](${fileName}). Load it into an OpenAPI tool to browse it or generate a client.`,
    servers,
    operations
  };
}

/** `Authorization: Bearer <JWT>`, with the claims the token holds and the one error a bad token gets. */
function authorizationRow(bearer: Json): ApiOperation['parameters'][number] {
  const claims = Object.entries(object(bearer['x-jwt-claims'])).map(([claim, holds]) => `\`${claim}\` (${String(holds)})`);
  const error = /HTTP 400 ([A-Z_]+)/.exec(String(bearer.description ?? ''))?.[1];
  return {
    name: 'Authorization',
    in: 'header',
    required: true,
    values: `\`Bearer <${String(bearer.bearerFormat ?? 'token')}>\``,
    description: oneLine(
      `An unsigned ${String(bearer.bearerFormat ?? 'token')}, new for every request, holding: ${claims.join(', ')}.${error ? ` A missing or bad token gets HTTP 400 ${error}.` : ''}`
    )
  };
}

export function apiReferenceMarkdown(ref: ApiReference): string {
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const table = (header: string[], rows: string[][]) => [line(header), line(header.map(() => '---')), ...rows.map(line), ''];
  const out: string[] = [ref.intro, ''];
  if (ref.servers.length > 0) {
    out.push(
      '**Base URLs**',
      '',
      ...table(
        SERVER_HEADER,
        ref.servers.map(s => [s.environment, `\`${s.url}\``, s.notes])
      )
    );
  }
  for (const op of ref.operations) {
    out.push(`**${op.method} ${op.path}**: ${op.summary}`, '');
    out.push(
      ...table(
        PARAMETER_HEADER,
        op.parameters.map(p => [`\`${p.name}\``, p.in, p.required ? 'yes' : 'no', p.values, p.description])
      )
    );
    out.push(
      ...table(
        RESPONSE_HEADER,
        op.responses.map(r => [r.status, r.description, r.examples])
      )
    );
  }
  return out.join('\n');
}

function values(schema: Json): string {
  if (Array.isArray(schema.enum)) return schema.enum.map(v => `\`${String(v)}\``).join(', ');
  if (typeof schema.pattern === 'string') return `matches \`${schema.pattern}\``;
  return String(schema.format ?? schema.type ?? '');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** One table cell: no line breaks, pipes escaped. */
function cell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}
