/**
 * One sequencer: `vm-ig build`, `vm-ig validate` and the dev session run the same stages through
 * the pipeline table, so on the real guide they give the same validation report and the same site.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DevSession } from '../scripts/apps/dev/session.ts';
import { themeHooks } from '../scripts/apps/dev/theme.ts';
import { runPipeline, STAGES, type PipelineEvent } from '../scripts/pipeline/sequencer.ts';
import { validateCommand } from '../scripts/commands/validate.ts';
import { copyGuide, SHARED_PACKAGE_CACHE } from './helpers/project.ts';

function tree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(relative(dir, full), readFileSync(full));
    }
  };
  walk(dir);
  return files;
}

function differences(a: Map<string, Buffer>, b: Map<string, Buffer>): string[] {
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].filter(n => !a.get(n) || !b.get(n) || !a.get(n)!.equals(b.get(n)!)).sort();
}

describe('one sequencer on the guide', () => {
  let built: string;
  const events: PipelineEvent[] = [];

  beforeAll(async () => {
    built = copyGuide();
    const result = await runPipeline(
      built,
      STAGES.map(s => s.name),
      { packageCache: SHARED_PACKAGE_CACHE, onEvent: e => events.push(e) }
    );
    expect(result.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
  }, 180_000);

  it('emits a start and an end event for every stage, in table order', () => {
    expect(events.map(e => `${e.type} ${e.stage} ${e.index + 1}/${e.total}`)).toEqual(
      STAGES.flatMap((s, i) => [`stage-start ${s.name} ${i + 1}/${STAGES.length}`, `stage-end ${s.name} ${i + 1}/${STAGES.length}`])
    );
  });

  it('with threads (validation on a second thread, beside the pages) it writes the same site, package and report', async () => {
    const root = copyGuide();
    const threaded: PipelineEvent[] = [];
    const result = await runPipeline(
      root,
      STAGES.map(s => s.name),
      { packageCache: SHARED_PACKAGE_CACHE, threads: true, onEvent: e => threaded.push(e) }
    );
    expect(result.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
    expect(result.ran).toEqual(STAGES.map(s => s.name));
    // The site starts before validation ends (it overlaps), yet every stage starts and ends once.
    const order = threaded.map(e => `${e.type} ${e.stage}`);
    expect(order.indexOf('stage-start site')).toBeLessThan(order.indexOf('stage-end validate'));
    expect([...order].sort()).toEqual(events.map(e => `${e.type} ${e.stage}`).sort());
    expect(differences(tree(join(root, 'build', 'site')), tree(join(built, 'build', 'site')))).toEqual([]);
    expect(readFileSync(join(root, 'build', 'package.tgz')).equals(readFileSync(join(built, 'build', 'package.tgz')))).toBe(true);
    expect(
      readFileSync(join(root, 'build', 'validation.json'), 'utf8')
        .split(root)
        .join(built)
    ).toBe(readFileSync(join(built, 'build', 'validation.json'), 'utf8'));
    // Run again unchanged: every stage from the build cache, the site included (its key is known before validation ends).
    const again = await runPipeline(
      root,
      STAGES.map(s => s.name),
      { packageCache: SHARED_PACKAGE_CACHE, threads: true, onEvent: e => threaded.push(e) }
    );
    expect(again.ran).toEqual(STAGES.map(s => s.name));
    const summaries = threaded
      .slice(order.length)
      .flatMap(e => (e.type === 'stage-end' && e.stage !== 'narrative' && e.stage !== 'diff' ? [e.outcome.summary] : []));
    expect(summaries.every(t => t.endsWith('(unchanged: from the build cache)'))).toBe(true);
  }, 180_000);

  it('vm-ig validate writes the same report as vm-ig build (narrative stage included)', async () => {
    const fromBuild = readFileSync(join(built, 'build', 'validation.json'), 'utf8');
    const root = copyGuide();
    const code = await validateCommand({ root, files: [], format: 'json', load: [], print: () => {}, packageCache: SHARED_PACKAGE_CACHE });
    expect(code).toBe(0);
    const fromValidate = readFileSync(join(root, 'build', 'validation.json'), 'utf8')
      .split(root)
      .join(built);
    expect(fromValidate).toBe(fromBuild);
  }, 180_000);

  it("dev's first build writes the same site and package as vm-ig build, byte for byte", async () => {
    const root = copyGuide();
    const session = new DevSession(root, { packageCache: SHARED_PACKAGE_CACHE, theme: themeHooks });
    const first = await session.start();
    await session.close();
    expect(first?.siteChanged).toBe(true);
    expect(differences(tree(join(root, 'build', 'site')), tree(join(built, 'build', 'site')))).toEqual([]);
    expect(readFileSync(join(root, 'build', 'package.tgz')).equals(readFileSync(join(built, 'build', 'package.tgz')))).toBe(true);
  }, 180_000);

  it('after FSH edits, dev writes the site and package a fresh build of the same sources writes', async () => {
    const root = copyGuide();
    const session = new DevSession(root, { packageCache: SHARED_PACKAGE_CACHE, theme: themeHooks });
    await session.start();
    // Two edits: an example's title, then a profile's description (dev writes only what changed).
    const edits: [string, RegExp, string][] = [
      ['fsh/examples/observations.fsh', /^(Title:\s*")/m, '$1Edited '],
      ['fsh/profiles/audit.fsh', /^(Description:\s*")/m, '$1Edited. ']
    ];
    for (const [file, pattern, replacement] of edits) {
      const path = join(root, file);
      const text = readFileSync(path, 'utf8');
      expect(pattern.test(text)).toBe(true);
      writeFileSync(path, text.replace(pattern, replacement));
      const outcome = await session.apply([{ kind: 'compile', path: file }]);
      expect(outcome?.siteChanged).toBe(true);
    }
    await session.close();
    const fresh = copyGuide();
    for (const [file] of edits) writeFileSync(join(fresh, file), readFileSync(join(root, file)));
    const result = await runPipeline(
      fresh,
      STAGES.map(s => s.name),
      { packageCache: SHARED_PACKAGE_CACHE }
    );
    expect(result.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
    expect(differences(tree(join(root, 'build', 'site')), tree(join(fresh, 'build', 'site')))).toEqual([]);
    expect(readFileSync(join(root, 'build', 'package.tgz')).equals(readFileSync(join(fresh, 'build', 'package.tgz')))).toBe(true);
  }, 300_000);
});
