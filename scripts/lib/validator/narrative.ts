/**
 * Narrative XHTML: only the elements and attributes FHIR allows (txt-1), no script, event
 * handlers or javascript: URLs, well-formed, in the XHTML namespace, with content (txt-2).
 * The allow-lists hold at least every element and attribute the HL7 Java validator accepts
 * (XhtmlValidator's HTML_ELEMENTS, HTML_ATTRIBUTES and HTML_COMBO_LIST, any xmlns*), so
 * nothing Java passes is an error here.
 */
import { clip } from './primitives.ts';
import { isObject, type CheckContext, type Finding } from './state.ts';

const ELEMENTS = new Set(
  (
    'a abbr acronym address area b bdo big blockquote br caption cite code col colgroup dd dfn div dl dt em h1 h2 h3 h4 h5 h6 ' +
    'hr i img kbd li map ol p pre q samp small span strong sub sup table tbody td tfoot th thead tr tt ul var'
  ).split(' ')
);
const ATTRIBUTES = new Set(
  (
    'id class style title lang xml:lang xml:space dir accesskey tabindex href name src alt colspan rowspan span ' +
    'width height border cellpadding cellspacing align valign char charoff abbr axis headers scope summary rules frame ' +
    'type start value cite datetime xmlns shape coords hreflang rel rev charset longdesc usemap ismap nohref nowrap space'
  ).split(' ')
);
const URL_ATTRIBUTES = new Set(['href', 'src', 'cite']);
const XHTML_NS = 'http://www.w3.org/1999/xhtml';

// Neither pattern can run past the next '<' (it is excluded from names and values, as XML
// requires), so scanning from each '<' costs at most the text up to the next one: linear overall.
const TAG = /<\/?([A-Za-z][\w:.-]*)((?:\s+[^\s=/<>"']+(?:\s*=\s*(?:"[^"<]*"|'[^'<]*'))?)*)\s*(\/?)>/y;
const ATTRIBUTE = /([^\s=/<>"']+)(?:\s*=\s*(?:"([^"<]*)"|'([^'<]*)'))?/g;

const MAX_PROBLEMS = 20;

export function checkNarrative({ value }: CheckContext): Finding[] {
  return typeof value === 'string' ? narrativeProblems(value).slice(0, 5) : [];
}

export function narrativeProblems(xhtml: string): Finding[] {
  const out: Finding[] = [];
  // Only the first few are reported; collecting more would only cost memory on hostile input.
  const unsafe = (message: string) => void (out.length < MAX_PROBLEMS && out.push({ rule: 'narrative-unsafe', message }));
  if (!/^\s*<div[\s>]/.test(xhtml)) unsafe('The narrative must be a single XHTML <div> element');
  const stack: string[] = [];
  // txt-2: some text (an entity counts) or an image; checked per stretch of text until found.
  let content = false;
  const addText = (from: number, to: number) => {
    if (!content && xhtml.slice(from, to).trim() !== '') content = true;
  };
  let first = true;
  let at = 0;
  for (let lt = xhtml.indexOf('<'); lt !== -1; lt = xhtml.indexOf('<', at)) {
    addText(at, lt);
    if (xhtml.startsWith('<!--', lt)) {
      const end = xhtml.indexOf('-->', lt + 4);
      if (end === -1) {
        unsafe('Not well-formed XHTML: a comment is not closed');
        at = xhtml.length;
        break;
      }
      at = end + 3;
      continue;
    }
    TAG.lastIndex = lt;
    const m = TAG.exec(xhtml);
    if (!m) {
      unsafe(`Not allowed in a narrative: '${clip(xhtml.slice(lt, lt + 20))}'`);
      at = lt + 1;
      continue;
    }
    at = lt + m[0].length;
    const name = m[1]!.toLowerCase();
    const closing = m[0].startsWith('</');
    if (!ELEMENTS.has(name)) unsafe(`The element <${m[1]}> is not allowed in a FHIR narrative`);
    if (closing) {
      if (stack.pop() !== name) unsafe(`Not well-formed XHTML: unexpected </${m[1]}>`);
      continue;
    }
    checkAttributes(m[2] ?? '', name, first, unsafe);
    first = false;
    if (name === 'img') content = true;
    if (!m[3]) stack.push(name);
  }
  addText(at, xhtml.length);
  checkEntities(xhtml, unsafe);
  if (stack.length > 0) unsafe(`Not well-formed XHTML: <${stack[stack.length - 1]}> is not closed`);
  if (!content) out.push({ rule: 'txt-2', message: "Constraint failed: txt-2: 'The narrative SHALL have some non-whitespace content'" });
  return out;
}

function checkAttributes(source: string, element: string, isRoot: boolean, unsafe: (m: string) => void): void {
  let namespace: string | undefined;
  for (const a of source.matchAll(ATTRIBUTE)) {
    const name = a[1]!.toLowerCase();
    const value = a[2] ?? a[3] ?? '';
    if (name === 'xmlns') namespace = value;
    if (name.startsWith('on')) unsafe(`Event handler attribute '${a[1]}' on <${element}> is not allowed`);
    else if (!ATTRIBUTES.has(name) && !name.startsWith('xmlns')) unsafe(`The attribute '${a[1]}' on <${element}> is not allowed in a FHIR narrative`);
    if (URL_ATTRIBUTES.has(name) && /^(javascript|vbscript|data:text\/html)/i.test(value.replace(/[\s\u0000-\u001f]/g, ''))) {
      unsafe(`Unsafe URL '${clip(value, 40)}' in ${a[1]} on <${element}>`);
    }
  }
  if (isRoot && namespace !== XHTML_NS) unsafe(`The narrative <div> must declare xmlns="${XHTML_NS}"`);
}

const XML_ENTITIES = new Set(['lt', 'gt', 'amp', 'quot', 'apos']);

/**
 * Narrative is XML: only the five XML entities are defined, so an HTML named entity such as
 * `&nbsp;` makes it malformed (the Java validator's XhtmlParser rejects it; a numeric reference
 * such as `&#160;` is the way to write one).
 */
function checkEntities(xhtml: string, unsafe: (m: string) => void): void {
  if (!xhtml.includes('&')) return;
  for (const m of xhtml.matchAll(/&([A-Za-z][A-Za-z0-9]{0,31});/g)) {
    if (!XML_ENTITIES.has(m[1]!)) unsafe(`Malformed XHTML: the HTML entity '&${m[1]};' is not defined in XML (use a numeric reference such as &#160;)`);
  }
}

/**
 * A resource's language and its narrative's, as Java's InstanceValidator.validateResourceRules (all
 * warnings, at the resource's path, on the div's line): a resource with a language wants both `lang` and `xml:lang` on the
 * narrative div (LANGUAGE_XHTML_LANG_MISSING1/2/3), each equal to it (LANGUAGE_XHTML_LANG_DIFFERENT1/2).
 * A div with neither whose content is all in language divs (children with `xml:lang`, Java's
 * allChildrenAreLangDivs) is judged by its first language div instead.
 */
export function checkNarrativeLanguage({ value, loc }: CheckContext): Finding[] {
  if (!isObject(value) || !isObject(value.text)) return [];
  const lang = value.language;
  const div = value.text.div;
  // Java reads getNamedChildValue("language"): an empty string is no language.
  if (typeof lang !== 'string' || !lang || typeof div !== 'string') return [];
  const open = /^\s*<div\b([^>]*)>/.exec(div);
  if (!open) return []; // not a div: the narrative checks report it
  let attrs = langAttributes(open[1] ?? '');
  if (attrs.lang === undefined && attrs.xmlLang === undefined) {
    const first = firstLangDiv(div, open[0].length);
    if (first !== undefined) attrs = langAttributes(first);
  }
  const { lang: l, xmlLang: xl } = attrs;
  // Java reports at the resource's path with the div's line and column.
  const at = { expr: loc.expr, ptr: [...loc.ptr, 'text', 'div'] };
  const warn = (message: string): Finding => ({ severity: 'warning', rule: 'narrative-language', at, message });
  const ref = 'see https://www.w3.org/TR/i18n-html-tech-lang/#langvalues';
  if (l === undefined && xl === undefined) {
    return [warn(`Resource has a language, but the XHTML does not have an lang or an xml:lang tag (needs both - ${ref})`)];
  }
  const out: Finding[] = [];
  if (l === undefined) out.push(warn(`Resource has a language, but the XHTML does not have a lang tag (needs both lang and xml:lang - ${ref})`));
  else if (l !== lang) out.push(warn(`Resource has a language (${lang}), and the XHTML has a lang (${l}), but they differ`));
  if (xl === undefined) out.push(warn(`Resource has a language, but the XHTML does not have an xml:lang tag (needs both lang and xml:lang - ${ref})`));
  else if (xl !== lang) out.push(warn(`Resource has a language (${lang}), and the XHTML has an xml:lang (${xl}), but they differ`));
  return out;
}

function langAttributes(source: string): { lang?: string; xmlLang?: string } {
  const out: { lang?: string; xmlLang?: string } = {};
  for (const m of source.matchAll(/(?:^|\s)(xml:lang|lang)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    if (m[1] === 'lang') out.lang = m[2] ?? m[3] ?? '';
    else out.xmlLang = m[2] ?? m[3] ?? '';
  }
  return out;
}

/** Text with something besides XML whitespace and control characters (Java's trim()). */
const CONTENT = /[^\u0000-\u0020]/;
const NODE = /<!--[\s\S]*?-->|<(\/?)([A-Za-z][\w:.-]*)([^<>]*?)(\/?)>|[^<]+/g;

/**
 * The attributes of the root div's first child carrying `xml:lang`, when every child with content
 * carries one (Java's allChildrenAreLangDivs / firstLangDiv); undefined otherwise.
 */
function firstLangDiv(div: string, from: number): string | undefined {
  let depth = 0;
  let first: string | undefined;
  let current: { attrs: string; lang: boolean; content: boolean } | undefined;
  let children = 0;
  NODE.lastIndex = from;
  for (let m = NODE.exec(div); m; m = NODE.exec(div)) {
    const [token, closing, name, attrs, selfClosing] = m;
    if (token.startsWith('<!--')) continue;
    if (name === undefined) {
      if (!CONTENT.test(token)) {
        if (depth === 0) children++;
        continue;
      }
      if (depth === 0) return undefined; // text beside the language divs
      if (current) current.content = true;
      continue;
    }
    if (closing) {
      if (depth === 0) break; // the root div closes
      depth--;
      if (depth === 0 && current) {
        if (!current.lang && current.content) return undefined;
        if (current.lang && first === undefined) first = current.attrs;
        current = undefined;
      }
      continue;
    }
    if (depth === 0) {
      children++;
      const lang = /(?:^|\s)xml:lang\s*=/.test(attrs ?? '');
      if (selfClosing) {
        if (lang && first === undefined) first = attrs ?? '';
        continue;
      }
      current = { attrs: attrs ?? '', lang, content: false };
    }
    if (!selfClosing) depth++;
  }
  return children > 0 ? first : undefined;
}
