/**
 * One runtime-file locator: util/toolchain-files.ts is the only module under scripts/ that reads
 * `import.meta.url` (bundled, a module's URL is a chunk in dist/, not its place under scripts/).
 * Any use of `import.meta` counts (`.url`, `.dirname`, `.filename`, `.resolve`, destructured), found
 * in the syntax tree, so a comment that names it does not.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/project.ts';

const SCRIPTS = join(REPO_ROOT, 'scripts');
const LOCATOR = 'util/toolchain-files.ts';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|mts|js|mjs)$/.test(e.name) ? [join(dir, e.name)] : []
  );
}

/** How many times the module's code uses `import.meta`. */
function importMetaUses(file: string, text = readFileSync(file, 'utf8')): number {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  let found = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.ImportKeyword) found++;
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('import.meta.url', () => {
  it('is read by util/toolchain-files.ts only', () => {
    const readers = sources(SCRIPTS)
      .filter(f => importMetaUses(f) > 0)
      .map(f => relative(SCRIPTS, f).split('\\').join('/'));
    expect(readers).toEqual([LOCATOR]);
  });

  it('is found in code and not in comments', () => {
    expect(importMetaUses('a.ts', 'const here = new URL(".", import.meta.url);')).toBe(1);
    expect(importMetaUses('a.ts', 'const { dirname } = import.meta; // import.meta.url')).toBe(1);
    expect(importMetaUses('a.ts', 'const here = import.meta.resolve("./x.ts");')).toBe(1);
    expect(importMetaUses('a.ts', '/** not import.meta.url */ const x = 1;')).toBe(0);
  });
});
