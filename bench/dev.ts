/**
 * Dev loop latency: the dev server runs in this process on a temp copy of the guide; each run
 * saves a file and polls the served page until it shows the edit. Measured from the save to the
 * response that carries the change.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDev, type RunningDev } from '../scripts/dev/command.ts';
import { row, summarise } from './stats.ts';
import { copyProject, SHARED_CACHE, tempDir } from './workspace.ts';

const EDIT_FSH = 'fsh/bench-edit.fsh';
const page = { file: 'input/pagecontent/index.md', url: '/index.html' };

export async function benchDev(runs: number): Promise<string[]> {
  const root = copyProject();
  writeFileSync(join(root, EDIT_FSH), editFsh('start'));
  const userCache = join(tempDir('vm-ig-bench-usercache-'), 'packages');
  mkdirSync(userCache, { recursive: true });
  const started = performance.now();
  const dev = await startDev({ root, packageCache: SHARED_CACHE, userPackageCache: userCache, settleMs: 20 });
  const startMs = performance.now() - started;
  try {
    const md: number[] = [];
    const fsh: number[] = [];
    for (let i = 0; i < runs; i++) {
      md.push(await timeEdit(dev, page.file, t => `${t.replace(/\nBenchMarker\w+\n/, '\n')}\nBenchMarker${i}x\n`, page.url, `BenchMarker${i}x`));
      fsh.push(await timeEdit(dev, EDIT_FSH, () => editFsh(`Edited ${i}`), resourceUrl(), `Bench edit title Edited ${i}`));
    }
    return [
      `Dev loop (in-process server on a temp copy; first build ${(startMs / 1000).toFixed(2)} s; rendered site)`,
      row(`markdown edit -> ${page.url} updated`, summarise(md), 'ms', { max: 300, text: '<= 300 ms' }),
      row(`FSH edit -> ${resourceUrl()} updated`, summarise(fsh), 'ms', { max: 1500, text: '<= 1.5 s' })
    ];
  } finally {
    await dev.close();
  }
}

function resourceUrl(): string {
  return '/CodeSystem-bench-edit.html';
}

function editFsh(title: string): string {
  return `CodeSystem: BenchEdit\nId: bench-edit\nTitle: "Bench edit title ${title}"\nDescription: "A code system the dev bench edits."\n* ^caseSensitive = true\n* #one "One"\n`;
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
    if (performance.now() - started > 30_000) throw new Error(`${url} did not show '${marker}' within 30 s`);
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
