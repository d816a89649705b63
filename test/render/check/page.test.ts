/**
 * check.html in the rendered site (the mini fixture guide, with "try an error" samples from its
 * input/check-errors): the page and its payload are there, sample text stays escaped text, and
 * example pages link to it without broken links. A bad manifest is a warning, not a failure.
 */
import { describe, expect, it } from 'vitest';
import { readCheckErrors } from '../../../scripts/stages/render/check/samples.ts';
import { join } from 'node:path';
import { compiledContext } from '../helpers.ts';
import { checkAssetsFor, renderContext } from '../site-fixture.ts';
import { liveScriptProblems } from '../html-checks.ts';

const HOSTILE = '{"resourceType":"Observation","status":"final","code":{"text":"</div><script>alert(1)</script>"}}';

describe('the check page', () => {
  it('renders with its payload, escaped samples and links from example pages', async () => {
    const ctx = await compiledContext({
      'input/check-errors/manifest.json': JSON.stringify([{ file: 'bad.json', title: 'A <b>bold</b> try', description: 'Script "in" text' }]),
      'input/check-errors/bad.json': HOSTILE,
      'input/check-errors/other.xml': '<Patient xmlns="http://hl7.org/fhir"/>'
    });
    const check = await checkAssetsFor(ctx);
    expect(check.errors.map(e => e.name)).toEqual(['bad.json', 'other.xml']);
    const site = renderContext(ctx, check);
    const html = String(site.files.get('check.html'));
    expect(site.pages).toContain('check.html');
    expect(site.brokenLinks).toEqual([]);
    expect(liveScriptProblems(html).filter(p => !p.includes('assets/js/check-'))).toEqual([]);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('A &lt;b&gt;bold&lt;/b&gt; try');
    for (const path of [check.validator, check.definitions, check.script]) expect(site.files.has(path), path).toBe(true);
    const data = JSON.parse(
      /data-json="([^"]*)"/
        .exec(html)![1]!
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&#61;/g, '=')
        .replace(/&#96;/g, '`')
        .replace(/&amp;/g, '&')
    ) as { errors: { text: string }[]; validator: string };
    expect(data.errors[0]!.text).toBe(HOSTILE);
    expect(data.validator).toBe(check.validator);
    const examples = site.pages.filter(p => String(site.files.get(p)).includes('<h2 id="narrative">'));
    expect(examples.length).toBeGreaterThan(0);
    for (const p of examples) expect(String(site.files.get(p)), p).toContain('href="check.html"');
  }, 120_000);

  it('reports a broken manifest as a warning with its file and still offers the samples', async () => {
    const ctx = await compiledContext({ 'input/check-errors/manifest.json': '{ not json', 'input/check-errors/a.json': '{}' });
    const { samples, diagnostics } = readCheckErrors(join(ctx.paths.input, 'check-errors'));
    expect(samples.map(s => s.name)).toEqual(['a.json']);
    expect(diagnostics).toMatchObject([{ severity: 'warning', rule: 'check-sample', location: { file: 'input/check-errors/manifest.json' } }]);
  });

  it('has no page and no links to it without a payload', async () => {
    const site = renderContext(await compiledContext());
    expect(site.pages).not.toContain('check.html');
    for (const p of site.pages) expect(String(site.files.get(p)), p).not.toContain('href="check.html"');
  });
});
