/**
 * Dev loop latency: the dev server runs in this process on a temp copy of the guide; each run
 * saves a file and polls the served page until it shows the edit, measured from the save to the
 * response that carries the change.
 * - markdown: a line added to index.md, index.html polled.
 * - FSH: every FSH file of the guide in turn gets a word put into its first title or description
 *   (files with none, such as aliases, are listed as not measured); a first (untimed) edit finds the page that shows it, then timed edits poll
 *   that page. Reported: the median over files of each file's median, and the slowest file.
 * - memory: peak RSS after the first and after 100 FSH edits (no leak: within 1.2x).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startDev, type RunningDev } from '../scripts/commands/dev.ts';
import { row, summarise } from './stats.ts';
import { copyProject, SHARED_CACHE, tempDir } from './workspace.ts';

const page = { file: 'input/pagecontent/index.md', url: '/index.html' };
/** A title or description (keyword or caret rule): text a page shows, never a code or a url. */
const STRING_LINE = /^(\s*(?:(?:Title|Description)\s*:|\*\s*\^(?:title|description)\s*=)\s*")/;
const MEMORY_EDITS = 100;

interface FileFigure {
  file: string;
  url?: string;
  ms: number[];
}

export async function benchDev(runs: number): Promise<string[]> {
  const root = copyProject();
  const userCache = join(tempDir('vm-ig-bench-usercache-'), 'packages');
  const started = performance.now();
  const dev = await startDev({ root, packageCache: SHARED_CACHE, userPackageCache: userCache, settleMs: 20 });
  const startMs = performance.now() - started;
  try {
    const md: number[] = [];
    for (let i = 0; i < runs; i++)
      md.push(await timeEdit(dev, page.file, t => `${t.replace(/\nBenchMarker\w+\n/, '\n')}\nBenchMarker${i}x\n`, page.url, `BenchMarker${i}x`));
    const files: FileFigure[] = [];
    let n = 0;
    for (const file of fshFiles(root)) {
      const figure: FileFigure = { file, ms: [] };
      files.push(figure);
      if (
        !readFileSync(join(root, file), 'utf8')
          .split('\n')
          .some(l => STRING_LINE.test(l))
      )
        continue;
      const probe = `BenchProbe${n++}q`;
      figure.url = await probePage(dev, file, probe);
      if (!figure.url) continue;
      for (let i = 0; i < Math.max(2, Math.floor(runs / 2)); i++) {
        const marker = `BenchEdit${n++}q`;
        figure.ms.push(await timeEdit(dev, file, t => mark(t, marker), figure.url, marker));
      }
    }
    const measured = files.filter(f => f.ms.length > 0);
    const perFile = measured.map(f => summarise(f.ms).median);
    const slowest = measured.reduce<FileFigure | undefined>((a, f) => (!a || summarise(f.ms).median > summarise(a.ms).median ? f : a), undefined);
    const memory = await memoryAfterEdits(dev, measured[0]?.file);
    const lines = [
      `Dev loop (in-process server on a temp copy; first build ${(startMs / 1000).toFixed(2)} s)`,
      row(`markdown edit -> ${page.url} updated`, summarise(md), 'ms', { max: 100, text: '<= 100 ms' }),
      row(`FSH edit -> page updated, median of ${measured.length} files`, summarise(perFile), 'ms', { max: 1000, text: '<= 1.0 s' }),
      row(`FSH edit, slowest file (${slowest?.file ?? 'none'})`, summarise(slowest?.ms ?? []), 'ms', { max: 2000, text: '<= 2.0 s' })
    ];
    for (const f of files)
      lines.push(
        f.url
          ? `    ${f.file.padEnd(46)} ${summarise(f.ms).median.toFixed(0).padStart(6)} ms  (${f.url})`
          : `    ${f.file.padEnd(46)}    n/a: no title or description of this file shows on a page`
      );
    if (memory) {
      lines.push(row('dev peak memory after the first FSH edit', summarise([memory.first]), 'MB'));
      lines.push(row(`dev peak memory after ${MEMORY_EDITS} FSH edits`, summarise([memory.last]), 'MB'));
      lines.push(row(`  ratio (${MEMORY_EDITS} edits / first)`, summarise([memory.last / memory.first]), 'x', { max: 1.2, text: '<= 1.2x' }));
    }
    return lines;
  } finally {
    await dev.close();
  }
}

function fshFiles(root: string): string[] {
  return (readdirSync(join(root, 'fsh'), { recursive: true }) as string[])
    .filter(f => f.endsWith('.fsh'))
    .map(f => relative(root, join(root, 'fsh', f)))
    .sort();
}

/** Put `word` (and a space) at the start of the first title, description or string value. */
function mark(text: string, word: string): string {
  const lines = text.replace(/Bench(?:Probe|Edit|Memory)\d+q /g, '').split('\n');
  const i = lines.findIndex(l => STRING_LINE.test(l));
  lines[i] = lines[i]!.replace(STRING_LINE, `$1${word} `);
  return lines.join('\n');
}

/** Save an edit and wait (up to 30 s) for a page of the built site to show it. */
async function probePage(dev: RunningDev, rel: string, word: string): Promise<string | undefined> {
  const file = join(dev.session.root, rel);
  writeFileSync(file, mark(readFileSync(file, 'utf8'), word));
  const started = performance.now();
  while (performance.now() - started < 30_000) {
    await new Promise(ok => setTimeout(ok, 200));
    const url = findPage(join(dev.session.root, 'build', 'site'), word);
    if (url) return url;
  }
  return undefined;
}

function findPage(site: string, word: string): string | undefined {
  let pages: string[];
  try {
    pages = (readdirSync(site, { recursive: true }) as string[]).filter(f => f.endsWith('.html')).sort();
  } catch {
    return undefined; // the site folder is being swapped
  }
  const hit = pages.find(p => {
    try {
      return readFileSync(join(site, p), 'utf8').includes(word);
    } catch {
      return false;
    }
  });
  return hit ? `/${hit.split('\\').join('/')}` : undefined;
}

/** Peak RSS of this process after the first and the hundredth FSH edit (each waits for a build). */
async function memoryAfterEdits(dev: RunningDev, file: string | undefined): Promise<{ first: number; last: number } | undefined> {
  if (!file) return undefined;
  const peakMb = () => process.resourceUsage().maxRSS / 1024;
  let first = 0;
  for (let i = 0; i < MEMORY_EDITS; i++) {
    await saveAndWait(dev, file, t => mark(t, `BenchMemory${i}q`));
    if (i === 0) first = peakMb();
  }
  return { first, last: peakMb() };
}

function saveAndWait(dev: RunningDev, rel: string, change: (text: string) => string): Promise<void> {
  const file = join(dev.session.root, rel);
  return new Promise(ok => {
    let done = false;
    dev.session.onBuilt(() => {
      if (!done) ok();
      done = true;
    });
    writeFileSync(file, change(readFileSync(file, 'utf8')));
  });
}

async function timeEdit(dev: RunningDev, rel: string, change: (text: string) => string, url: string, marker: string): Promise<number> {
  const file = join(dev.session.root, rel);
  await new Promise(ok => setTimeout(ok, 150));
  const text = change(readFileSync(file, 'utf8'));
  const started = performance.now();
  writeFileSync(file, text);
  for (;;) {
    const body = await fetchText(new URL(url, dev.server.url));
    if (body.includes(marker)) return performance.now() - started;
    if (performance.now() - started > 60_000) throw new Error(`${url} did not show '${marker}' within 60 s`);
    await new Promise(ok => setTimeout(ok, 5));
  }
}

/** One poll; a connection reset (the server was busy rebuilding) counts as "not yet". */
async function fetchText(url: URL): Promise<string> {
  try {
    return await (await fetch(url)).text();
  } catch {
    return '';
  }
}
