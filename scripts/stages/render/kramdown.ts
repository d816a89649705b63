/**
 * Kramdown's attribute syntax, as IG Publisher pages (rendered by Jekyll with kramdown) use it:
 * header ids `### Title {#id}`, block attribute lists `{: .class #id title="..."}` on the line
 * after a paragraph, table, list, heading, quote or fenced code block (or, after a blank line,
 * on the line before a block: it applies to that block), and `{:toc}` / `{:.no_toc}`. A markdown-it
 * core rule (runs before inline parsing): the syntax is removed and its classes and ids set on the
 * block. Span attribute lists (`*word*{: .class}`) are markdown-it-attrs' (see markdown.ts).
 * Kramdown's extensions are read as kramdown does: `{::comment}...{:/comment}` and
 * `{::options ... /}` are dropped, `{::nomarkdown}...{:/nomarkdown}` is kept as raw HTML, and
 * attribute list definitions (`{:name: .class}`) are dropped.
 * Only ids, classes and a few plain attributes are accepted; the sanitiser runs afterwards anyway.
 */
import type { StateCore, Token } from 'markdown-it';

const IAL_LINE = /^\{:?\s*([^{}]*)\}\s*$/;
const HEADER_ID = /\s*\{:?\s*(#[\w:.-]+[^{}]*)\}\s*$/;
const PLAIN_ATTRS = new Set(['title', 'lang', 'dir', 'role']);

export interface AttributeList {
  id?: string;
  classes: string[];
  attrs: [string, string][];
  /** `{:toc}`: kramdown puts its table of contents here; the theme has its own, so the list goes. */
  toc: boolean;
  /** The list stood alone before a block (after a blank line): it applies to that next block. */
  next?: boolean;
}

/** The marker `separateAttributeLines` gives a list that applies to the block after it. */
const NEXT_MARKER = 'vm-kramdown-next';

export function parseAttributeList(text: string): AttributeList | undefined {
  const out: AttributeList = { classes: [], attrs: [], toc: false };
  const parts = text.match(/[.#][\w:.-]+|[\w-]+="[^"]*"|[\w-]+='[^']*'|[\w-]+/g) ?? [];
  for (const part of parts) {
    if (part.startsWith('.')) out.classes.push(...part.slice(1).split('.').filter(Boolean));
    else if (part.startsWith('#')) out.id = part.slice(1);
    else if (part === 'toc') out.toc = true;
    else if (part === NEXT_MARKER) out.next = true;
    else {
      const m = /^([\w-]+)=["'](.*)["']$/.exec(part);
      if (!m) return undefined;
      if (PLAIN_ATTRS.has(m[1]!.toLowerCase())) out.attrs.push([m[1]!.toLowerCase(), m[2]!]);
    }
  }
  return out;
}

function apply(token: Token, list: AttributeList): void {
  if (list.id) token.attrSet('id', list.id);
  if (list.classes.length) token.attrJoin('class', list.classes.join(' '));
  for (const [k, v] of list.attrs) token.attrSet(k, v);
}

/** The opening token of the block that ends at `close` (index), or -1. */
function openerOf(tokens: Token[], close: number): number {
  const t = tokens[close];
  if (!t || t.nesting !== -1) return -1;
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    depth += tokens[i]!.nesting;
    if (depth === 0) return i;
  }
  return -1;
}

/**
 * Prepare kramdown block syntax for markdown-it, outside fenced code: kramdown's extensions are
 * resolved (see above); a line that is only an attribute list gets a blank line before it, so
 * markdown-it does not read it as a table row or a lazy continuation (it then stands alone and
 * applies to the block before it, as kramdown does); and one that follows a blank line and
 * precedes a block is marked to apply to that block instead, with a blank line after it.
 */
export function separateAttributeLines(text: string): string {
  const lines = extensions(text).split('\n');
  const out: string[] = [];
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const f = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    const wasFence = fence !== undefined;
    if (f) fence = fence === undefined ? f[1]![0] : line.trim().startsWith(fence) ? undefined : fence;
    const trimmed = line.trim();
    if (wasFence || fence !== undefined || !trimmed.startsWith('{:') || !IAL_LINE.test(trimmed)) {
      out.push(line);
      continue;
    }
    if (/^\{:[\w-]+:/.test(trimmed)) continue; // an attribute list definition
    const previous = out.length ? out[out.length - 1]!.trim() : '';
    const following = lines[i + 1]?.trim() ?? '';
    if (previous === '' && following !== '' && !following.startsWith('{:')) {
      out.push(trimmed.replace(/^\{:/, `{:${NEXT_MARKER} `), '');
      continue;
    }
    if (previous !== '') out.push('');
    out.push(line);
  }
  return out.join('\n');
}

const FENCED = /^( {0,3})(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:\n {0,3}\2[`~]*[ \t]*(?=\n|$)|$)/gm;

/** Kramdown's `{::comment}`, `{::options}` and `{::nomarkdown}` extensions, outside fenced code. */
function extensions(text: string): string {
  if (!text.includes('{::')) return text;
  const code: string[] = [];
  const kept = text.replace(FENCED, block => `\u0000${code.push(block) - 1}\u0000`);
  const done = kept
    .replace(/\{::comment\}[\s\S]*?\{:\/(?:comment)?\}/g, '')
    .replace(/\{::(?:comment|options)\b[^{}]*\/\}/g, '')
    .replace(/\{::nomarkdown\}([\s\S]*?)\{:\/(?:nomarkdown)?\}/g, '$1')
    .replace(/\{::nomarkdown\b[^{}]*\/\}/g, '');
  return done.replace(/\u0000(\d+)\u0000/g, (_m, n: string) => code[Number(n)]!);
}

export function kramdownAttributes(state: StateCore): void {
  const tokens = state.tokens;
  const remove: [number, number][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'inline') continue;
    const open = tokens[i - 1];
    if (open?.type === 'heading_open') {
      const m = HEADER_ID.exec(t.content);
      const list = m ? parseAttributeList(m[1]!) : undefined;
      if (m && list) {
        t.content = t.content.slice(0, m.index);
        apply(open, list);
      }
      continue;
    }
    if (open?.type !== 'paragraph_open') continue;
    const lines = t.content.split('\n');
    const last = IAL_LINE.exec(lines[lines.length - 1]!.trim());
    const list = last ? parseAttributeList(last[1]!) : undefined;
    if (!last || !list) continue;
    if (lines.length > 1) {
      t.content = lines.slice(0, -1).join('\n');
      apply(open, list);
      continue;
    }
    remove.push([i - 1, i + 1]);
    // A paragraph that is only an attribute list belongs to the block after it when marked so...
    if (list.next) {
      const target = tokens[i + 2];
      if (target && target.nesting !== -1 && target.type !== 'inline') apply(target, list);
      continue;
    }
    // ...and otherwise to the block before it (a fenced or indented code block has no closing token).
    const before = tokens[i - 2];
    if (before && (before.type === 'fence' || before.type === 'code_block')) {
      apply(before, list);
      continue;
    }
    const opener = openerOf(tokens, i - 2);
    if (opener >= 0 && !(before!.type === 'paragraph_close' && before!.hidden)) {
      if (list.toc && /^(bullet|ordered)_list_open$/.test(tokens[opener]!.type)) remove.push([opener, i - 2]);
      else apply(tokens[opener]!, list);
    }
  }
  for (const [from, to] of remove.sort((a, b) => b[0] - a[0])) tokens.splice(from, to - from + 1);
}
