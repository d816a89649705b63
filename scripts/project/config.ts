/**
 * Reads sushi-config.yaml: the raw YAML shape is checked against a schema (keys SUSHI accepts)
 * and converted to the small checked `ProjectConfig` the toolchain uses. Problems become
 * Diagnostics naming the file, the key and its line.
 */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { Diagnostic } from '../model/diagnostics.ts';
import { loadConfigCheck } from './config-check.ts';
import { isJsonObject } from '../fhir/json.ts';

export interface PageConfig {
  /** File name in input/pagecontent, e.g. `index.md`. */
  file: string;
  title: string;
  children: PageConfig[];
}

export interface MenuItem {
  label: string;
  url?: string;
  children: MenuItem[];
}

export interface Dependency {
  packageId: string;
  version: string;
  /** Position of the dependency in sushi-config.yaml, for diagnostics. */
  line?: number;
  column?: number;
}

export interface ProjectConfig {
  id: string;
  /** The FHIR package name: `packageId`, or `id` when it is not given (as SUSHI does). */
  packageId: string;
  canonical: string;
  name: string;
  title: string;
  description: string;
  version: string;
  fhirVersion: string;
  status: string;
  date?: string;
  publisher?: string;
  license?: string;
  dependencies: Dependency[];
  pages: PageConfig[];
  menu: MenuItem[];
  /** The parsed YAML as SUSHI will see it. */
  raw: Record<string, unknown>;
  /** The hand-written ImplementationGuide ig.ini names (FSHOnly guides), project-relative, when one was read. */
  handwrittenIg?: string;
}

export interface ConfigResult {
  config?: ProjectConfig;
  diagnostics: Diagnostic[];
}

const validateSchema = loadConfigCheck();

export function readProjectConfig(configPath: string, displayPath = 'sushi-config.yaml'): ConfigResult {
  let text: string;
  try {
    text = readFileSync(configPath, 'utf8');
  } catch {
    return { diagnostics: [configError(displayPath, `cannot read ${displayPath}`, 'config-missing')] };
  }
  return parseProjectConfig(text, displayPath);
}

export function parseProjectConfig(text: string, displayPath: string): ConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      diagnostics: doc.errors.map(e => {
        const pos = lineCounter.linePos(e.pos[0]);
        return configError(displayPath, `YAML syntax: ${e.message.split('\n')[0]}`, 'config-syntax', pos.line, pos.col);
      })
    };
  }
  const raw: unknown = doc.toJS();
  if (!isJsonObject(raw)) {
    return { diagnostics: [configError(displayPath, 'sushi-config.yaml must be a mapping of keys', 'config-shape', 1, 1)] };
  }
  const diagnostics = [
    ...minimalConfigDiagnostics(raw, displayPath),
    ...schemaDiagnostics(raw, doc, lineCounter, displayPath),
    ...menuUrlDiagnostics(doc, lineCounter, displayPath),
    ...pageKeyDiagnostics(doc, lineCounter, displayPath)
  ];
  if (diagnostics.some(d => d.severity === 'error')) return { diagnostics };
  const config = toProjectConfig(raw);
  for (const dep of config.dependencies) Object.assign(dep, dependencyPosition(doc, lineCounter, dep.packageId));
  return { config, diagnostics };
}

/**
 * SUSHI's minimal configuration (fsh-sushi's importConfiguration): `canonical` and `fhirVersion`
 * always, and `id`, `name` and `status` unless the project is FSHOnly. Missing ones stop SUSHI
 * with one error listing the whole set; so do they here.
 */
const MINIMAL_KEYS = ['canonical', 'fhirVersion'];
const MINIMAL_IG_KEYS = ['id', 'name', 'status'];

function minimalConfigDiagnostics(raw: Record<string, unknown>, file: string): Diagnostic[] {
  const fshOnly = raw.FSHOnly === true;
  const needed = fshOnly ? MINIMAL_KEYS : [...MINIMAL_KEYS, ...MINIMAL_IG_KEYS];
  const missing = needed.filter(k => raw[k] === undefined || raw[k] === null || (Array.isArray(raw[k]) && raw[k].length === 0));
  if (missing.length === 0) return [];
  const purpose = fshOnly ? 'start processing FSH' : 'generate an IG';
  return [
    configError(
      file,
      `missing required key${missing.length > 1 ? 's' : ''} ${missing.map(k => `'${k}'`).join(', ')}: SUSHI needs ${needed.join(', ')} to ${purpose}`,
      'config-required',
      1,
      1
    )
  ];
}

/**
 * Keys SUSHI does not know are warnings, as SUSHI gives them (usually a misspelt or mis-indented
 * key, such as a `dependencies:` entry that lost its indentation); wrong values of the keys the
 * toolchain relies on are errors.
 */
function schemaDiagnostics(raw: unknown, doc: Document, lines: LineCounter, file: string): Diagnostic[] {
  if (validateSchema(raw)) return [];
  return (validateSchema.errors ?? []).flatMap(err => {
    // ajv's params depend on the keyword: additionalProperty and missingProperty are strings.
    const bad = paramOf(err.params, 'additionalProperty');
    const key = err.instancePath.split('/')[1] ?? bad;
    const pos = keyPosition(doc, lines, key);
    if (err.keyword === 'additionalProperties') {
      return [
        {
          severity: 'warning' as const,
          rule: 'config-unknown-key',
          message: `unexpected key '${bad}': SUSHI ignores it. Check that it is spelled, capitalized and indented correctly`,
          location: { file, line: pos?.line, column: pos?.col }
        }
      ];
    }
    // Reported once for all keys by minimalConfigDiagnostics.
    if (err.keyword === 'required') return [];
    return [configError(file, `key '${key}' ${err.message ?? 'is invalid'}`, 'config-value', pos?.line, pos?.col)];
  });
}

function paramOf(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' ? value : undefined;
}

function keyPosition(doc: Document, lines: LineCounter, key: string | undefined) {
  if (!key || !isMap(doc.contents)) return undefined;
  const pair = doc.contents.items.find(p => isScalar(p.key) && p.key.value === key);
  const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
  return range ? lines.linePos(range[0]) : undefined;
}

function dependencyPosition(doc: Document, lines: LineCounter, packageId: string): { line: number; column: number } | undefined {
  const deps = isMap(doc.contents) ? doc.contents.get('dependencies', true) : undefined;
  if (!isMap(deps)) return undefined;
  const pair = deps.items.find(p => isScalar(p.key) && p.key.value === packageId);
  const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
  const pos = range ? lines.linePos(range[0]) : undefined;
  return pos ? { line: pos.line, column: pos.col } : undefined;
}

/**
 * Menu URLs land in every page's header: only relative URLs and http(s) are allowed, so a
 * `javascript:` or `data:` link (however it is spaced or cased) is a located error.
 */
function menuUrlDiagnostics(doc: Document, lines: LineCounter, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visit = (node: unknown) => {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      if (isMap(pair.value)) visit(pair.value);
      else if (isScalar(pair.value) && pair.value.value !== null) {
        const problem = menuUrlProblem(String(pair.value.value));
        const pos = pair.value.range ? lines.linePos(pair.value.range[0]) : undefined;
        if (problem)
          out.push(configError(file, `menu item '${isScalar(pair.key) ? String(pair.key.value) : '?'}': ${problem}`, 'config-menu-url', pos?.line, pos?.col));
      }
    }
  };
  visit(isMap(doc.contents) ? doc.contents.get('menu', true) : undefined);
  return out;
}

/**
 * `pages:` keys are page file names: they become the page's URL in the site and `nameUrl` in the
 * ImplementationGuide. One that is not a plain file name (`../x.md`, a folder, a `javascript:`
 * name) is a located error, never a page silently dropped from the site but kept in the guide.
 */
function pageKeyDiagnostics(doc: Document, lines: LineCounter, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visit = (node: unknown, top: boolean) => {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      // Below the top level, only keys naming a page file are pages (the others are title, generation...).
      if (key === undefined || (!top && !/\.(md|xml|html)$/.test(key))) continue;
      const problem = pageKeyProblem(key);
      const pos = isScalar(pair.key) && pair.key.range ? lines.linePos(pair.key.range[0]) : undefined;
      if (problem) out.push(configError(file, `pages entry ${JSON.stringify(key)}: ${problem}`, 'config-page-name', pos?.line, pos?.col));
      visit(pair.value, false);
    }
  };
  visit(isMap(doc.contents) ? doc.contents.get('pages', true) : undefined, true);
  return out;
}

/** Why a `pages:` key cannot name a page, or undefined. */
export function pageKeyProblem(name: string): string | undefined {
  if (!/\.(md|xml|html)$/.test(name)) return 'a page must be a .md, .xml or .html file';
  if (/[\\/]/.test(name) || name.startsWith('.')) return 'a page is a file name in input/pagecontent (or input/pages, input/resource-docs), never a path';
  if (!/^[\p{L}\p{N}_][\p{L}\p{N}._-]*$/u.test(name)) return "a page name may hold only letters, digits, '.', '-' and '_' (it becomes a link)";
  return undefined;
}

/** Why `url` may not be a menu link, or undefined: relative or http(s) only, no control characters or padding. */
export function menuUrlProblem(url: string): string | undefined {
  const shown = JSON.stringify(url);
  if (/[\u0000-\u001f\u007f-\u009f]/.test(url) || url !== url.trim()) return `the URL ${shown} has spaces or control characters around or inside it`;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url);
  if (scheme && !/^https?$/i.test(scheme[1]!)) return `the URL ${shown} uses '${scheme[1]}:'; a menu link must be relative or http(s)`;
  if (url.startsWith('\\') || url.startsWith('/\\')) return `the URL ${shown} starts with a backslash; a menu link must be relative or http(s)`;
  return undefined;
}

function configError(file: string, message: string, rule: string, line?: number, column?: number): Diagnostic {
  return { severity: 'error', message, rule, location: { file, line, column } };
}

function toProjectConfig(raw: Record<string, unknown>): ProjectConfig {
  const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  const fhirVersion = Array.isArray(raw.fhirVersion) ? str(raw.fhirVersion[0]) : str(raw.fhirVersion);
  const publisher = raw.publisher;
  return {
    id: str(raw.id),
    packageId: str(raw.packageId) || str(raw.id),
    canonical: str(raw.canonical).replace(/\/$/, ''),
    name: str(raw.name),
    title: str(raw.title),
    description: str(raw.description),
    version: str(raw.version),
    fhirVersion,
    status: str(raw.status),
    date: raw.date === undefined ? undefined : str(raw.date),
    publisher: typeof publisher === 'string' ? publisher : isJsonObject(publisher) && typeof publisher.name === 'string' ? publisher.name : undefined,
    license: raw.license === undefined ? undefined : str(raw.license),
    dependencies: toDependencies(raw.dependencies),
    pages: toPages(raw.pages),
    menu: toMenu(raw.menu),
    raw
  };
}

function toDependencies(deps: unknown): Dependency[] {
  if (!deps || typeof deps !== 'object') return [];
  return Object.entries(deps).map(([packageId, v]: [string, unknown]) => {
    const version = v && typeof v === 'object' ? ('version' in v ? v.version : undefined) : v;
    return { packageId, version: String(version ?? '') };
  });
}

function toPages(pages: unknown): PageConfig[] {
  if (!pages || typeof pages !== 'object') return [];
  return Object.entries(pages).map(([file, v]: [string, unknown]) => {
    const props: Record<string, unknown> = isJsonObject(v) ? v : {};
    const title = typeof props.title === 'string' ? props.title : titleFromFile(file);
    const children = toPages(Object.fromEntries(Object.entries(props).filter(([k]) => /\.(md|xml|html)$/.test(k))));
    return { file, title, children };
  });
}

function titleFromFile(file: string): string {
  const base = file.replace(/\.[^.]+$/, '').replace(/[-_]/g, ' ');
  return base.charAt(0).toUpperCase() + base.slice(1);
}

function toMenu(menu: unknown): MenuItem[] {
  if (!menu || typeof menu !== 'object') return [];
  return Object.entries(menu).map(([label, v]: [string, unknown]) =>
    typeof v === 'string' ? { label, url: v, children: [] } : { label, children: toMenu(v) }
  );
}
