/** The markdown adapter: raw HTML off, unsafe links dropped, heading ids and levels, external images. */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../scripts/stages/render/markdown.ts';
import { html, escapeHtml } from '../../scripts/stages/render/html.ts';

describe('renderMarkdown', () => {
  it('escapes raw HTML instead of passing it through', () => {
    expect(renderMarkdown('a <script>x()</script> <b onclick="y()">b</b>').html).toBe(
      '<p>a &lt;script&gt;x()&lt;/script&gt; &lt;b onclick=&quot;y()&quot;&gt;b&lt;/b&gt;</p>\n'
    );
  });

  it.each(['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd'])('drops %s links', url => {
    expect(renderMarkdown(`[x](${url})`).html).not.toContain('<a');
  });

  it('keeps http(s), mailto, relative and fragment links', () => {
    const out = renderMarkdown('[a](https://x.org) [b](mailto:a@b.c) [c](Patient-x.html#y) [d](#z)').html;
    expect([...out.matchAll(/href="([^"]*)"/g)].map(m => m[1])).toEqual(['https://x.org', 'mailto:a@b.c', 'Patient-x.html#y', '#z']);
  });

  it('moves the top heading to the requested level, keeps relative levels, and gives unique ids', () => {
    const out = renderMarkdown('### Intro\n\n#### Detail\n\n### Intro', { topLevel: 2 });
    expect(out.html).toBe('<h2 id="intro">Intro</h2>\n<h3 id="detail">Detail</h3>\n<h2 id="intro-1">Intro</h2>\n');
    expect(out.headings).toEqual([
      { level: 2, id: 'intro', text: 'Intro' },
      { level: 3, id: 'detail', text: 'Detail' },
      { level: 2, id: 'intro-1', text: 'Intro' }
    ]);
  });

  it('turns external images into links so the site loads nothing from the network', () => {
    expect(renderMarkdown('![A diagram](https://x.org/d.png) ![Local](d.png)').html).toBe(
      '<p><a href="https://x.org/d.png">A diagram</a> <img src="d.png" alt="Local"></p>\n'
    );
  });

  it('rewrites links through the given function', () => {
    expect(renderMarkdown('[a](observation.html#notes)', { rewriteLink: h => `https://hl7.org/fhir/R4/${h}` }).html).toContain(
      'href="https://hl7.org/fhir/R4/observation.html#notes"'
    );
  });

  it('unwraps a single paragraph for inline use', () => {
    expect(renderMarkdown('**x**', { inline: true }).html).toBe('<strong>x</strong>');
  });
});

describe('html templates', () => {
  it('escapes interpolated text but not nested templates', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"x" & y'}">${inner}${['<', 1]}</p>`.value).toBe('<p title="&quot;x&quot; &amp; y"><b>&lt;i&gt;</b>&lt;1</p>');
    expect(escapeHtml("'`=")).toBe('&#39;&#96;&#61;');
  });
});

describe('heading ids as the IG Publisher makes them (kramdown GFM)', () => {
  it('keeps leading digits, does not collapse spaces, drops punctuation and keeps letters of any script', async () => {
    const { slugify } = await import('../../scripts/stages/render/markdown.ts');
    expect(slugify('2:3.YY3.4.1.2 Message Semantics')).toBe('23yy3412-message-semantics');
    expect(slugify('System Identifier → Device.identifier')).toBe('system-identifier--deviceidentifier');
    expect(slugify('snake_case and Café')).toBe('snake_case-and-café');
    expect(slugify('!!!')).toBe('section');
  });
});
