/**
 * Kramdown's attribute syntax, as IG Publisher pages (rendered by Jekyll with kramdown) use it:
 * header ids `### Title {#id}`, block attribute lists `{: .class #id title="..."}` on the line
 * after a paragraph, table, list or heading, and `{:toc}` / `{:.no_toc}`. A markdown-it core rule
 * (runs before inline parsing): the syntax is removed and its classes and ids set on the block.
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
}

export function parseAttributeList(text: string): AttributeList | undefined {
  const out: AttributeList = { classes: [], attrs: [], toc: false };
  const parts = text.match(/[.#][\w:.-]+|[\w-]+="[^"]*"|[\w-]+='[^']*'|[\w-]+/g) ?? [];
  for (const part of parts) {
    if (part.startsWith('.')) out.classes.push(...part.slice(1).split('.').filter(Boolean));
    else if (part.startsWith('#')) out.id = part.slice(1);
    else if (part === 'toc') out.toc = true;
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
 * Give every line that is only an attribute list a blank line before it (outside fenced code),
 * so markdown-it does not read it as a table row or a lazy continuation: it then stands alone
 * and applies to the block before it, as kramdown does.
 */
export function separateAttributeLines(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of lines) {
    const f = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (f) fence = fence === undefined ? f[1]![0] : line.trim().startsWith(fence) ? undefined : fence;
    if (fence === undefined && IAL_LINE.test(line.trim()) && line.trim().startsWith('{:') && out.length && out[out.length - 1]!.trim() !== '') out.push('');
    out.push(line);
  }
  return out.join('\n');
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
    // A paragraph that is only an attribute list belongs to the block before it.
    const opener = openerOf(tokens, i - 2);
    if (opener >= 0 && !(tokens[i - 2]!.type === 'paragraph_close' && tokens[i - 2]!.hidden)) {
      if (list.toc && /^(bullet|ordered)_list_open$/.test(tokens[opener]!.type)) remove.push([opener, i - 2]);
      else apply(tokens[opener]!, list);
    }
    remove.push([i - 1, i + 1]);
  }
  for (const [from, to] of remove.sort((a, b) => b[0] - a[0])) tokens.splice(from, to - from + 1);
}
