/**
 * `{% sql %}` end to end: a guide's page lists its artifacts with the IG Publisher's SQL tag, built
 * with the CLI users run (the bundle in dist/, its query thread and sql.js found from there).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGuide, copyGuide, leftovers, mainOf, readText, type GuideBuild } from '../guides/helpers.ts';

const PAGE = [
  '# Artifacts by SQL',
  '',
  '{% sql { "query" : "SELECT Name, Description, Web FROM Resources WHERE Type = \'StructureDefinition\'", "class" : "grid", "columns" : [ { "title" : "Name", "type" : "link", "source" : "Name", "target" : "Web" }, { "title" : "Description", "type" : "markdown", "source" : "Description" } ] } %}',
  '',
  "Examples: {% sql SELECT count(*) FROM Resources WHERE Type = 'Observation' %}.",
  '',
  '{% sql SELECT Nope FROM Resources %}',
  ''
].join('\n');

describe('a page with {% sql %} tags, built with the CLI', () => {
  let root: string;
  let result: GuideBuild;

  beforeAll(async () => {
    root = copyGuide('free-pages');
    writeFileSync(join(root, 'input', 'pages', 'sql-list.md'), PAGE);
    result = await buildGuide(root);
  }, 120_000);

  it("gets its tables from the guide's resources, and a located warning for the query that fails", () => {
    // (The site's own errors: the validation of the fixture is other tests' business.)
    expect(result.diagnostics.filter(d => d.severity === 'error' && d.rule.startsWith('site'))).toEqual([]);
    const page = mainOf(readText(join(root, 'build', 'site', 'sql-list.html')));
    expect(page).toContain(
      '<table class="grid"><thead><tr><th scope="col">Name</th><th scope="col">Description</th></tr></thead><tbody><tr><td><a href="StructureDefinition-fixture-referral.html">FixtureReferral</a></td><td>A logical model of a referral.</td></tr></tbody></table>'
    );
    expect(page).toContain('Examples: 1.');
    expect(page).toContain('Error processing SQL: no such column: Nope');
    expect(result.diagnostics.filter(d => d.rule === 'site-sql')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        location: { file: 'input/pages/sql-list.md', line: 7 },
        message: expect.stringContaining('no such column: Nope')
      })
    ]);
    expect(leftovers(readText(join(root, 'build', 'site', 'sql-list.html')))).toEqual([]);
    expect(result.diagnostics.filter(d => d.rule === 'site-broken-link')).toEqual([]);
  });
});
