/** The site checker on a site checked before (a dev session's re-render): the findings are the site's as it is now. */
import { describe, expect, it } from 'vitest';
import { checkSite } from '../../scripts/stages/render/qa/site-check.ts';

describe('the site checker, run again on a changed site', () => {
  it('finds what a changed page breaks in unchanged pages, and forgets what it fixed', () => {
    const linking = '<p><a href="b.html#part">to b</a> <a href="c.html">to c</a></p>';
    const first = checkSite(
      new Map([
        ['a.html', linking],
        ['b.html', '<h2 id="part">Part</h2>']
      ]),
      new Set()
    );
    expect(first.map(f => [f.page, f.kind, f.detail])).toEqual([['a.html', 'broken-link', 'c.html']]);
    const second = checkSite(
      new Map([
        ['a.html', linking],
        ['b.html', '<h2 id="renamed">Part</h2>'],
        ['c.html', '<p>now here</p>']
      ]),
      new Set()
    );
    expect(second.map(f => [f.page, f.kind, f.detail])).toEqual([['a.html', 'broken-anchor', 'b.html#part']]);
    // Findings handed out are the caller's: changing them changes nothing in a later run.
    second[0]!.detail = 'changed';
    const third = checkSite(
      new Map([
        ['a.html', linking],
        ['b.html', '<h2 id="renamed">Part</h2> {{ left }}'],
        ['c.html', '<p>now here</p>']
      ]),
      new Set()
    );
    expect(third.map(f => [f.page, f.kind, f.detail])).toEqual([
      ['a.html', 'broken-anchor', 'b.html#part'],
      ['b.html', 'literal-liquid', '{{ left }}']
    ]);
  });
});
