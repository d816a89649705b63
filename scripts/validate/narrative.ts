/**
 * Narrative XHTML: only the elements and attributes FHIR allows (txt-1), no script, event
 * handlers or javascript: URLs, well-formed, in the XHTML namespace, with content (txt-2).
 */
import { clip } from './primitives.ts';
import type { CheckContext, Finding } from './state.ts';

const ELEMENTS = new Set(('a abbr acronym b big blockquote br caption cite code col colgroup dd dfn div dl dt em h1 h2 h3 h4 h5 h6 ' +
  'hr i img li ol p pre q samp small span strong sub sup table tbody td tfoot th thead tr tt ul var').split(' '));
const ATTRIBUTES = new Set(('id class style title lang xml:lang xml:space dir accesskey tabindex href name src alt colspan rowspan span ' +
  'width height border cellpadding cellspacing align valign char charoff abbr axis headers scope summary rules frame ' +
  'type start value cite datetime xmlns shape coords hreflang rel rev').split(' '));
const URL_ATTRIBUTES = new Set(['href', 'src', 'cite']);
const XHTML_NS = 'http://www.w3.org/1999/xhtml';

const TOKEN = /<!--[\s\S]*?-->|<!\[CDATA\[|<!|<\?|<\/?([A-Za-z][\w:.-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)*)\s*(\/?)>|</g;
const ATTRIBUTE = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'))?/g;

export function checkNarrative({ value }: CheckContext): Finding[] {
  return typeof value === 'string' ? narrativeProblems(value).slice(0, 5) : [];
}

export function narrativeProblems(xhtml: string): Finding[] {
  const out: Finding[] = [];
  const unsafe = (message: string) => out.push({ rule: 'narrative-unsafe', message });
  if (!/^\s*<div[\s>]/.test(xhtml)) unsafe('The narrative must be a single XHTML <div> element');
  const stack: string[] = [];
  let text = '';
  let last = 0;
  let first = true;
  for (const m of xhtml.matchAll(TOKEN)) {
    text += xhtml.slice(last, m.index);
    last = m.index! + m[0].length;
    if (m[0].startsWith('<!--')) continue;
    if (!m[1]) { unsafe(`Not allowed in a narrative: '${clip(xhtml.slice(m.index!, m.index! + 20))}'`); continue; }
    const name = m[1].toLowerCase();
    const closing = m[0].startsWith('</');
    if (!ELEMENTS.has(name)) unsafe(`The element <${m[1]}> is not allowed in a FHIR narrative`);
    if (closing) { if (stack.pop() !== name) unsafe(`Not well-formed XHTML: unexpected </${m[1]}>`); continue; }
    checkAttributes(m[2] ?? '', name, first, unsafe);
    first = false;
    if (name === 'img') text += 'img';
    if (!m[3]) stack.push(name);
  }
  text += xhtml.slice(last);
  if (stack.length > 0) unsafe(`Not well-formed XHTML: <${stack[stack.length - 1]}> is not closed`);
  if (text.replace(/&[a-z#0-9]+;/gi, 'x').trim() === '') out.push({ rule: 'txt-2', message: "Constraint failed: txt-2: 'The narrative SHALL have some non-whitespace content'" });
  return out;
}

function checkAttributes(source: string, element: string, isRoot: boolean, unsafe: (m: string) => void): void {
  let namespace: string | undefined;
  for (const a of source.matchAll(ATTRIBUTE)) {
    const name = a[1]!.toLowerCase();
    const value = a[2] ?? a[3] ?? '';
    if (name === 'xmlns') namespace = value;
    if (name.startsWith('on')) unsafe(`Event handler attribute '${a[1]}' on <${element}> is not allowed`);
    else if (!ATTRIBUTES.has(name)) unsafe(`The attribute '${a[1]}' on <${element}> is not allowed in a FHIR narrative`);
    if (URL_ATTRIBUTES.has(name) && /^(javascript|vbscript|data:text\/html)/i.test(value.replace(/[\s\u0000-\u001f]/g, ''))) {
      unsafe(`Unsafe URL '${clip(value, 40)}' in ${a[1]} on <${element}>`);
    }
  }
  if (isRoot && namespace !== XHTML_NS) unsafe(`The narrative <div> must declare xmlns="${XHTML_NS}"`);
}
