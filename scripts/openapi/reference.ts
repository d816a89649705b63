/**
 * The API reference page, as markdown, from the OpenAPI description: for each operation its
 * method and path, the headers and parameters with whether they are required, and each response
 * status with the examples the description carries. The site renders it with the sanitised
 * markdown adapter; the IG Publisher gets the same text as an include.
 */
type Json = Record<string, unknown>;

export function apiReferenceMarkdown(doc: Json, fileName: string): string {
  const out: string[] = [
    `The OpenAPI ${String(doc.openapi)} description of this API is generated from the capability statement, the profiles and the examples: [${fileName}](${fileName}). Load it into an OpenAPI tool to browse it or generate a client.`,
    ''
  ];
  const params = ((doc.components as Json).parameters ?? {}) as Record<string, Json>;
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(item)) {
      out.push(`**${method.toUpperCase()} ${path}**: ${String(op.summary ?? '')}`, '');
      out.push('| Name | In | Required | Values |', '|---|---|---|---|');
      for (const p of (op.parameters as Json[]).map(p => (typeof p.$ref === 'string' ? params[p.$ref.split('/').pop()!]! : p))) {
        out.push(`| \`${String(p.name)}\` | ${String(p.in)} | ${p.required ? 'yes' : 'no'} | ${cell(values(p.schema as Json))} |`);
      }
      out.push('', '| Status | Response | Examples |', '|---|---|---|');
      for (const [status, r] of Object.entries(op.responses as Record<string, Json>)) {
        const examples = Object.values((((r.content as Json)['application/fhir+json'] as Json | undefined)?.examples ?? {}) as Record<string, Json>).map(e =>
          String(e.summary)
        );
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
