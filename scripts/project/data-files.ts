/**
 * The author's data files, as Jekyll's `_data` folder gives them to pages: every `.yml`, `.yaml`,
 * `.json`, `.csv` and `.tsv` file under `input/data/` (and any folder the guide names with the IG
 * Publisher's `path-data` parameter) becomes `site.data.<name>`, a sub-folder a nested object
 * (`input/data/team/members.yml` is `site.data.team.members`). CSV and TSV files need a header
 * row; each further row is an object keyed by it, as Jekyll reads them.
 *
 * A file that does not parse is a warning with its location and is left out; nothing here throws.
 */
import { join } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { escapeControl, type Diagnostic } from '../model/diagnostics.ts';
import { readSourceTree } from './files.ts';

export const DEFAULT_DATA_FOLDER = 'input/data';

const DATA_FILE = /\.(ya?ml|json|csv|tsv)$/i;
/** Names that would reach an object's prototype rather than a key of its own. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface ProjectData {
  /** `site.data` entries by top-level name (a file's base name, or a folder's name). */
  data: Record<string, unknown>;
  /** Project-relative paths of the files read, in order. */
  files: string[];
  diagnostics: Diagnostic[];
}

/**
 * The folders to read: input/data, then each `path-data` parameter, from sushi-config.yaml's
 * `parameters:` (a value or a list) or the ImplementationGuide's `definition.parameter`.
 */
export function dataFolders(configParameters: unknown, igParameters: readonly { code?: unknown; value?: unknown }[] = []): string[] {
  const named: unknown[] = [];
  if (isRecord(configParameters)) {
    const value = configParameters['path-data'];
    named.push(...(Array.isArray(value) ? value : [value]));
  }
  for (const p of igParameters) if (p.code === 'path-data') named.push(p.value);
  const folders = [DEFAULT_DATA_FOLDER];
  for (const value of named) {
    if (typeof value !== 'string') continue;
    const folder = value.replace(/\\/g, '/').replace(/\/+$/, '');
    if (folder && !folders.includes(folder)) folders.push(folder);
  }
  return folders;
}

/** The ImplementationGuide's `definition.parameter` entries (code and value), for `dataFolders`. */
export function implementationGuideParameters(ig: unknown): { code?: unknown; value?: unknown }[] {
  if (!isRecord(ig) || !isRecord(ig.definition) || !Array.isArray(ig.definition.parameter)) return [];
  return ig.definition.parameter.filter(isRecord);
}

/** Whether a data folder names a place inside the project (relative, never climbing out). */
export function insideProject(folder: string): boolean {
  return !folder.startsWith('/') && !/^[A-Za-z]:/.test(folder) && !folder.split('/').includes('..');
}

/** Reads every data file of `folders` (project-relative); a folder outside the project is refused. */
export function readProjectData(root: string, folders: readonly string[] = [DEFAULT_DATA_FOLDER]): ProjectData {
  const out: ProjectData = { data: {}, files: [], diagnostics: [] };
  for (const folder of folders) {
    if (!insideProject(folder)) {
      out.diagnostics.push({
        severity: 'warning',
        rule: 'data-file',
        message: `the data folder '${escapeControl(folder)}' is outside the project; it was not read`,
        location: { file: 'sushi-config.yaml' }
      });
      continue;
    }
    const { files, diagnostics } = readSourceTree(join(root, folder), { root, recursive: true, accept: name => DATA_FILE.test(name) });
    out.diagnostics.push(...diagnostics);
    for (const [rel, content] of files) {
      const file = `${folder}/${rel}`;
      const parsed = parseDataFile(rel, content.toString('utf8'));
      if ('problem' in parsed) {
        out.diagnostics.push({
          severity: 'warning',
          rule: 'data-file',
          message: `${parsed.problem}; the file was left out of site.data`,
          location: { file, ...parsed.at }
        });
        continue;
      }
      const keys = rel.replace(DATA_FILE, '').split('/');
      const unsafe = keys.find(k => UNSAFE_KEYS.has(k) || k === '');
      if (unsafe !== undefined) {
        out.diagnostics.push({
          severity: 'warning',
          rule: 'data-file',
          message: `'${escapeControl(unsafe)}' cannot name a site.data entry; the file was left out`,
          location: { file }
        });
        continue;
      }
      if (!place(out.data, keys, parsed.value)) {
        out.diagnostics.push({
          severity: 'warning',
          rule: 'data-file',
          message: `site.data.${keys.join('.')} is already given by another data file; this one was left out`,
          location: { file }
        });
        continue;
      }
      out.files.push(file);
    }
  }
  return out;
}

type Parsed = { value: unknown } | { problem: string; at?: { line?: number; column?: number } };

export function parseDataFile(name: string, text: string): Parsed {
  const ext = (DATA_FILE.exec(name)?.[1] ?? '').toLowerCase();
  if (ext === 'json') {
    try {
      return { value: JSON.parse(text) };
    } catch (e) {
      return { problem: `not valid JSON (${e instanceof Error ? e.message : String(e)})` };
    }
  }
  if (ext === 'csv' || ext === 'tsv') return parseTable(text, ext === 'csv' ? ',' : '\t');
  try {
    // Aliases are capped so that a file of nested aliases cannot expand without bound.
    return { value: parseYaml(text, { maxAliasCount: 100 }) };
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const pos = e.linePos?.[0];
      return { problem: `not valid YAML (${e.message.split('\n')[0]})`, at: pos ? { line: pos.line, column: pos.col } : undefined };
    }
    return { problem: `not valid YAML (${e instanceof Error ? e.message : String(e)})` };
  }
}

/**
 * A CSV (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes) or TSV table: the
 * first row names the columns, each later row is an object of strings keyed by them.
 */
export function parseTable(text: string, separator: ',' | '\t'): Parsed {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '' && separator === ',') quoted = true;
    else if (c === separator) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) return { problem: 'a quoted field is not closed', at: { line: rows.length + 1 } };
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows.filter(r => r.length > 1 || r[0] !== '');
  if (!header) return { value: [] };
  return { value: body.map(r => Object.fromEntries(header.map((name, k) => [name, r[k] ?? '']).filter(([name]) => !UNSAFE_KEYS.has(name!)))) };
}

/** Puts `value` at `keys` in `data`; false when something is already there. */
function place(data: Record<string, unknown>, keys: readonly string[], value: unknown): boolean {
  let at = data;
  for (const key of keys.slice(0, -1)) {
    const next = Object.hasOwn(at, key) ? at[key] : undefined;
    if (next === undefined) {
      const made: Record<string, unknown> = {};
      at[key] = made;
      at = made;
    } else if (isRecord(next) && !Array.isArray(next)) at = next;
    else return false;
  }
  const last = keys[keys.length - 1]!;
  if (Object.hasOwn(at, last)) return false;
  at[last] = value;
  return true;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
