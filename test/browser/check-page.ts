/**
 * Shared by the check page's browser test and bench: the real guide built into a temp project
 * (so `vm-ig validate` there sees the same compiled guide as the page), and small page helpers.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { runPipeline } from '../../scripts/pipeline/sequencer.ts';

/** Copy the guide's sources into `dir` and build its site there; returns the site folder. */
export async function buildGuideCopy(repo: string, dir: string, packageCache: string): Promise<string> {
  for (const name of ['sushi-config.yaml', 'ig.ini', 'fsh', 'input', 'site']) {
    if (existsSync(join(repo, name))) cpSync(join(repo, name), join(dir, name), { recursive: true });
  }
  const result = await runPipeline(dir, ['site'], { packageCache });
  const errors = result.diagnostics.filter(d => d.severity === 'error');
  if (errors.length > 0) throw new Error(`guide build failed: ${errors.map(e => e.message).join('; ')}`);
  return join(dir, 'build', 'site');
}

export interface IssueRow {
  severity: string;
  line?: number;
  column?: number;
  expression?: string;
  message: string;
  rule: string;
}

const EXT = 'http://hl7.org/fhir/StructureDefinition/operationoutcome-';

/** `vm-ig validate --format json FILE...` in `root`: issues per file argument, in order. */
export function cliIssues(repo: string, root: string, files: string[], packageCache: string): IssueRow[][] {
  let out: string;
  try {
    out = execFileSync(process.execPath, [join(repo, 'bin', 'vm-ig.js'), 'validate', '--format', 'json', ...files], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, VM_IG_PACKAGE_CACHE: packageCache }
    });
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? '');
  }
  const json = JSON.parse(out) as { resourceType: string; entry?: { resource: Outcome }[] } & Outcome;
  const outcomes = json.resourceType === 'Bundle' ? json.entry!.map(e => e.resource) : [json];
  return outcomes.map(o =>
    o.issue
      .filter(i => ext(i, 'message-id') !== undefined)
      .map(i => ({
        severity: i.severity,
        line: ext(i, 'issue-line') as number | undefined,
        column: ext(i, 'issue-col') as number | undefined,
        expression: i.expression?.[0],
        message: i.details?.text ?? '',
        rule: String(ext(i, 'message-id'))
      }))
  );
}

interface Outcome {
  issue: { severity: string; expression?: string[]; details?: { text?: string }; extension?: { url: string; valueInteger?: number; valueString?: string }[] }[];
}

function ext(issue: Outcome['issue'][number], name: string): string | number | undefined {
  const e = issue.extension?.find(x => x.url === EXT + name);
  return e?.valueInteger ?? e?.valueString;
}

/** Check what is in the editor; resolves when the results are shown. */
export async function runCheck(page: Page): Promise<void> {
  const before = Number((await page.locator('#vm-check-results').getAttribute('data-checks')) ?? 0);
  await page.click('#vm-check-run');
  await page.waitForFunction(
    n => {
      const r = document.getElementById('vm-check-results');
      return r?.dataset.state === 'failed' || Number(r?.dataset.checks ?? 0) > n;
    },
    before,
    { timeout: 60_000 }
  );
}

/** The results table as rows (what a reader sees). */
export async function pageIssues(page: Page): Promise<IssueRow[]> {
  return page.$$eval('#vm-check-results tr.vm-check__issue', trs =>
    trs.map(tr => {
      // The value of each cell, without the column name it repeats for the stacked cards of small screens.
      const cells = [...tr.querySelectorAll('td')].map(td => (td.querySelector('.vm-cards__value') ?? td).textContent ?? '');
      const [line, column] = (cells[1] ?? '').split(':');
      const row: { severity: string; line?: number; column?: number; expression?: string; message: string; rule: string } = {
        severity: cells[0]!,
        message: cells[3]!,
        rule: cells[4]!
      };
      if (cells[1] !== '-') {
        row.line = Number(line);
        row.column = Number(column);
      }
      if (cells[2]) row.expression = cells[2];
      return row;
    })
  );
}

/** Normalise a CLI row to what the page shows (no column reads as column 1; empty values dropped). */
export function shown(row: IssueRow): IssueRow {
  const out: IssueRow = { severity: row.severity, message: row.message, rule: row.rule };
  if (row.line !== undefined) {
    out.line = row.line;
    out.column = row.column ?? 1;
  }
  if (row.expression) out.expression = row.expression;
  return out;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml'
};

/** A loopback static server over `dir` (what the dev server does for the site), for http:// runs. */
export async function serveStatic(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const { extname, normalize, sep } = await import('node:path');
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!)).replace(/^([/\\])+/, '');
    if (path.split(sep).includes('..')) return void res.writeHead(404).end();
    readFile(join(dir, path || 'index.html')).then(
      body => res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end()
    );
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}/`, close: () => new Promise(resolve => server.close(() => resolve())) };
}
