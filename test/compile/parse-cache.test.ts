/**
 * The dev loop's parse cache: an unchanged file and an unchanged generated rule set (an insert
 * with parameters) are not parsed again, and a parse that logged an error is never kept, so the
 * error is reported on every compile, not only the first.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFsh, readSushiConfig, type ParseCache } from '../../scripts/stages/compile/compile.ts';
import { withSushiLog } from '../../scripts/stages/compile/sushi-log.ts';
import { projectPaths } from '../../scripts/project/paths.ts';
import { makeProject, MINIMAL_CONFIG } from '../helpers/project.ts';

const FSH = [
  'RuleSet: Card(path, card)',
  '* {path} {card}',
  '',
  'Profile: P',
  'Parent: Observation',
  '* insert Card(note, 0..1)',
  '* insert Card(subject, 1..1)',
  ''
].join('\n');

async function parse(root: string, cache: ParseCache) {
  const paths = projectPaths(root);
  return withSushiLog(root, async () => parseFsh(paths, readSushiConfig(paths)!, cache));
}

describe('parse cache', () => {
  it('keeps the trees of files and of generated rule sets, and drops generated ones no longer inserted', async () => {
    const root = makeProject({ 'sushi-config.yaml': MINIMAL_CONFIG, 'fsh/p.fsh': FSH });
    const cache: ParseCache = new Map();
    await parse(root, cache);
    const generated = [...cache.keys()].filter(k => k.startsWith('\u0000'));
    expect(generated).toHaveLength(2);
    const trees = new Map([...cache].map(([k, v]) => [k, v.tree]));
    await parse(root, cache);
    for (const [k, v] of cache) expect(v.tree).toBe(trees.get(k));
    writeFileSync(`${root}/fsh/p.fsh`, FSH.replace('* insert Card(subject, 1..1)\n', ''));
    await parse(root, cache);
    expect([...cache.keys()].filter(k => k.startsWith('\u0000'))).toHaveLength(1);
  });

  it('reports a generated rule set that does not parse on every compile', async () => {
    const broken = FSH.replace('* insert Card(subject, 1..1)', '* insert Card(subject, "1..1 ^^ bad")');
    const root = makeProject({ 'sushi-config.yaml': MINIMAL_CONFIG, 'fsh/p.fsh': broken });
    const cache: ParseCache = new Map();
    const first = await parse(root, cache);
    const second = await parse(root, cache);
    const errors = (d: { diagnostics: { severity: string; message: string }[] }) => d.diagnostics.filter(x => x.severity === 'error').map(x => x.message);
    expect(errors(first).length).toBeGreaterThan(0);
    expect(errors(second)).toEqual(errors(first));
  });
});
