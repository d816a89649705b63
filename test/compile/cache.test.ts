/**
 * The compile stage's build cache: a second build of unchanged sources takes the compile from
 * the cache and gives the same result; an edit, a corrupt entry or an entry filed under another
 * key is never trusted (the compile runs again and the result is right).
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheDir } from '../../scripts/stages/compile/cache.ts';
import { loadContext, runPipeline, runStages } from '../../scripts/pipeline/sequencer.ts';
import { makeProject, REPO_ROOT, SHARED_PACKAGE_CACHE } from '../helpers/project.ts';

const STARTER = join(REPO_ROOT, 'test', 'fixtures', 'compile', 'starter');
const options = { packageCache: SHARED_PACKAGE_CACHE, userPackageCache: join(REPO_ROOT, 'test', 'fixtures', 'no-such-dir') };

async function compile(root: string) {
  const lines: string[] = [];
  const result = await runPipeline(root, ['compile'], { ...options, onEvent: e => void (e.type === 'stage-end' && lines.push(e.outcome.summary)) });
  const resources = result.ctx!.compiled!.resources.map(r => [r.fileName, JSON.stringify(r.resource), r.source?.file, r.usage]);
  return {
    cached: lines.some(l => l.includes('from the build cache')),
    loadedPackages: result.ctx!.compiled!.loadedPackages,
    resources,
    diagnostics: result.diagnostics,
    generated: tree(join(root, 'fsh-generated'))
  };
}

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[join(entry.parentPath, entry.name).slice(dir.length)] = readFileSync(join(entry.parentPath, entry.name), 'utf8');
  }
  return out;
}

function entries(root: string): string[] {
  const dir = join(root, '.vm-ig-cache', 'compile');
  return existsSync(dir) ? readdirSync(dir).map(f => join(dir, f)) : [];
}

describe('the compile build cache', () => {
  it('reuses an unchanged compile, recompiles after an edit, and restores fsh-generated/', async () => {
    const root = makeProject({}, STARTER);
    const first = await compile(root);
    expect(first.cached).toBe(false);
    expect(entries(root)).toHaveLength(1);

    const second = await compile(root);
    expect(second.cached).toBe(true);
    expect(second.resources).toEqual(first.resources);
    // The packages the compile loaded come back with it (the validate stage loads the same versions).
    expect(first.loadedPackages).toContain('hl7.fhir.r4.core#4.0.1');
    expect(second.loadedPackages).toEqual(first.loadedPackages);
    expect(second.generated).toEqual(first.generated);

    // A deleted output is restored from the cache.
    rmSync(join(root, 'fsh-generated'), { recursive: true });
    const restored = await compile(root);
    expect(restored.cached).toBe(true);
    expect(restored.generated).toEqual(first.generated);

    // An edit changes the key: compiled again, and the new text is in the output.
    const fshFile = readdirSync(join(root, 'fsh'), { recursive: true })
      .map(String)
      .find(f => f.endsWith('.fsh'))!;
    const path = join(root, 'fsh', fshFile);
    writeFileSync(path, `${readFileSync(path, 'utf8')}\nCodeSystem: CacheProbe\nId: cache-probe\nTitle: "Cache probe"\n* #a "A"\n`);
    const edited = await compile(root);
    expect(edited.cached).toBe(false);
    expect(edited.resources.map(r => r[0])).toContain('CodeSystem-cache-probe.json');
    expect((await compile(root)).cached).toBe(true);
  });

  it('never trusts a corrupt, truncated or misfiled entry', async () => {
    const root = makeProject({}, STARTER);
    const good = await compile(root);
    const [entry] = entries(root);
    const text = readFileSync(entry!, 'utf8');

    // One changed byte in the payload: the hash does not match.
    const at = text.indexOf('CodeSystem', text.indexOf('\n'));
    expect(at).toBeGreaterThan(0);
    writeFileSync(entry!, `${text.slice(0, at)}CodeSystex${text.slice(at + 'CodeSystem'.length)}`);
    const afterCorrupt = await compile(root);
    expect(afterCorrupt.cached).toBe(false);
    expect(afterCorrupt.resources).toEqual(good.resources);

    writeFileSync(entries(root)[0]!, text.slice(0, text.length / 2));
    expect((await compile(root)).cached).toBe(false);

    // A well-formed entry of other sources, filed under this key, is refused too.
    const other = makeProject({}, STARTER);
    writeFileSync(join(other, 'sushi-config.yaml'), readFileSync(join(other, 'sushi-config.yaml'), 'utf8').replace(/title: .*/, 'title: Another title'));
    await compile(other);
    writeFileSync(entries(root)[0]!, readFileSync(entries(other)[0]!));
    const misfiled = await compile(root);
    expect(misfiled.cached).toBe(false);
    expect(misfiled.resources).toEqual(good.resources);
    expect(cacheDir({ root } as never)).toBe(join(root, '.vm-ig-cache', 'compile'));
  });

  it('refuses an entry that would write outside fsh-generated/', async () => {
    const root = makeProject({}, STARTER);
    await compile(root);
    const [entry] = entries(root);
    const text = readFileSync(entry!, 'utf8');
    const newline = text.indexOf('\n');
    const header = JSON.parse(text.slice(0, newline));
    const payload = JSON.parse(text.slice(newline + 1));
    payload.files['../escaped.txt'] = 'x';
    const body = JSON.stringify(payload);
    const { createHash } = await import('node:crypto');
    header.sha256 = createHash('sha256').update(body).digest('hex');
    writeFileSync(entry!, `${JSON.stringify(header)}\n${body}`);
    rmSync(join(root, 'fsh-generated'), { recursive: true });
    expect((await compile(root)).cached).toBe(false);
    expect(existsSync(join(root, 'escaped.txt'))).toBe(false);
  });

  it('compiles a context again incrementally (the dev session), with the output of a full compile', async () => {
    const root = makeProject({}, STARTER);
    const { ctx } = loadContext(root, options);
    const summaries: string[] = [];
    const compileOnce = () => runStages(ctx!, ['compile'], { onEvent: e => void (e.type === 'stage-end' && summaries.push(e.outcome.summary)) });
    await compileOnce();
    const fshFile = readdirSync(join(root, 'fsh'), { recursive: true })
      .map(String)
      .find(f => f.endsWith('.fsh'))!;
    const path = join(root, 'fsh', fshFile);
    writeFileSync(path, `${readFileSync(path, 'utf8')}\nCodeSystem: Incremental\nId: incremental\nTitle: "Incremental"\n* #a "A"\n`);
    await compileOnce();
    expect(summaries[1]).toContain('(incremental)');
    const incremental = tree(join(root, 'fsh-generated'));
    rmSync(join(root, '.vm-ig-cache'), { recursive: true });
    await runPipeline(root, ['compile'], options);
    expect(tree(join(root, 'fsh-generated'))).toEqual(incremental);
    expect(Object.keys(incremental)).toContain('/resources/CodeSystem-incremental.json');
  });
});
