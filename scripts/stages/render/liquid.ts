/**
 * The liquidjs adapter: the only module that touches liquidjs. Pages are Liquid templates, as
 * in the IG Publisher (Jekyll): `{% include %}` of sibling pages, input/includes, images (SVG
 * inlined) and generated fragments, `assign`, `for`, `if`, `raw`, `capture`, filters, and the
 * `site.data` variables the IG Publisher provides. Nothing is read from disk here: includes are
 * resolved through `resolveInclude`. A fragment that cannot be resolved becomes a visible
 * placeholder and a located warning; a template error is a located warning, and the page is shown
 * without its template syntax. Fenced code blocks are left exactly as written.
 */
import { Liquid, LiquidError } from 'liquidjs';
import type { Diagnostic } from '../../model/diagnostics.ts';
import { laxLiquid, replaceUnknownTags } from './liquid-lax.ts';
import { renderMarkdown } from './markdown.ts';
import { sqlTagOutput } from './sql/tags.ts';

/** What an include name resolves to: template text (rendered as Liquid in place), or finished HTML. */
export type IncludeTarget =
  | { kind: 'text'; text: string }
  /** `block`: the form used when the include stands alone in a paragraph (a list's items wrapped in `<ul>`). */
  | { kind: 'html'; html: string; block?: string }
  | { kind: 'missing'; why: string };

/** Separates a placed fragment's inline form from its block form (see `placeFragments`). */
const BLOCK_FORM = '\u0000VMIGBLOCK\u0000';

export interface LiquidInput {
  /** Project-relative file of the template, for diagnostics. */
  file: string;
  /** Variables: `site` (with `site.data`), `page`, ... */
  variables: Record<string, unknown>;
  resolveInclude: (name: string) => IncludeTarget | undefined;
  /** Protect fenced code blocks (markdown pages). */
  markdown?: boolean;
  /**
   * The IG Publisher's `{% fragment Type/id FORMAT [BASE:path] [EXCEPT:names] %}`: finished HTML
   * of (part of) a resource of the guide, or undefined when there is no such resource.
   */
  resolveFragment?: (args: string) => string | undefined;
}

export interface LiquidOutput {
  text: string;
  /** Finished HTML fragments; the text holds `VMIGPLACED{n}VMIG` where each goes. */
  placed: string[];
  diagnostics: Diagnostic[];
}

const MAX_INCLUDES = 200;

/**
 * Render time: at most PAGE_RENDER_MS for one template, and BUILD_RENDER_MS for all the Liquid of
 * one build together (a guide of 40 pages each running a loop to its page limit would otherwise
 * take minutes). Exceeding either is an error at the template; once the build's budget is spent,
 * the templates left are not rendered.
 */
export const PAGE_RENDER_MS = 2_000;
export const BUILD_RENDER_MS = 10_000;
let budgetLeftMs = BUILD_RENDER_MS;

/** A new build's budget (the site stage calls this before it renders). */
export function startRenderBudget(ms = BUILD_RENDER_MS): void {
  budgetLeftMs = ms;
}
const FENCE = /^( {0,3})(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:\n {0,3}\2[`~]*[ \t]*(?=\n|$)|$)/gm;

export function placeholderHtml(name: string): string {
  const safe = name.replace(/[^\w.\-/]/g, '');
  return `<p class="vm-generated-placeholder">[${safe}: this generated fragment is not available in this build]</p>`;
}

/** Tags that are parts of another tag (liquidjs parses them inside it), not tags of their own. */
const BRANCH_TAGS = new Set(['else', 'elsif', 'when']);

export function renderLiquid(template: string, input: LiquidInput): LiquidOutput {
  const diagnostics: Diagnostic[] = [];
  const placed: string[] = [];
  const code: string[] = [];
  let reads = 0;
  // `{% lang-fragment x.xhtml %}` is the IG Publisher's include of a generated fragment in the page's language: ours has one language.
  const source = template.replace(/\{%(-?)\s*lang-fragment\s/g, '{%$1 include ');
  // Fenced code is set aside first: Jekyll's lax forms are rewritten only where Liquid reads them.
  const protectedText = laxLiquid(input.markdown ? source.replace(FENCE, block => codeMarker(code.push(block) - 1, block)) : source);
  const place = (html: string, block?: string) => `VMIGPLACED${placed.push(block === undefined ? html : html + BLOCK_FORM + block) - 1}VMIG`;
  const missing = (name: string, why: string) => {
    diagnostics.push({
      severity: 'warning',
      rule: 'site-include',
      message: `cannot include '${name}': ${why}`,
      location: { file: input.file, ...includeLine(template, name) }
    });
    return place(placeholderHtml(name));
  };
  const engine = new Liquid({
    jekyllInclude: true,
    dynamicPartials: false,
    strictVariables: false,
    strictFilters: false,
    cache: false,
    extname: '',
    root: ['/'],
    partials: ['/'],
    relativeReference: false,
    parseLimit: 5_000_000,
    renderLimit: Math.max(1, Math.min(PAGE_RENDER_MS, budgetLeftMs)),
    memoryLimit: 50_000_000,
    fs: {
      exists: async () => true,
      existsSync: () => true,
      readFile: async (path: string) => read(path),
      readFileSync: (path: string) => read(path),
      resolve: (_dir: string, file: string) => `/${file}`,
      containsSync: () => true,
      contains: async () => true,
      sep: '/',
      dirname: () => '/'
    }
  });
  // Jekyll's own filters liquidjs lacks: `markdownify` renders markdown (kramdown there, the
  // page renderer here); the site has no base URL, so `relative_url` and `absolute_url` keep the
  // path as written; `smartify` keeps straight quotes.
  engine.registerFilter('markdownify', (value: unknown) => renderMarkdown(value == null ? '' : String(value)).html);
  for (const name of ['relative_url', 'absolute_url', 'smartify']) engine.registerFilter(name, (value: unknown) => value);
  engine.registerTag('fragment', {
    parse(token) {
      this.args = token.args;
    },
    render(_ctx, emitter) {
      // liquidjs types a tag's own fields as any; parse set this one to the tag's argument text.
      const own: unknown = this.args;
      const args = typeof own === 'string' ? own.trim() : '';
      const made = input.resolveFragment?.(args);
      const name = args.split(/\s+/)[0] ?? '';
      emitter.write(made === undefined ? missing(name, 'the fragment names no resource of this guide') : place(made));
    }
  });
  // The IG Publisher's `{% sql %}`: its query ran before the render (sql/tags.ts); a table is a block of its own.
  engine.registerTag('sql', {
    parse(token) {
      [this.args, this.line] = [token.args, token.getPosition()[0]];
    },
    render(_ctx, emitter) {
      const [args, line]: unknown[] = [this.args, this.line];
      const out = sqlTagOutput(typeof args === 'string' ? args : '', input.file, typeof line === 'number' ? line : undefined);
      diagnostics.push(...out.diagnostics);
      emitter.write(out.inline ? place(out.html) : place(out.html, out.html));
    }
  });
  /** A tag this renderer does not have: a warning at the tag, and a visible note where its output would be. */
  function unsupportedTag(name: string): string {
    const at = new RegExp(`\\{%-?\\s*${name}\\b`).exec(template);
    const line = at ? template.slice(0, at.index).split('\n').length : undefined;
    diagnostics.push({
      severity: 'warning',
      rule: 'site-liquid',
      message: `the Liquid tag '${name}' is not supported here (an IG Publisher or Jekyll plugin tag): its output is left out`,
      location: { file: input.file, line }
    });
    return place(`<p class="vm-generated-placeholder">[${name.replace(/[^\w-]/g, '')}: this tag's output is not available in this build]</p>`);
  }
  function read(path: string): string {
    const name = path.replace(/^\/+/, '');
    if (++reads > MAX_INCLUDES) return missing(name, `more than ${MAX_INCLUDES} includes (an include that includes itself?)`);
    const target = input.resolveInclude(name);
    if (!target) return missing(name, 'no page, include, image or generated fragment has that name');
    if (target.kind === 'missing') return missing(name, target.why);
    return target.kind === 'html' ? place(target.html, target.block) : laxLiquid(target.text);
  }
  let text: string;
  const started = performance.now();
  const templated = /\{%|\{\{/.test(protectedText);
  try {
    if (templated && budgetLeftMs <= 0) throw new BudgetSpent();
    const parseable = templated
      ? replaceUnknownTags(
          protectedText,
          name => Object.hasOwn(engine.tags, name) || BRANCH_TAGS.has(name),
          name => (name.startsWith('end') ? '' : unsupportedTag(name))
        )
      : protectedText;
    text = templated ? engine.parseAndRenderSync(parseable, input.variables) : protectedText;
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    // liquidjs's parse and render errors carry the template token they happened at.
    const [line, column] = LiquidError.is(e) ? (e.token?.getPosition() ?? []) : [];
    // A limit (render time, memory, parse size) is an error: the page is not what its author wrote.
    const spent = e instanceof BudgetSpent;
    const limit = spent || /limit exceeded/.test(err.message);
    const message = spent ? err.message : `Liquid: ${err.message.split('\n')[0]!.replace(/, line:\d+, col:\d+$/, '')}`;
    diagnostics.push({
      severity: limit ? 'error' : 'warning',
      rule: limit ? 'site-liquid-limit' : 'site-liquid',
      message: /render limit/.test(message) ? `${message} (at most ${PAGE_RENDER_MS / 1000} s per page and ${BUILD_RENDER_MS / 1000} s per build)` : message,
      location: { file: input.file, line, column }
    });
    text = protectedText.replace(/\{%-?[\s\S]*?-?%\}/g, '').replace(/\{\{-?[\s\S]*?-?\}\}/g, '');
  } finally {
    if (templated) budgetLeftMs -= performance.now() - started;
  }
  return { text: text.replace(/VMIGCODE(\d+)\n*VMIG/g, (_m, i: string) => code[Number(i)]!), placed, diagnostics };
}

function includeLine(template: string, name: string): { line?: number; column?: number } {
  const tag = new RegExp(`\\{%-?\\s*include\\s+${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).exec(template);
  const i = tag ? tag.index : template.indexOf(name);
  if (i < 0) return {};
  const before = template.slice(0, i).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/**
 * Put the finished HTML fragments where their markers are: alone in a paragraph (the fragment's
 * block form, when it has one), or inline (inside the author's own `<ul>` or `<table>`).
 */
export function placeFragments(html: string, placed: readonly string[]): string {
  return html.replace(/<p>VMIGPLACED(\d+)VMIG<\/p>|VMIGPLACED(\d+)VMIG/g, (_m, a?: string, b?: string) => {
    const [inline, block] = (placed[Number(a ?? b)] ?? '').split(BLOCK_FORM);
    return a !== undefined ? (block ?? inline!) : inline!;
  });
}

/** A code block's marker, holding as many line breaks as the block, so Liquid's line numbers stay the file's. */
function codeMarker(index: number, block: string): string {
  return `VMIGCODE${index}${'\n'.repeat(block.split('\n').length - 1)}VMIG`;
}

/** The build's Liquid render budget is used up: the template is not rendered. */
class BudgetSpent extends Error {
  constructor() {
    super(`Liquid: not rendered: the build's Liquid render budget (${BUILD_RENDER_MS / 1000} s for all pages together) is used up by earlier pages`);
  }
}
