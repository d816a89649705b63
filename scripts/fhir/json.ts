/** FHIR JSON as every output writes it (fsh-generated, the package, the site, reports): two-space indent, final newline, as SUSHI writes it. */
export function fhirJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
