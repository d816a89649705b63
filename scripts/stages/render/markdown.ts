/**
 * The markdown-it adapter: the only module that builds markdown-it. Raw HTML is off, so user text
 * can never become markup; links are limited to http(s), mailto, relative and fragment URLs;
 * external images become plain links (the site loads nothing from the network); headings get
 * stable ids and are collected for the per-page table of contents.
 */
import MarkdownIt from 'markdown-it';
import { calloutsPlugin } from './markdown-callouts.ts';
import markdownItAttrs from 'markdown-it-attrs';
import { kramdownAttributes, separateAttributeLines } from './kramdown.ts';

export interface Heading {
  level: number;
  id: string;
  text: string;
}

export interface MarkdownOptions {
  /** The level the document's highest heading is moved to (pages: 2, under the page's h1). */
  topLevel?: number;
  /** Render a single paragraph without the `<p>` wrapper (table cells). */
  inline?: boolean;
  /** Rewrites every link and image URL that passed validation (e.g. base-spec relative links). */
  rewriteLink?: (href: string) => string;
}

export interface RenderedMarkdown {
  html: string;
  headings: Heading[];
}

const SAFE_LINK = /^(https?:|mailto:|#|\.{0,2}\/|[\w.-]+(\.html|\.json|\.xml|\.zip|\.tgz|\.png|\.svg|\.jpg)?([#?].*)?$)/i;

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
type Token = ReturnType<typeof md.parse>[number];
md.use(calloutsPlugin);
md.validateLink = url => SAFE_LINK.test(url.trim()) && !/^\s*(javascript|vbscript|data|file):/i.test(url);

type CoreRule = Parameters<typeof md.core.ruler.push>[1];

/** What a render hands its rules through markdown-it's `env` (which markdown-it types as any). */
class RenderEnv {
  /** markdown-it and its plugins keep their own entries here too (link references). */
  [key: string | symbol]: unknown;
  readonly headings: Heading[] = [];
  constructor(readonly rewriteLink?: (href: string) => string) {}
}

function renderEnv(state: { env: unknown }): RenderEnv | undefined {
  return state.env instanceof RenderEnv ? state.env : undefined;
}

/** Ids for every heading (an author's `{#id}` kept), collected for the table of contents. */
const headingIds: CoreRule = state => {
  const used = new Map<string, number>();
  const headings: Heading[] = renderEnv(state)?.headings ?? [];
  const tokens = state.tokens;
  tokens.forEach((token, i) => {
    if (token.type !== 'heading_open') return;
    const text = tokens[i + 1]?.children?.map(c => c.content).join('') ?? '';
    const own = token.attrGet('id') === null ? undefined : String(token.attrGet('id'));
    const id = own ?? uniqueId(gfmHeadingId((tokens[i + 1]?.content ?? text).replace(/\s*\{:[^{}]*\}|\s*\{#[\w:.-]+\}/g, '')), used);
    if (own) used.set(own, (used.get(own) ?? 0) + 1);
    token.attrSet('id', id);
    if (!/(^|\s)no_toc(\s|$)/.test(String(token.attrGet('class') ?? ''))) headings.push({ level: Number(token.tag.slice(1)), id, text });
  });
};

md.core.ruler.push('vm_heading_ids', headingIds);

const rewriteLinks: CoreRule = state => {
  const rewrite = renderEnv(state)?.rewriteLink;
  if (!rewrite) return;
  for (const block of state.tokens) {
    for (const t of block.children ?? []) {
      const attr = t.type === 'link_open' ? 'href' : t.type === 'image' ? 'src' : undefined;
      const value = attr ? t.attrGet(attr) : null;
      if (attr && value !== null) t.attrSet(attr, rewrite(String(value)));
    }
  }
};

md.core.ruler.push('vm_rewrite_links', rewriteLinks);

/**
 * Author pages, as the IG Publisher renders them: raw HTML is allowed (the caller passes the
 * result through the allow-list sanitiser) and kramdown's `{#id}` / `{: .class}` are understood.
 */
const pageMd = new MarkdownIt({ html: true, linkify: false, typographer: false });
pageMd.validateLink = md.validateLink;
pageMd.use(calloutsPlugin);
pageMd.core.ruler.before('inline', 'vm_kramdown', kramdownAttributes);
// Span attribute lists (`*word*{: .class}`, `[link](x.html){: title="..."}`), kramdown's delimiters;
// block lists are kramdownAttributes', which has removed them by the time this runs.
pageMd.use(markdownItAttrs, { leftDelimiter: '{:', rightDelimiter: '}', allowedAttributes: ['id', 'class', 'title', 'lang', 'dir', 'role'] });
pageMd.core.ruler.push('vm_heading_ids', headingIds);
pageMd.renderer.rules.image = (tokens, idx, options, env, self) => md.renderer.rules.image!(tokens, idx, options, env, self);

const defaultImage = md.renderer.rules.image!;
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  const src = String(token.attrGet('src') ?? '');
  if (!/^[a-z][a-z0-9+.-]*:/i.test(src)) return defaultImage(tokens, idx, options, env, self);
  const alt = token.children ? self.renderInlineAsText(token.children, options, env) : token.content;
  return `<a href="${md.utils.escapeHtml(src)}">${md.utils.escapeHtml(String(alt || src))}</a>`;
};

/**
 * A heading's id as the IG Publisher's Jekyll makes it (kramdown's GFM parser): lower case, every
 * character that is not a letter, mark, digit, connector (`_`), hyphen or space removed, each
 * space a hyphen. Leading digits stay and spaces are not collapsed, so `2:3.1 Message Semantics`
 * is `231-message-semantics` and `A / B` is `a--b`, as links in real guides expect.
 */
export function slugify(text: string): string {
  const slug = text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
  return slug || 'section';
}

/**
 * A heading's id as Jekyll makes it (kramdown with GFM input, the IG Publisher's pages): the
 * heading's markdown in lower case, every character that is not a letter, digit, `_`, `-`,
 * space or tab dropped, and each space or tab made a `-` (so `System Identifier → x.y` is
 * `system-identifier--xy`, and guides link to it so).
 */
export function gfmHeadingId(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- \t]/gu, '')
    .replace(/[ \t]/g, '-');
}

function uniqueId(id: string, used: Map<string, number>): string {
  const base = id || 'section';
  const n = used.get(base) ?? 0;
  used.set(base, n + 1);
  return n === 0 ? base : `${base}-${n}`;
}

function shiftHeadings(tokens: Token[], headings: Heading[], topLevel: number): void {
  const levels = tokens.filter(t => t.type === 'heading_open').map(t => Number(t.tag.slice(1)));
  if (levels.length === 0) return;
  const shift = topLevel - Math.min(...levels);
  for (const t of tokens) {
    if (t.type === 'heading_open' || t.type === 'heading_close') t.tag = `h${Math.min(6, Math.max(1, Number(t.tag.slice(1)) + shift))}`;
  }
  for (const h of headings) h.level = Math.min(6, Math.max(1, h.level + shift));
}

export function renderMarkdown(text: string, options: MarkdownOptions = {}): RenderedMarkdown {
  return renderWith(md, text, options);
}

/** An author page's markdown, raw HTML and kramdown attributes included; the output is NOT sanitised yet. */
export function renderPageMarkdown(text: string, options: MarkdownOptions = {}): RenderedMarkdown {
  return renderWith(pageMd, separateAttributeLines(text), options);
}

function renderWith(engine: typeof md, text: string, options: MarkdownOptions): RenderedMarkdown {
  const env = new RenderEnv(options.rewriteLink);
  const tokens = engine.parse(text, env);
  const headings = env.headings;
  shiftHeadings(tokens, headings, options.topLevel ?? 2);
  let html = engine.renderer.render(tokens, engine.options, env);
  if (options.inline) html = unwrapParagraph(html);
  return { html, headings };
}

function unwrapParagraph(html: string): string {
  const m = /^<p>([\s\S]*)<\/p>\n$/.exec(html);
  return m && !m[1]!.includes('<p>') ? m[1]! : html;
}
