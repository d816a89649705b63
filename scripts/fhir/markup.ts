/**
 * The escapers for text placed in markup, written once: HTML pages (the site, the dev server's
 * fallback pages), XML text (narratives, the sitemap) and XML attributes (the FHIR XML writer,
 * which must match FHIR.js byte for byte).
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;', '=': '&#61;' };

/** Text safe in HTML content and in quoted or unquoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`=]/g, c => HTML_ESCAPES[c]!);
}

/** Text safe in XML content (and in double-quoted attributes). */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An XML attribute value that keeps its line breaks through attribute-value normalisation. */
export function escapeXmlAttribute(text: string): string {
  return escapeXml(text).replace(/\r/g, '&#xD;').replace(/\n/g, '&#xA;');
}
