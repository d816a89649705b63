/**
 * The site checker: reads every rendered page once with htmlparser2's streaming tokenizer (no
 * DOM) and lists, per page, what a reader would see as broken:
 *
 * - `broken-link`: an `href` to a file the site does not have, or whose `#fragment` names no
 *   `id` (or `<a name>`) on the target page (`broken-anchor`);
 * - `missing-image`: an `<img src>` to a file the site does not have;
 * - `literal-liquid`: Liquid left in visible text or in a link (`{{ ... }}`, `{% ... %}`);
 * - `literal-kramdown`: a kramdown attribute list left as text (`{: .class}`, `{:toc}`, `{#id}`);
 * - `escaped-markup`: HTML tags escaped into visible text (`&lt;div ...`, `&lt;p>`).
 *
 * Text inside `code`, `pre`, `script`, `style`, `textarea` and `template` is never read as
 * visible text: pages show JSON, XML and template examples there on purpose.
 * Pure: `checkSite` reads only what it is given, so a test can run it over build/site.
 */
import { Parser } from 'htmlparser2';
import { compareText } from '../../../fhir/order.ts';

export type SiteFindingKind = 'broken-link' | 'broken-anchor' | 'missing-image' | 'literal-liquid' | 'literal-kramdown' | 'escaped-markup';

export interface SiteFinding {
  /** The page, relative to the site root (`index.html`). */
  page: string;
  /** 1-based line in the rendered page, where known. */
  line?: number;
  kind: SiteFindingKind;
  /** What was found, for a reader: the link, or an excerpt of the text. */
  detail: string;
  /** For links and images: the `href` or `src` as written. */
  target?: string;
}

export interface CheckOptions {
  /** Files that will exist but are written after the check (the QA page itself, the search index). */
  pending?: Iterable<string>;
}

export const FINDING_LABELS: Record<SiteFindingKind, string> = {
  'broken-link': 'broken link',
  'broken-anchor': 'link to a missing anchor',
  'missing-image': 'missing image',
  'literal-liquid': 'Liquid shown as text',
  'literal-kramdown': 'kramdown shown as text',
  'escaped-markup': 'HTML tags shown as text'
};

/** Elements whose text is code or not visible: never checked for template syntax. */
const UNREAD = new Set(['code', 'pre', 'script', 'style', 'textarea', 'template', 'kbd', 'samp']);
const LIQUID = /\{\{[^\n]*?\}\}|\{%[^\n]*?%\}/g;
const KRAMDOWN = /\{:[^{}\n]*\}|\{#[\w:.-]+\}/g;
const ESCAPED_TAG =
  /<\/?(?:div|p|span|table|thead|tbody|tr|td|th|ul|ol|li|a|b|i|br|hr|h[1-6]|strong|em|img|code|pre|blockquote|dl|dt|dd|sup|sub)(?=[\s>/])[^<>\n]{0,80}>?/gi;

interface PageScan {
  ids: Set<string>;
  /** Offsets are raw offsets in the page once it is read; negative: already raw (preformatted). */
  links: { href: string; offset: number; image: boolean }[];
  findings: (SiteFinding & { extraLines?: number })[];
  newlines?: number[];
}

/**
 * Every finding over a rendered site: `pages` are the HTML pages by path relative to the site
 * root, `otherFiles` every other file of the site (images, downloads, JSON and XML).
 * Findings are sorted by page, then line.
 */
export function checkSite(pages: ReadonlyMap<string, string>, otherFiles: ReadonlySet<string>, options: CheckOptions = {}): SiteFinding[] {
  const pending = new Set(options.pending ?? []);
  const scans = new Map<string, PageScan>();
  for (const [path, text] of pages) scans.set(path, scanOnce(path, text));
  const out: SiteFinding[] = [];
  for (const [page, scan] of scans) {
    const text = pages.get(page)!;
    for (const link of scan.links) {
      const problem = linkProblem(page, link.href, link.image, pages, otherFiles, pending, scans);
      const offset = link.offset < 0 ? -link.offset - 1 : link.offset;
      if (problem) out.push({ page, line: lineAt(scan, text, offset), kind: problem, detail: link.href, target: link.href });
    }
    out.push(...scan.findings.map(f => ({ ...f })));
  }
  return out.sort((a, b) => compareText(a.page, b.page) || (a.line ?? 0) - (b.line ?? 0));
}

/**
 * The last scan of each page, reused while the page's text is the same: a dev session's re-render
 * changes a few pages of hundreds, and the check still covers every link of every page. Scans are
 * read, never changed, after they are made. Bounded: a process that checks many sites starts over.
 */
const lastScans = new Map<string, { text: string; scan: PageScan }>();
const MAX_KEPT_SCANS = 20_000;

function scanOnce(page: string, text: string): PageScan {
  const kept = lastScans.get(page);
  if (kept && kept.text === text) return kept.scan;
  const scan = scanPage(page, text);
  if (lastScans.size >= MAX_KEPT_SCANS) lastScans.clear();
  lastScans.set(page, { text, scan });
  return scan;
}

function linkProblem(
  page: string,
  href: string,
  image: boolean,
  pages: ReadonlyMap<string, string>,
  otherFiles: ReadonlySet<string>,
  pending: ReadonlySet<string>,
  scans: Map<string, PageScan>
): SiteFindingKind | undefined {
  if (/\{\{|\{%/.test(href)) return 'literal-liquid';
  const trimmed = href.trim();
  if (trimmed === '' || /^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith('//')) return undefined;
  const hash = trimmed.indexOf('#');
  const pathPart = (hash < 0 ? trimmed : trimmed.slice(0, hash)).split('?')[0]!;
  const fragment = hash < 0 ? undefined : trimmed.slice(hash + 1);
  const target = resolvePath(page, decodePath(pathPart));
  if (pending.has(target)) return undefined;
  const isPage = pages.has(target);
  if (!isPage && !otherFiles.has(target)) return image ? 'missing-image' : 'broken-link';
  if (image || !fragment || !isPage || fragment === 'top') return undefined;
  return scans.get(target)!.ids.has(decodePath(fragment)) ? undefined : 'broken-anchor';
}

function scanPage(page: string, text: string): PageScan {
  const scan: PageScan = { ids: new Set(), links: [], findings: [] };
  let unread = 0;
  let buffer = '';
  let bufferStart = 0;
  const add = (kind: SiteFindingKind, offset: number, detail: string, extraLines: number) => {
    // The offset is turned into a line once the page is read (see `breaks`).
    scan.findings.push({ page, line: offset, extraLines, kind, detail });
  };
  const flush = () => {
    if (buffer && unread === 0 && /[{<]/.test(buffer)) checkText(buffer, bufferStart, add);
    buffer = '';
  };
  const parser: Parser = new Parser(
    {
      onopentag(name, attribs) {
        flush();
        const id = attribs.id;
        if (id !== undefined) scan.ids.add(id);
        if (name === 'a' && attribs.name !== undefined) scan.ids.add(attribs.name);
        if (name !== 'base') {
          if (attribs.href !== undefined && name !== 'link') scan.links.push({ href: attribs.href, offset: parser.startIndex, image: false });
          else if (name === 'link' && attribs.href !== undefined && attribs.rel !== 'canonical')
            scan.links.push({ href: attribs.href, offset: parser.startIndex, image: false });
          if (attribs.src !== undefined) scan.links.push({ href: attribs.src, offset: parser.startIndex, image: name === 'img' });
        }
        if (UNREAD.has(name)) unread++;
      },
      ontext(chunk) {
        if (!buffer) bufferStart = parser.startIndex;
        buffer += chunk;
      },
      onclosetag(name) {
        flush();
        if (UNREAD.has(name) && unread > 0) unread--;
      }
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true }
  );
  // Preformatted blocks (highlighted JSON and XML: most of an artifact page's bytes) are not
  // tokenised: their text is never checked, and their ids and links are read by a plain scan.
  // `breaks` maps offsets in what the parser was given back to offsets in the page.
  const breaks: [written: number, raw: number][] = [[0, 0]];
  let written = 0;
  let from = 0;
  for (const m of text.matchAll(PRE_OPEN)) {
    if (m.index < from) continue;
    const inner = m.index + m[0].length;
    const close = text.indexOf('</pre>', inner);
    if (close < 0) break;
    parser.write(text.slice(from, inner));
    written += inner - from;
    scanPreformatted(text, inner, close, scan);
    from = close;
    breaks.push([written, from]);
  }
  parser.write(text.slice(from));
  parser.end();
  flush();
  const toRaw = (offset: number) => {
    let i = breaks.length - 1;
    while (i > 0 && breaks[i]![0] > offset) i--;
    return breaks[i]![1] + offset - breaks[i]![0];
  };
  for (const link of scan.links) if (link.offset >= 0) link.offset = toRaw(link.offset);
  for (const f of scan.findings) f.line = lineAt(scan, text, toRaw(f.line!)) + (f.extraLines ?? 0);
  for (const f of scan.findings) delete f.extraLines;
  return scan;
}

const PRE_OPEN = /<pre(?=[\s>])[^>]*>/gi;
const ATTR = /\s(id|name|href|src)="([^"]*)"/g;

/** Ids and links inside a preformatted block, found without tokenising it. */
function scanPreformatted(text: string, from: number, to: number, scan: PageScan): void {
  const inner = text.slice(from, to);
  if (!inner.includes('="')) return;
  for (const m of inner.matchAll(ATTR)) {
    const value = decodeAttribute(m[2]!);
    if (m[1] === 'id' || m[1] === 'name') scan.ids.add(value);
    else scan.links.push({ href: value, offset: -(from + m.index) - 1, image: false });
  }
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };

function decodeAttribute(value: string): string {
  return value.includes('&') ? value.replace(/&(amp|lt|gt|quot|apos|#39);/g, (_m, e: string) => ENTITY[e]!) : value;
}

function checkText(text: string, offset: number, add: (kind: SiteFindingKind, offset: number, detail: string, extraLines: number) => void): void {
  // The decoded text's offsets are not raw offsets (entities are longer raw): the line is the
  // text's first line plus the newlines of the text before the match.
  const lines = (i: number) => {
    let n = 0;
    for (let j = text.indexOf('\n'); j >= 0 && j < i; j = text.indexOf('\n', j + 1)) n++;
    return n;
  };
  for (const m of text.matchAll(LIQUID)) add('literal-liquid', offset, excerpt(m[0]), lines(m.index));
  for (const m of text.matchAll(KRAMDOWN)) add('literal-kramdown', offset, excerpt(m[0]), lines(m.index));
  for (const m of text.matchAll(ESCAPED_TAG)) add('escaped-markup', offset, excerpt(m[0]), lines(m.index));
}

function lineAt(scan: PageScan, text: string, offset: number): number {
  if (!scan.newlines) {
    const list: number[] = [];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) list.push(i);
    scan.newlines = list;
  }
  let lo = 0;
  let hi = scan.newlines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (scan.newlines[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

function excerpt(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 77)}...` : one;
}

function decodePath(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function resolvePath(page: string, rel: string): string {
  if (rel === '') return page;
  const parts = rel.startsWith('/') ? [] : page.split('/').slice(0, -1);
  for (const seg of rel.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

/** Findings grouped by page, pages in order. */
export function findingsByPage(findings: readonly SiteFinding[]): Map<string, SiteFinding[]> {
  const out = new Map<string, SiteFinding[]>();
  for (const f of findings) {
    const list = out.get(f.page);
    if (list) list.push(f);
    else out.set(f.page, [f]);
  }
  return out;
}
