/**
 * What a `{% sql %}` tag asks for, as the IG Publisher reads it: either a JSON object (`query`;
 * `class`, default `grid`; `titles`, default true; `columns`, each with a `type` - auto, link,
 * text, markdown, url, coding, canonical, resource - a `title`, a `source` column and, by type,
 * `target`, `system`, `display`, `version` columns) or, in the older form, the query itself.
 * Queries are checked before they run: one read-only statement (SELECT, WITH or VALUES), no
 * ATTACH or DETACH, so a page can read the guide's in-memory database and nothing else.
 */
import { isJsonObject } from '../../../fhir/json.ts';

export const COLUMN_TYPES = ['auto', 'link', 'text', 'markdown', 'url', 'coding', 'canonical', 'resource'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export interface SqlColumn {
  type: ColumnType;
  title: string;
  source: string;
  target?: string;
  system?: string;
  display?: string;
  version?: string;
}

export interface SqlControl {
  query: string;
  className: string;
  titles: boolean;
  /** Empty: every column of the result, type auto, titled by its name. */
  columns: SqlColumn[];
}

export type ParsedControl = { ok: true; control: SqlControl } | { ok: false; error: string };

/** The tag's argument text (after `sql`) as a control, or why it cannot be one. */
export function parseSqlControl(args: string): ParsedControl {
  const text = args.trim();
  if (!text.startsWith('{')) return checked({ query: text, className: 'grid', titles: true, columns: [] });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `the tag's JSON cannot be read: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!isJsonObject(json)) return { ok: false, error: "the tag's JSON is not an object" };
  const o = json;
  if (typeof o.query !== 'string' || !o.query.trim()) return { ok: false, error: "the tag's JSON has no 'query' text" };
  if (o.class !== undefined && typeof o.class !== 'string') return { ok: false, error: "'class' must be text" };
  if (o.titles !== undefined && typeof o.titles !== 'boolean') return { ok: false, error: "'titles' must be true or false" };
  const columns: SqlColumn[] = [];
  const given = o.columns === undefined ? [] : Array.isArray(o.columns) ? o.columns : [o.columns];
  for (const c of given) {
    const column = parseColumn(c);
    if (typeof column === 'string') return { ok: false, error: column };
    columns.push(column);
  }
  return checked({ query: o.query, className: o.class ?? 'grid', titles: o.titles ?? true, columns });
}

function parseColumn(c: unknown): SqlColumn | string {
  if (!isJsonObject(c)) return "each of 'columns' must be an object";
  const o = c;
  for (const key of ['type', 'title', 'source', 'target', 'system', 'display', 'version']) {
    if (o[key] !== undefined && typeof o[key] !== 'string') return `a column's '${key}' must be text`;
  }
  const text = (key: string) => (typeof o[key] === 'string' ? o[key] : undefined);
  const type = text('type') ?? 'auto';
  if (!isColumnType(type)) return `unknown column type '${type}' (known: ${COLUMN_TYPES.join(', ')})`;
  const source = text('source') ?? text('title');
  if (source === undefined) return "a column needs a 'source' (or a 'title' naming its column)";
  return { type, title: text('title') ?? source, source, target: text('target'), system: text('system'), display: text('display'), version: text('version') };
}

function isColumnType(type: string): type is ColumnType {
  return COLUMN_TYPES.some(t => t === type);
}

function checked(control: SqlControl): ParsedControl {
  const problem = queryProblem(control.query);
  return problem ? { ok: false, error: problem } : { ok: true, control };
}

/** Why a query may not run, or undefined: it must be one SELECT, WITH or VALUES statement, with no ATTACH or DETACH. */
export function queryProblem(query: string): string | undefined {
  const words = sqlWords(query);
  if (words === undefined) return 'the query has an unterminated string, name or comment';
  const statements = words.statements.filter(s => s.length > 0);
  if (statements.length === 0) return 'the query is empty';
  if (statements.length > 1) return 'the query has more than one statement: one SELECT is run per tag';
  const all = statements[0]!;
  if (all.some(w => w === 'ATTACH' || w === 'DETACH')) return "ATTACH and DETACH are not allowed: a query reads the guide's own in-memory database only";
  if (!['SELECT', 'WITH', 'VALUES'].includes(all[0]!)) return `only SELECT queries are run (this one starts with ${all[0]})`;
  return undefined;
}

/**
 * The query's bare words, upper-cased, by statement: string literals, quoted names and comments
 * are skipped, so a word inside them never counts. Undefined when one of them is not closed.
 */
function sqlWords(query: string): { statements: string[][] } | undefined {
  const statements: string[][] = [[]];
  let i = 0;
  while (i < query.length) {
    const ch = query[i]!;
    if (ch === "'" || ch === '"' || ch === '`' || ch === '[') {
      const close = ch === '[' ? ']' : ch;
      let j = i + 1;
      for (;;) {
        j = query.indexOf(close, j);
        if (j < 0) return undefined;
        // A doubled quote is the quote itself, inside the literal.
        if (close !== ']' && query[j + 1] === close) j += 2;
        else break;
      }
      i = j + 1;
    } else if (query.startsWith('--', i)) {
      const end = query.indexOf('\n', i);
      i = end < 0 ? query.length : end + 1;
    } else if (query.startsWith('/*', i)) {
      const end = query.indexOf('*/', i + 2);
      // SQLite accepts a block comment left open at the end of the text.
      i = end < 0 ? query.length : end + 2;
    } else if (ch === ';') {
      statements.push([]);
      i++;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(query.slice(i, i + 200))!;
      statements[statements.length - 1]!.push(m[0].toUpperCase());
      i += m[0].length;
    } else {
      // Anything else (numbers, operators, punctuation) counts as part of the current statement.
      if (!/\s/.test(ch)) statements[statements.length - 1]!.push(ch);
      i++;
    }
  }
  return { statements };
}
