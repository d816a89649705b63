/**
 * The ImplementationGuide resource an author wrote by hand, named by ig.ini (`[IG] ig = ...`), as
 * FSHOnly guides keep it (SUSHI writes no IG for them; the IG Publisher reads this one). What the
 * toolchain needs from it and the FSHOnly sushi-config.yaml lacks comes from here: the package id,
 * name, title, version, description, publisher and status, and the page tree with its titles.
 * An IG file that SUSHI writes (under fsh-generated/) is not read here: the compile makes it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isJsonObject } from '../fhir/json.ts';
import { errorMessage } from '../util/errors.ts';
import { xmlToObject } from '../fhir/fhir-xml.ts';
import { documentLimitProblem, hasDoctype } from '../fhir/input-limits.ts';
import type { Diagnostic } from '../model/diagnostics.ts';
import type { PageConfig, ProjectConfig } from './config.ts';
import { isReadProblem, readProjectFile } from './files.ts';
import { readIgIni } from './ig-ini.ts';
import { PAGE_FOLDERS } from './pages.ts';

/** A hand-written IG is a few hundred KB at most; refuse to parse anything far larger. */
const MAX_BYTES = 16 * 1024 * 1024;
/** Page trees are a few levels deep; deeper ones are cut here. */
const MAX_DEPTH = 16;

/**
 * Complete `config` from the hand-written IG named by ig.ini, where the configuration leaves a
 * value out. Returns the diagnostics of reading ig.ini and the IG file.
 */
export function applyHandwrittenIg(root: string, config: ProjectConfig): Diagnostic[] {
  const ini = readIgIni(root);
  if (!ini.ig || ini.ig.startsWith('fsh-generated/')) return ini.diagnostics;
  if (!existsSync(join(root, ini.ig))) {
    return [...ini.diagnostics, { severity: 'warning', rule: 'ig-ini', message: `ig = ${ini.ig}: no such file`, location: { file: 'ig.ini' } }];
  }
  const read = readIg(root, ini.ig);
  if ('problem' in read) return [...ini.diagnostics, { severity: 'warning', rule: 'ig-ini', message: read.problem, location: { file: ini.ig } }];
  const ig = read.ig;
  const text = (key: string) => (typeof ig[key] === 'string' ? ig[key] : '');
  config.id ||= text('id');
  if (!config.raw.packageId) config.packageId = text('packageId') || config.packageId || config.id;
  config.name ||= text('name');
  config.title ||= text('title');
  config.version ||= text('version');
  config.description ||= text('description');
  config.publisher ??= text('publisher') || undefined;
  config.handwrittenIg = ini.ig;
  if (config.pages.length === 0 && isJsonObject(ig.definition) && isJsonObject(ig.definition.page)) {
    config.pages = pageTree([ig.definition.page], pageSourceNames(root), 0);
  }
  return ini.diagnostics;
}

function readIg(root: string, shown: string): { ig: Record<string, unknown> } | { problem: string } {
  const bytes = readProjectFile(root, shown, MAX_BYTES);
  if (isReadProblem(bytes)) return { problem: `${shown} was not read: ${bytes.message}` };
  const text = bytes.toString('utf8');
  const xml = /\.xml$/i.test(shown);
  let value: unknown;
  const limit = documentLimitProblem(text, xml ? 'xml' : 'json', bytes.length);
  if (limit) return { problem: `${shown}: ${limit}, so the ImplementationGuide is not read` };
  if (xml) {
    if (hasDoctype(text)) return { problem: `${shown}: a DOCTYPE is not allowed in FHIR XML, so the ImplementationGuide is not read` };
    const converted = xmlToObject(text);
    if (!converted.ok) return { problem: `${shown}: not FHIR XML (${converted.message})` };
    value = converted.value;
  } else {
    try {
      value = JSON.parse(text);
    } catch (e) {
      return { problem: `${shown}: not JSON (${errorMessage(e)})` };
    }
  }
  if (!isJsonObject(value) || value.resourceType !== 'ImplementationGuide') return { problem: `${shown} is not an ImplementationGuide resource` };
  return { ig: value };
}

/** Source file names of the page folders, by the page name they publish as (`index.md` -> `index`). */
function pageSourceNames(root: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const folder of PAGE_FOLDERS) {
    const dir = join(root, folder);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const m = /^(.*)\.(md|xml|html)$/.exec(name);
      if (m && !names.has(m[1]!)) names.set(m[1]!, name);
    }
  }
  return names;
}

/**
 * The IG's page tree as `pages:` entries. A page with no source of its own (the IG Publisher's
 * generated `toc.html`, say) gives its place to its children. The pages are the file's JSON, not
 * yet checked: each member is read only after its type is.
 */
function pageTree(pages: Record<string, unknown>[], sources: Map<string, string>, depth: number): PageConfig[] {
  if (depth > MAX_DEPTH) return [];
  return pages.flatMap(p => {
    const children = pageTree(Array.isArray(p.page) ? p.page.filter(isJsonObject) : [], sources, depth + 1);
    const base = typeof p.nameUrl === 'string' ? p.nameUrl.replace(/\.html$/, '') : undefined;
    const file = base !== undefined ? sources.get(base) : undefined;
    if (!file) return children;
    return [{ file, title: typeof p.title === 'string' && p.title ? p.title : base!, children }];
  });
}
