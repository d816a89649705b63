/**
 * The limits on every JSON and XML document the toolchain reads (`vm-ig validate`, the check page,
 * predefined resources, `--load`): a size, a nesting depth and a number of values. The depth is
 * measured on the text, without recursion and before any parser (several recurse once per level,
 * so a document nested thousands of levels deep would overflow the stack).
 */

/** Per document: bytes, nesting depth (FHIR resources are never deeper than about 20), values. */
export const INPUT_LIMITS = { maxBytes: 32 * 1024 * 1024, maxDepth: 100, maxNodes: 1_000_000 };

/** How deeply the JSON text nests objects and arrays, counting stops just past `stop`. Linear, no recursion. */
export function jsonTextDepth(text: string, stop = INPUT_LIMITS.maxDepth): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: skip to its closing quote (an escaped quote does not close it).
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c) i++;
        else if (s === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > stop) return deepest;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/**
 * How deeply the XML text nests elements, counting stops just past `stop`: opening tags minus
 * closing ones, comments, CDATA sections, processing instructions and declarations skipped. Linear.
 */
export function xmlTextDepth(text: string, stop = INPUT_LIMITS.maxDepth): number {
  let depth = 0;
  let deepest = 0;
  let i = text.indexOf('<');
  while (i !== -1 && i < text.length) {
    const next = text.charCodeAt(i + 1);
    let end: number;
    if (text.startsWith('<!--', i)) end = closeOf(text, '-->', i + 4);
    else if (text.startsWith('<![CDATA[', i)) end = closeOf(text, ']]>', i + 9);
    else if (next === 0x3f /* ? */ || next === 0x21 /* ! */) end = closeOf(text, '>', i + 2);
    else {
      end = closeOf(text, '>', i + 1);
      if (next === 0x2f /* / */) depth--;
      else if (text.charCodeAt(end - 2) !== 0x2f && ++depth > deepest) {
        deepest = depth;
        if (deepest > stop) return deepest;
      }
    }
    i = text.indexOf('<', end);
  }
  return deepest;
}

function closeOf(text: string, close: string, from: number): number {
  const at = text.indexOf(close, from);
  return at === -1 ? text.length : at + close.length;
}

/** A DOCTYPE (or an entity declaration) in XML: never read, as FHIR XML forbids them (entities can expand or reach files). */
export function hasDoctype(xml: string): boolean {
  return /<!(?:DOCTYPE|ENTITY)/i.test(xml);
}

/** The problem with a JSON or XML document's size or depth, or undefined: one message for every reader. */
export function documentLimitProblem(text: string, format: 'json' | 'xml', bytes = text.length): string | undefined {
  if (bytes > INPUT_LIMITS.maxBytes) return `the file is ${(bytes / 1048576).toFixed(1)} MB; documents are read up to ${INPUT_LIMITS.maxBytes / 1048576} MB`;
  const depth = format === 'json' ? jsonTextDepth(text) : xmlTextDepth(text);
  if (depth > INPUT_LIMITS.maxDepth) return `the document is nested more than ${INPUT_LIMITS.maxDepth} levels deep; FHIR resources are never that deep`;
  return undefined;
}
