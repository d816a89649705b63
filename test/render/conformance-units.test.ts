/**
 * Units behind the profile pages and the guide metadata: mandatory elements grouped by their
 * optional parents, structured pattern values, the IG Publisher's apply-* metadata, canonical
 * redirects, NHS components from markdown, the search index's exact keys, and group navigation.
 */
import { describe, expect, it } from 'vitest';
import { guideMetadata, withGuideMetadata } from '../../scripts/stages/narrative/metadata.ts';
import type { ProjectConfig } from '../../scripts/project/config.ts';
import { renderMarkdown } from '../../scripts/stages/render/markdown.ts';
import type { Artifact } from '../../scripts/stages/render/model.ts';
import { groupNavigation } from '../../scripts/stages/render/navigation.ts';
import { basePath } from '../../scripts/stages/render/pages/extras.ts';
import { iconKind, mandatoryGroups, type Element } from '../../scripts/stages/render/pages/element-model.ts';
import { structuredValue } from '../../scripts/stages/render/pages/element-table.ts';
import { canonicalRedirects, canonicalTail } from '../../scripts/stages/render/pages/redirects.ts';
import { htmlText, searchDocs } from '../../scripts/stages/render/search-docs.ts';
import { buildSearchScript } from '../../scripts/stages/render/search.ts';
import { trusted } from '../../scripts/stages/render/html.ts';

const el = (id: string, min: number, max = '1', extra: Partial<Element> = {}): Element => ({ id, path: id.replace(/:[^.]+/g, ''), min, max, ...extra });

describe('mandatory elements', () => {
  const snapshot = [
    el('Bundle', 0, '*'),
    el('Bundle.type', 1),
    el('Bundle.entry', 1),
    el('Bundle.entry.search', 0),
    el('Bundle.entry.search.mode', 1),
    el('Bundle.entry.request', 0, '0'),
    el('Bundle.entry.request.method', 1),
    el('Bundle.link', 0, '*'),
    el('Bundle.link.relation', 1),
    el('Bundle.link.url', 1)
  ];
  it('groups required children under their nearest optional ancestor and skips prohibited ones', () => {
    const groups = mandatoryGroups(snapshot, () => true);
    expect(groups.map(g => [g.parent?.id, g.elements.map(e => e.id)])).toEqual([
      [undefined, ['Bundle.type', 'Bundle.entry']],
      ['Bundle.entry.search', ['Bundle.entry.search.mode']],
      ['Bundle.link', ['Bundle.link.relation', 'Bundle.link.url']]
    ]);
  });
  it('treats a slice as the parent of its children', () => {
    const obs = [
      el('Observation', 0, '*'),
      el('Observation.component', 2, '3'),
      el('Observation.component:cat', 0, '1', { sliceName: 'cat' }),
      el('Observation.component:cat.code', 1),
      el('Observation.component:basic', 1),
      el('Observation.component:basic.code', 1)
    ];
    const groups = mandatoryGroups(obs, () => true);
    expect(groups[0]!.elements.map(e => e.id)).toEqual(['Observation.component', 'Observation.component:basic', 'Observation.component:basic.code']);
    expect(groups[1]!.parent!.id).toBe('Observation.component:cat');
    expect(iconKind(obs[2]!)).toBe('slice-item');
  });
});

describe('structured values', () => {
  it('renders a pattern as a name/value list with escaped values, not JSON', () => {
    const out = structuredValue({ coding: [{ system: 'https://x.example/cs', code: '<b>A</b>' }] }).value;
    expect(out).toBe(
      '<ul class="vm-value"><li><span class="vm-value__key">coding</span>: <ul class="vm-value"><li><span class="vm-value__key">system</span> &#61; <code class="vm-value__primitive">https://x.example/cs</code></li><li><span class="vm-value__key">code</span> &#61; <code class="vm-value__primitive">&lt;b&gt;A&lt;/b&gt;</code></li></ul></li></ul>'
    );
  });
});

describe('guide metadata (apply-* parameters)', () => {
  const ig = {
    resourceType: 'ImplementationGuide',
    version: '2.0.0',
    date: '2026-01-02',
    publisher: 'Pub',
    contact: [{ name: 'Pub' }],
    jurisdiction: [{ coding: [{ code: 'GB' }] }],
    definition: {
      parameter: [
        { code: 'apply-version', value: 'true' },
        { code: 'apply-publisher', value: 'true' },
        { code: 'apply-contact', value: 'false' }
      ]
    }
  };
  it('applies only the parameters switched on, plus the date, in FHIR order, keeping values the artifact sets', () => {
    const meta = guideMetadata(ig);
    const out = withGuideMetadata(
      { resourceType: 'ValueSet', id: 'v', url: 'http://x/v', name: 'V', status: 'draft', publisher: 'Own', description: 'd', compose: {} },
      meta,
      false
    )!;
    expect(Object.keys(out)).toEqual(['resourceType', 'id', 'url', 'version', 'name', 'status', 'date', 'publisher', 'description', 'compose']);
    expect([out.version, out.publisher, out.date, out.contact, out.jurisdiction]).toEqual(['2.0.0', 'Own', '2026-01-02', undefined, undefined]);
  });
  it('leaves examples, non-canonical resources and complete artifacts alone', () => {
    const meta = guideMetadata(ig);
    expect(withGuideMetadata({ resourceType: 'ValueSet', id: 'v' }, meta, true)).toBeUndefined();
    expect(withGuideMetadata({ resourceType: 'Observation', id: 'o' }, meta, false)).toBeUndefined();
    expect(withGuideMetadata({ resourceType: 'CodeSystem', id: 'c', version: '1', publisher: 'p', date: '2020' }, meta, false)).toBeUndefined();
    expect(guideMetadata(undefined).values.size).toBe(0);
  });
});

describe('canonical redirects', () => {
  const artifact = (type: string, id: string, url: string, kind = 'profile') =>
    ({ resource: { resourceType: type, id, url }, page: `${type}-${id}.html`, title: id, kind }) as unknown as Artifact;
  it('writes {Type}/{id}/index.html for canonicals under the guide and nothing for others', () => {
    const files = canonicalRedirects(
      'https://fhir.example/vm',
      [artifact('StructureDefinition', 'p', 'https://fhir.example/vm/StructureDefinition/p'), artifact('ValueSet', 'x', 'http://elsewhere/ValueSet/x')],
      { resourceType: 'ImplementationGuide', url: 'https://fhir.example/vm/ImplementationGuide/g', title: 'G' }
    );
    expect([...files.keys()]).toEqual(['StructureDefinition/p/index.html', 'ImplementationGuide/g/index.html']);
    expect(files.get('StructureDefinition/p/index.html')).toContain('<meta http-equiv="refresh" content="0; url=../../StructureDefinition-p.html">');
  });
  it('refuses tails that could leave the site', () => {
    expect(canonicalTail('https://x/vm', 'https://x/vm/StructureDefinition/../../etc')).toBeUndefined();
    expect(canonicalTail('https://x/vm', 'https://x/vm/a/b/c')).toBeUndefined();
    expect(canonicalTail('https://x/vm', 'https://x/vmother/StructureDefinition/p')).toBeUndefined();
    expect(basePath('https://fhir.nhs.uk/vm')).toBe('/vm/');
    expect(basePath('not a url')).toBe('/');
  });
});

describe('NHS components from markdown', () => {
  it("makes inset text, warning callouts and do/don't lists, keeping the author's text escaped", () => {
    const out = renderMarkdown(
      '> [!DO] Do\n>\n> * show <b>x</b>\n\n> [!DONT]\n>\n> * hide\n\n> [!WARNING] Careful\n>\n> Body.\n\n> [!INSET] Note.\n\n> plain\n'
    ).html;
    expect(out).toContain(
      '<div class="nhsuk-card nhsuk-card--feature vm-do-dont">\n<div class="nhsuk-card__content"><h3 class="nhsuk-card__heading nhsuk-heading-s">Do</h3>'
    );
    expect(out).toMatch(
      /<ul class="nhsuk-list nhsuk-list--tick" role="list">\n<li>\n<svg class="nhsuk-icon nhsuk-icon--tick"[^]*?<\/svg>show &lt;b&gt;x&lt;\/b&gt;<\/li>/
    );
    expect(out).toContain('<h3 class="nhsuk-card__heading nhsuk-heading-s">Don&#39;t</h3>'.replace('&#39;', "'"));
    expect(out).toContain('nhsuk-list--cross');
    expect(out).toContain(
      '<div class="nhsuk-card nhsuk-card--warning">\n<div class="nhsuk-card__content"><h3 class="nhsuk-card__heading nhsuk-heading-s">Careful</h3>\n<p>Body.</p>'
    );
    expect(out).toContain('<div class="nhsuk-inset-text">\n<span class="nhsuk-u-visually-hidden">Information: </span><p>Note.</p>\n</div>');
    expect(out).toContain('<blockquote>\n<p>plain</p>\n</blockquote>');
  });
});

describe('search index', () => {
  const page = (path: string, title: string, body: string, extra = {}) => ({ path, title, body: trusted(body), ...extra });
  it('indexes every page but search and 404, from the rendered text, with exact keys', () => {
    const docs = searchDocs([
      page('downloads.html', 'Downloads', 'package.tgz', { searchKeys: ['Package'] }),
      page('404.html', 'Not found', 'x'),
      page('searchform.html', 'Search', 'x'),
      page('toc.html', 'Table of contents', '<ul><li>a &amp; b</li></ul>')
    ]);
    expect(docs.map(d => d.id)).toEqual(['downloads.html', 'toc.html']);
    expect(docs[0]!.keys).toEqual(['downloads', 'package']);
    expect(docs[1]!.text).toBe('a & b');
    expect(htmlText('<p>x<script>bad()</script>y</p>')).toBe('x y');
  });
  it('emits an exact-key map that cannot be polluted through the prototype', () => {
    const script = buildSearchScript([{ id: 'a.html', title: 'A', kind: 'Page', text: 't', keys: ['__proto__', 'vm-obs-1'] }]);
    const data = JSON.parse(script.slice('window.VMIG_SEARCH = '.length, -2)) as { exact: Record<string, string[]> };
    expect(Object.getOwnPropertyDescriptor(data.exact, 'vm-obs-1')?.value).toEqual(['a.html']);
    expect(Object.prototype.hasOwnProperty.call(data.exact, '__proto__')).toBe(true);
  });
});

describe('group navigation', () => {
  const config = {
    menu: [
      { label: 'Home', url: 'index.html', children: [] },
      {
        label: 'Guidance',
        children: [
          { label: 'One', url: 'one.html', children: [] },
          { label: 'Two', url: 'two.html', children: [] },
          { label: 'Ext', url: 'https://x.example', children: [] },
          { label: 'Three', url: 'three.html', children: [] }
        ]
      }
    ]
  } as unknown as ProjectConfig;
  it('lists the group with the current page and previous / next, local pages only', () => {
    const nav = groupNavigation(config, 'two.html')!;
    expect(nav.title).toBe('Guidance');
    expect(nav.items.map(i => [i.href, i.current])).toEqual([
      ['one.html', false],
      ['two.html', true],
      ['three.html', false]
    ]);
    expect([nav.previous?.href, nav.next?.href]).toEqual(['one.html', 'three.html']);
    expect(groupNavigation(config, 'one.html')!.previous).toBeUndefined();
    expect(groupNavigation(config, 'index.html')).toBeUndefined();
  });
});
