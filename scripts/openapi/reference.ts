/**
 * The API reference page, as markdown, from the OpenAPI description: for each operation its
 * method and path, the headers and parameters with whether they are required, and each response
 * status with the examples the description carries. The site renders it with the sanitised
 * markdown adapter; the IG Publisher gets the same text as an include.
 */
import { isJsonObject } from '../fhir/json.ts';

type Json = Record<string, unknown>;

/** `value` when it is an object, else an empty one (so a missing part reads as having nothing). */
const object = (value: unknown): Json => (isJsonObject(value) ? value : {});

export function apiReferenceMarkdown(doc: Json, fileName: string): string {
  const out: string[] = [
    `The OpenAPI ${String(doc.openapi)} description of this API is generated from the capability statement, the profiles and the examples: [${fileName}](${fileName}). Load it into an OpenAPI tool to browse it or generate a client.`,
    ''
  ];
  const params = object(object(doc.components).parameters);
  for (const [path, item] of Object.entries(object(doc.paths))) {
    for (const [method, value] of Object.entries(object(item))) {
      const op = object(value);
      out.push(`**${method.toUpperCase()} ${path}**: ${String(op.summary ?? '')}`, '');
      out.push('| Name | In | Required | Values |', '|---|---|---|---|');
      const parameters = Array.isArray(op.parameters) ? op.parameters.filter(isJsonObject) : [];
      for (const p of parameters.map(p => (typeof p.$ref === 'string' ? object(params[p.$ref.split('/').pop()!]) : p))) {
        out.push(`| \`${String(p.name)}\` | ${String(p.in)} | ${p.required ? 'yes' : 'no'} | ${cell(values(object(p.schema)))} |`);
      }
      out.push('', '| Status | Response | Examples |', '|---|---|---|');
      for (const [status, value] of Object.entries(object(op.responses))) {
        const r = object(value);
        const examples = Object.values(object(object(object(r.content)['application/fhir+json']).examples)).map(e => String(object(e).summary));
        out.push(`| ${status} | ${cell(String(r.description))} | ${cell(examples.join('; '))} |`);
      }
      out.push('');
    }
  }
  return out.join('\n');
}

function values(schema: Json): string {
  if (Array.isArray(schema.enum)) return schema.enum.map(v => `\`${String(v)}\``).join(', ');
  if (typeof schema.pattern === 'string') return `matches \`${schema.pattern}\``;
  return String(schema.format ?? schema.type ?? '');
}

function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}
