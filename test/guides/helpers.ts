/**
 * Whole-guide helpers: copy a fixture guide from test/fixtures/guides/ to a temp folder, build it
 * end to end with the CLI users run (bin/vm-ig.js and its bundle, in a child process, empty HOME),
 * and run SUSHI's own CLI on another copy, offline, to compare outputs.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Diagnostic } from '../../scripts/model/diagnostics.ts';
import { runCli } from '../helpers/cli.ts';
import { REPO_ROOT, SHARED_PACKAGE_CACHE, tempDir } from '../helpers/project.ts';

export const GUIDES = join(REPO_ROOT, 'test', 'fixtures', 'guides');

export function copyGuide(name: string): string {
  const dir = tempDir(`vm-ig-guide-${name}-`);
  cpSync(join(GUIDES, name), dir, { recursive: true });
  return dir;
}

/** What a CLI build left: its report, and what it wrote that the tests look at. */
export interface GuideBuild {
  status: number | null;
  output: string;
  ran: string[];
  diagnostics: Diagnostic[];
  counts: Record<string, number>;
  /** The site's .html files, relative to build/site. */
  sitePages: string[];
  /** The ImplementationGuide resource written to fsh-generated/, when there is one. */
  implementationGuide?: { definition?: { resource?: { reference: { reference: string } }[] } };
  /** The files build/validation.json lists. */
  validatedFiles: string[];
}

/** `vm-ig build` (or `vm-ig compile`) with the installed CLI, empty HOME, no network. */
export async function buildGuide(root: string, command: 'build' | 'compile' = 'build'): Promise<GuideBuild> {
  const run = await runCli(root, [command]);
  if (!run.report) throw new Error(`vm-ig ${command} wrote no report (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  const site = join(root, 'build', 'site');
  const resources = join(root, 'fsh-generated', 'resources');
  const igFile = existsSync(resources) ? readdirSync(resources).find(f => f.startsWith('ImplementationGuide-')) : undefined;
  const validation = join(root, 'build', 'validation.json');
  return {
    status: run.status,
    output: `${run.stdout}${run.stderr}`,
    ran: run.report.ran,
    diagnostics: run.report.diagnostics,
    counts: run.report.counts ?? {},
    sitePages: existsSync(site) ? listFiles(site).filter(f => f.endsWith('.html')) : [],
    implementationGuide: igFile ? (JSON.parse(readFileSync(join(resources, igFile), 'utf8')) as GuideBuild['implementationGuide']) : undefined,
    validatedFiles: existsSync(validation) ? validatedFiles(readFileSync(validation, 'utf8')) : []
  };
}

/** The files build/validation.json (a Bundle of OperationOutcomes) reports on, by their operationoutcome-file extension. */
function validatedFiles(text: string): string[] {
  const bundle = JSON.parse(text) as { entry?: { resource: { extension?: { url: string; valueString?: string }[] } }[] };
  return (bundle.entry ?? []).flatMap(e => e.resource.extension?.filter(x => x.url.endsWith('/operationoutcome-file')).map(x => x.valueString ?? '') ?? []);
}

/** Every file under `dir`, relative to it, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full).split('\\').join('/'));
    }
  };
  walk(dir);
  return out;
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

/**
 * `sushi build -s` with fsh-sushi's own CLI, offline: a HOME whose FHIR cache links the shared
 * packages, and a proxy that refuses every connection.
 */
export function runSushiCli(root: string): { status: number | null; output: string } {
  const home = tempDir('vm-ig-sushi-home-');
  const packages = join(home, '.fhir', 'packages');
  mkdirSync(packages, { recursive: true });
  for (const name of readdirSync(SHARED_PACKAGE_CACHE)) if (name.includes('#')) symlinkSync(join(SHARED_PACKAGE_CACHE, name), join(packages, name), 'dir');
  const refuse = 'http://127.0.0.1:9';
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'fsh-sushi', 'dist', 'app.js'), 'build', '-s', root], {
    env: {
      ...process.env,
      HOME: home,
      HTTPS_PROXY: refuse,
      HTTP_PROXY: refuse,
      https_proxy: refuse,
      http_proxy: refuse,
      NO_PROXY: '',
      no_proxy: '',
      FORCE_COLOR: '0'
    },
    encoding: 'utf8',
    timeout: 120_000
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** The `<main>` of a page: what the author and the generator put there, without the theme. */
export function mainOf(html: string): string {
  const start = html.indexOf('<main');
  return start < 0 ? html : html.slice(start, html.indexOf('</main>', start));
}

/** Literal template or kramdown syntax, or escaped tags in text, outside code blocks and form fields. */
export function leftovers(html: string): string[] {
  const text = mainOf(html)
    .replace(/<pre[\s\S]*?<\/pre>/g, '')
    .replace(/<textarea[\s\S]*?<\/textarea>/g, '')
    .replace(/<script[\s\S]*?<\/script>/g, '')
    // Escaped markup inside an attribute value (a data payload) is correct escaping, not a leak.
    .replace(/="[^"]*"/g, '=""')
    .replace(/<code[\s\S]*?<\/code>/g, '');
  const found: string[] = [];
  for (const re of [/\{%[^%]*%\}/, /\{\{[^}]*\}\}/, /\{:[^}]*\}/, /\{#[\w-]+\}/, /&lt;\/?(div|p|table|a|img|span|strong|em|script)\b/]) {
    const m = re.exec(text);
    if (m) found.push(m[0]);
  }
  return found;
}
