/**
 * Jekyll's YAML front matter: a page that starts with a `---` line, YAML, and a closing `---` (or
 * `...`) line. Jekyll reads it as the page's variables (`page.title`...) and never shows it; here
 * too. The block is replaced by as many empty lines, so line numbers in diagnostics stay those
 * of the file.
 */
import { parse } from 'yaml';
import { isJsonObject } from '../../fhir/json.ts';

export interface FrontMatter {
  /** The page's variables; empty when there is no front matter (or it is not a YAML map). */
  data: Record<string, unknown>;
  /** The text without its front matter (empty lines in its place). */
  body: string;
}

const BLOCK = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)(?:^|\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

export function splitFrontMatter(text: string): FrontMatter {
  if (!/^\uFEFF?---[ \t]*\r?\n/.test(text)) return { data: {}, body: text };
  const m = BLOCK.exec(text);
  if (!m) return { data: {}, body: text };
  let data: Record<string, unknown> = {};
  try {
    const parsed: unknown = parse(m[1]!);
    if (isJsonObject(parsed)) data = parsed;
  } catch {
    // Not YAML: Jekyll would stop the build; the block is still not shown.
  }
  const lines = m[0].split('\n').length - (m[0].endsWith('\n') ? 1 : 0);
  return { data, body: '\n'.repeat(lines) + text.slice(m[0].length) };
}
