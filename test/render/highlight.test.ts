/**
 * The JSON fast path of the highlighter gives exactly what highlight.js gives, on every JSON
 * fixture of the repository (as written and as the renderer pretty-prints it) and on edge cases;
 * what it does not recognise it leaves to highlight.js.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { highlightCode, hljsMarkup, jsonMarkup } from '../../scripts/render/highlight.ts';
import { REPO_ROOT } from '../helpers/project.ts';

function jsonFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter(f => f.endsWith('.json')).map(f => join(dir, f));
}

describe('JSON highlighting', () => {
  it('matches highlight.js on every JSON fixture, as written and pretty-printed', () => {
    let fast = 0;
    for (const file of [...jsonFiles(join(REPO_ROOT, 'test', 'fixtures')), ...jsonFiles(join(REPO_ROOT, 'input'))]) {
      const text = readFileSync(file, 'utf8');
      const texts = [text];
      try {
        texts.push(JSON.stringify(JSON.parse(text), null, 2));
      } catch {
        // not JSON: only as written
      }
      for (const t of texts) {
        const mine = jsonMarkup(t);
        if (mine === undefined) continue;
        fast++;
        expect(mine, file).toBe(hljsMarkup(t, 'json'));
      }
    }
    expect(fast).toBeGreaterThan(200);
  });

  it('matches highlight.js on strings, numbers and literals that need care', () => {
    const value = {
      html: `<div class="a">it's & "quoted"</div>`,
      escapes: 'line\nbreak\ttab \\ back \u2028 \u00e9 \ud83d\ude00',
      colon: 'a: b',
      numbers: [0, -1, 1.5, -0.25, 1e21, 1e-7, 123456789012],
      literals: [true, false, null],
      nested: { '': '', 'key with space': [[], {}] }
    };
    for (const text of [JSON.stringify(value, null, 2), JSON.stringify(value), JSON.stringify(value, null, '\t')]) {
      expect(jsonMarkup(text)).toBe(hljsMarkup(text, 'json'));
    }
  });

  it('leaves what is not strict JSON to highlight.js', () => {
    for (const text of ["{ 'a': 1 }", '{ "a": NaN }', '// comment\n{}', '{ "a": 0x1F }', '{ "a": 1 } <b>', 'truely']) {
      expect(jsonMarkup(text), text).toBeUndefined();
      expect(highlightCode(text, 'json')).toBe(hljsMarkup(text, 'json'));
    }
  });
});
