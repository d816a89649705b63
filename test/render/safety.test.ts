/**
 * User text can never become script in the site: hostile markup, URLs and template syntax in an
 * FSH description, an element short, a page and example values reach the HTML as inert text.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SiteOutput } from '../../scripts/stages/render/site.ts';
import { compiledContext } from './helpers.ts';
import { liveScriptProblems } from './html-checks.ts';
import { HOSTILE_FILES } from './safety-fixture.ts';
import { renderContext } from './site-fixture.ts';

let site: SiteOutput;
const page = (path: string) => String(site.files.get(path));

beforeAll(async () => {
  site = renderContext(await compiledContext(HOSTILE_FILES));
});

describe('hostile user text', () => {
  it('renders the hostile pages at all', () => {
    for (const p of ['hostile.html', 'StructureDefinition-hostile-profile.html', 'Patient-hostile-example.html']) expect(site.pages).toContain(p);
  });

  it('leaves no live script, handler or javascript:/data: URL in any page', () => {
    for (const path of site.pages) expect(liveScriptProblems(page(path)), path).toEqual([]);
  });

  it('passes raw HTML in a page through the allow-list: script, handlers and javascript: links removed', () => {
    const html = page('hostile.html');
    const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
    expect(main).not.toContain('window.__pwned = 1');
    expect(main).not.toMatch(/<script|onerror=|="javascript:/i);
    expect(main).toMatch(/<img src="x" \/>|<img src="x">/);
    expect(html).not.toMatch(/<a[^>]*>click me<\/a>/);
    expect(main).toContain('[click me](javascript:window.__pwned');
    expect(main).toContain('<a>raw link</a>');
  });

  it('never evaluates template syntax from FSH text; page Liquid has no way out of its data', () => {
    expect(page('StructureDefinition-hostile-profile.html')).toContain('{{7*7}}');
    for (const path of site.pages) expect(page(path)).not.toMatch(/>\s*49\s*</);
    expect(page('hostile.html')).not.toContain('{{');
    expect(site.diagnostics.some(d => d.rule === 'site-liquid' && d.location?.file === 'input/pagecontent/hostile.md')).toBe(true);
  });

  it('escapes element shorts and example values', () => {
    expect(page('StructureDefinition-hostile-profile.html')).toContain('&lt;script&gt;window.__pwned &#61; 1&lt;/script&gt;');
    expect(page('Patient-hostile-example.html')).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;');
  });

  it('sanitises the example narrative to an allow-list', () => {
    const narrative = /<div class="vm-narrative">([\s\S]*?)<\/div>\n<h2/.exec(page('Patient-hostile-example.html'))![1]!;
    expect(narrative).toContain('<p>Patient</p>');
    expect(narrative).not.toMatch(/<script|onerror|<img|javascript:/i);
  });
});
