/**
 * The build cache of the stages after the compile: a build with no change takes every stage from
 * the cache and leaves exactly the same output; a change reruns the stages it reaches and no
 * others; output removed or edited on disk is made again; an entry that was tampered with is not
 * trusted; `vm-ig validate --profile` is never served from the cache.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DevSession } from '../scripts/apps/dev/session.ts';
import { runPipeline, STAGES, type PipelineEvent, type StageName } from '../scripts/pipeline/sequencer.ts';
import type { BuildContext } from '../scripts/pipeline/context.ts';
import { compiledDigest, readStageEntry, stageCacheDir, writeStageEntry } from '../scripts/pipeline/stage-cache.ts';
import { copyGuide, SHARED_PACKAGE_CACHE, tempDir } from './helpers/project.ts';

const ALL = STAGES.map(s => s.name);

function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(relative(dir, full), readFileSync(full, 'latin1'));
    }
  };
  walk(dir);
  return files;
}

/** Build, and say which stages came from the cache. */
async function build(root: string, targets: StageName[] = ALL): Promise<{ cached: StageName[]; ran: StageName[] }> {
  const events: PipelineEvent[] = [];
  const result = await runPipeline(root, targets, { packageCache: SHARED_PACKAGE_CACHE, onEvent: e => events.push(e) });
  expect(result.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
  const ends = events.flatMap(e => (e.type === 'stage-end' ? [e] : []));
  return {
    cached: ends.filter(e => e.outcome.summary.includes('(unchanged: from the build cache)')).map(e => e.stage),
    ran: ends.filter(e => !e.outcome.summary.includes('(unchanged: from the build cache)')).map(e => e.stage)
  };
}

describe('the stage cache on the guide', () => {
  let root: string;
  let first: Map<string, string>;

  beforeAll(async () => {
    root = copyGuide();
    expect((await build(root)).cached).toEqual([]);
    first = tree(join(root, 'build'));
  }, 240_000);

  it('a build with no change takes every stage from the cache and writes the same output', async () => {
    expect(await build(root)).toEqual({ cached: ['compile', 'validate', 'package', 'site'], ran: ['narrative', 'diff'] });
    expect(tree(join(root, 'build'))).toEqual(first);
  });

  it('a site file edited or removed on disk, a missing report or package: each made again', async () => {
    const page = join(root, 'build', 'site', 'index.html');
    appendFileSync(page, '<!-- edited -->');
    rmSync(join(root, 'build', 'validation.json'));
    rmSync(join(root, 'build', 'package.tgz'));
    const again = await build(root);
    expect(again.cached).toEqual(['compile', 'validate']);
    expect(again.ran).toEqual(['narrative', 'diff', 'package', 'site']);
    expect(tree(join(root, 'build'))).toEqual(first);
    writeFileSync(join(root, 'build', 'site', 'stray.html'), 'not ours');
    expect((await build(root)).ran).toContain('site');
    expect(existsSync(join(root, 'build', 'site', 'stray.html'))).toBe(false);
  }, 120_000);

  it('a dev session started on a built project shows the cached site, then re-renders only an edited page', async () => {
    const session = new DevSession(root, { packageCache: SHARED_PACKAGE_CACHE });
    const start = await session.start();
    expect(start?.steps.find(s => s.startsWith('site:'))).toContain('(unchanged: from the build cache)');
    appendFileSync(join(root, 'input', 'pagecontent', 'index.md'), '\n\nA sentence the dev session renders.\n');
    const edit = await session.apply([{ kind: 'page', path: 'input/pagecontent/index.md', page: 'index.md' }]);
    expect(edit?.steps.find(s => s.startsWith('site:'))).toMatch(/^site: 1 pages re-rendered/);
    expect(readFileSync(join(root, 'build', 'site', 'index.html'), 'utf8')).toContain('A sentence the dev session renders.');
    await session.close();
  }, 240_000);

  it('a page edit reruns the stages that read pages, and the compile (its inputs include input/)', async () => {
    appendFileSync(join(root, 'input', 'pagecontent', 'index.md'), '\n\nA sentence added by the stage cache test.\n');
    const after = await build(root);
    expect(after.ran).toContain('site');
    expect(readFileSync(join(root, 'build', 'site', 'index.html'), 'utf8')).toContain('A sentence added by the stage cache test.');
    expect(await build(root)).toEqual({ cached: ['compile', 'validate', 'package', 'site'], ran: ['narrative', 'diff'] });
  }, 240_000);

  it('an edit to a data file in a path-data folder outside input/ renders the site again, and the page shows it', async () => {
    const config = join(root, 'sushi-config.yaml');
    const original = readFileSync(config, 'utf8');
    writeFileSync(config, original.replace(/^parameters:\n/m, 'parameters:\n  path-data: extra-data\n'));
    mkdirSync(join(root, 'extra-data'), { recursive: true });
    writeFileSync(join(root, 'extra-data', 'team.yml'), 'lead: First Lead\n');
    appendFileSync(join(root, 'input', 'pagecontent', 'index.md'), '\n\nLed by {{ site.data.team.lead }}.\n');
    await build(root);
    expect(readFileSync(join(root, 'build', 'site', 'index.html'), 'utf8')).toContain('Led by First Lead.');
    expect((await build(root)).cached).toContain('site');
    writeFileSync(join(root, 'extra-data', 'team.yml'), 'lead: Second Lead\n');
    const after = await build(root);
    expect(after.ran).toContain('site');
    expect(after.cached).toContain('compile');
    expect(readFileSync(join(root, 'build', 'site', 'index.html'), 'utf8')).toContain('Led by Second Lead.');
  }, 240_000);

  it('an FSH change that alters an example reruns validation, package and site', async () => {
    const file = join(root, 'fsh', 'examples');
    const fsh = readdirSync(file).find(f => f.endsWith('.fsh'))!;
    const text = readFileSync(join(file, fsh), 'utf8');
    const changed = text.replace(/^(Description:\s*")/m, '$1Edited. ');
    expect(changed).not.toBe(text);
    writeFileSync(join(file, fsh), changed);
    const after = await build(root);
    expect(after.cached).toEqual([]);
    writeFileSync(join(file, fsh), text);
  }, 240_000);
});

describe('compiledDigest', () => {
  it('is the same for the same guide, and changes when a stage replaces a resource or adds one', () => {
    const resource = (id: string) => ({ resourceType: 'Basic', id });
    const compiled = { resources: [{ fileName: 'Basic-a.json', resource: resource('a') }], counts: {} };
    const ctx = { compiled } as unknown as BuildContext;
    const first = compiledDigest(ctx);
    expect(compiledDigest(ctx)).toBe(first);
    // Field order does not matter: a cached compile and a fresh one list them differently.
    const reordered = { compiled: { resources: [{ resource: resource('a'), fileName: 'Basic-a.json' }], counts: {} } } as unknown as BuildContext;
    expect(compiledDigest(reordered)).toBe(first);
    compiled.resources[0]!.resource = resource('b');
    const replaced = compiledDigest(ctx);
    expect(replaced).not.toBe(first);
    compiled.resources.push({ fileName: 'Basic-c.json', resource: resource('c') });
    expect(compiledDigest(ctx)).not.toBe(replaced);
  });
});

describe('stage cache entries', () => {
  it('reads back what was written, and drops an entry that was edited, truncated or filed under another key', () => {
    const root = tempDir();
    const body = { diagnostics: [], summary: 's', saved: { n: 1 } };
    const accept = (b: unknown): b is typeof body => typeof b === 'object' && b !== null;
    writeStageEntry(root, 'validate', 'k1', body);
    expect(readStageEntry(root, 'validate', 'k1', accept)).toEqual(body);
    const file = join(stageCacheDir(root, 'validate'), 'k1.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"n":1', '"n":2'));
    expect(readStageEntry(root, 'validate', 'k1', accept)).toBeUndefined();
    expect(existsSync(file)).toBe(false);
    writeStageEntry(root, 'validate', 'k2', body);
    const text = readFileSync(join(stageCacheDir(root, 'validate'), 'k2.json'), 'utf8');
    writeFileSync(join(stageCacheDir(root, 'validate'), 'k3.json'), text);
    expect(readStageEntry(root, 'validate', 'k3', accept)).toBeUndefined();
    writeFileSync(join(stageCacheDir(root, 'validate'), 'k2.json'), text.slice(0, text.length - 5));
    expect(readStageEntry(root, 'validate', 'k2', accept)).toBeUndefined();
    writeStageEntry(root, 'site', 'k4', body);
    expect(readStageEntry(root, 'site', 'k4', (_b: unknown): _b is never => false)).toBeUndefined();
  });

  it('keeps a few entries per stage, not every one', () => {
    const root = tempDir();
    for (let i = 0; i < 8; i++) writeStageEntry(root, 'package', `k${i}`, { diagnostics: [], summary: '', saved: i });
    expect(readdirSync(stageCacheDir(root, 'package')).length).toBeLessThanOrEqual(4);
    expect(readStageEntry(root, 'package', 'k7', (_b: unknown): _b is object => true)).toBeDefined();
  });
});
