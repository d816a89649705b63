/**
 * The layer rules (.dependency-cruiser.cjs) catch what they promise: run on small trees laid out
 * like scripts/, each with one forbidden import, dependency-cruiser names the rule; a tree that
 * keeps to the layers passes. (`npm run check:layers` runs the same rules on the real sources.)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/project.ts';

const CRUISER = join(REPO_ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const CONFIG = join(REPO_ROOT, '.dependency-cruiser.cjs');
const made: string[] = [];
afterAll(() => made.forEach(dir => rmSync(dir, { recursive: true, force: true })));

/** A project holding `files` (path under the project -> source), cruised with the real rules: the rules broken. */
function brokenRules(files: Record<string, string>): string[] {
  const root = mkdtempSync(join(tmpdir(), 'vm-ig-layers-'));
  made.push(root);
  const all = {
    'package.json': '{ "name": "layers-fixture", "type": "module" }',
    'tsconfig.json': '{ "compilerOptions": { "module": "nodenext", "allowImportingTsExtensions": true, "noEmit": true } }',
    'scripts/cli.ts': "import './util/a.ts';\n",
    'scripts/util/a.ts': 'export const a = 1;\n',
    ...files
  };
  for (const [rel, text] of Object.entries(all)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  const out = execFileSync(process.execPath, [CRUISER, 'scripts', '--config', CONFIG, '--output-type', 'json', '--no-progress'], {
    cwd: root,
    encoding: 'utf8'
  });
  const report = JSON.parse(out) as { summary: { violations: { rule: { name: string } }[] } };
  return [...new Set(report.summary.violations.map(v => v.rule.name))].sort();
}

describe('layer rules', () => {
  it('pass a tree that keeps to the layers', () => {
    expect(
      brokenRules({
        'scripts/model/m.ts': "import { a } from '../util/a.ts';\nexport const m = a;\n",
        'scripts/pipeline/context.ts': "import { m } from '../model/m.ts';\nexport const c = m;\n",
        'scripts/stages/compile/stage.ts': "import { c } from '../../pipeline/context.ts';\nexport const s = c;\n",
        'scripts/pipeline/sequencer.ts': "import { s } from '../stages/compile/stage.ts';\nexport const q = s;\n"
      })
    ).toEqual([]);
  });

  it('refuse a stage importing another stage', () => {
    expect(
      brokenRules({
        'scripts/stages/compile/cache.ts': 'export const key = 1;\n',
        'scripts/stages/render/cache.ts': "import { key } from '../compile/cache.ts';\nexport const k = key;\n"
      })
    ).toEqual(['stages-never-import-each-other']);
  });

  it('refuse an import up a layer (util into fhir, a stage into the sequencer)', () => {
    expect(
      brokenRules({
        'scripts/fhir/f.ts': 'export const f = 1;\n',
        'scripts/util/b.ts': "import { f } from '../fhir/f.ts';\nexport const b = f;\n",
        'scripts/pipeline/sequencer.ts': 'export const q = 1;\n',
        'scripts/stages/narrative/stage.ts': "import { q } from '../../pipeline/sequencer.ts';\nexport const n = q;\n"
      })
    ).toEqual(['stages-below-the-sequencer', 'util-imports-only-lower-layers']);
  });

  it('refuse an import cycle, even through type-only imports', () => {
    expect(
      brokenRules({
        'scripts/fhir/x.ts': "import type { Y } from './y.ts';\nexport interface X { y?: Y }\n",
        'scripts/fhir/y.ts': "import type { X } from './x.ts';\nexport interface Y { x?: X }\n"
      })
    ).toEqual(['no-cycles']);
  });

  it('refuse a module loose at the top of scripts/', () => {
    expect(
      brokenRules({
        'scripts/loose.ts': "import { a } from './util/a.ts';\nexport const l = a;\n",
        'scripts/util/c.ts': "import { l } from '../loose.ts';\nexport const c = l;\n"
      })
    ).toEqual(['nothing-imports-a-loose-module', 'nothing-loose-in-scripts', 'util-imports-only-lower-layers']);
  });
});
