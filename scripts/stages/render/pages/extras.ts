/** The search page, 404 page, downloads page and sitemap.xml. */
import { escapeXml } from '../../../fhir/markup.ts';
import { html } from '../html.ts';
import type { Page, SiteContext } from '../page.ts';

export function searchPage(): Page {
  const body = html`<form class="vm-search" role="search" action="searchform.html" method="get">
<div class="nhsuk-form-group"><label class="nhsuk-label" for="search-query">Search pages, profiles and examples</label>
<input class="nhsuk-input" id="search-query" name="q" type="search" autocomplete="off"></div>
<button class="nhsuk-button" type="submit">Search</button></form>
<div id="search-results" aria-live="polite"><noscript><p>Search needs JavaScript. The <a href="toc.html">table of contents</a> and the <a href="artifacts.html">artifacts list</a> link to every page.</p></noscript></div>`;
  return { path: 'searchform.html', title: 'Search', body, layout: 'search' };
}

/**
 * The 404 page, which a web server shows at any depth: a line of script in the head gives it a
 * `<base>` of the canonical URL's path (`/vm/` for https://fhir.nhs.uk/vm) when the page is served
 * under it, else the server root, so its relative links and assets resolve; opened from a file,
 * it keeps the document's own URL.
 */
export function notFoundPage(canonical = ''): Page {
  const body = html`<p>If you typed the web address, check it is correct.</p><p>You can use the <a href="toc.html">table of contents</a>, the <a href="artifacts.html">list of artifacts</a> or <a href="searchform.html">search</a> to find what you need.</p>`;
  return { path: '404.html', title: 'Page not found', body, baseHref: basePath(canonical) };
}

/** The site's download names: the packageId zips, and whether the Turtle and CSV zips exist. */
export interface DownloadNames {
  json: string;
  xml: string;
  turtle?: boolean;
  csv?: boolean;
}

export function downloadsPage(site: SiteContext, zips: DownloadNames): Page {
  const pkg = site.hasPackage ? html`<li><a href="package.tgz">package.tgz</a>: the FHIR NPM package of this guide</li>` : '';
  const body = html`<ul class="nhsuk-list nhsuk-list--bullet">${pkg}
<li><a href="full-ig.zip">full-ig.zip</a>: this whole website, to read offline</li>
<li><a href="${zips.json}">${zips.json}</a>: every resource as JSON</li>
<li><a href="${zips.xml}">${zips.xml}</a>: every resource as XML</li>
<li><a href="definitions.json.zip">definitions.json.zip</a> and <a href="definitions.xml.zip">definitions.xml.zip</a>${
    zips.turtle ? html` (and <a href="definitions.ttl.zip">definitions.ttl.zip</a>, as Turtle)` : ''
  }: the conformance resources (profiles, extensions, terminology...)</li>
<li><a href="examples.json.zip">examples.json.zip</a> and <a href="examples.xml.zip">examples.xml.zip</a>${
    zips.turtle ? html` (and <a href="examples.ttl.zip">examples.ttl.zip</a>, as Turtle)` : ''
  }: the examples</li>${
    zips.csv
      ? html`
<li><a href="csvs.zip">csvs.zip</a>: each profile's elements as a spreadsheet (CSV), one file per profile</li>`
      : ''
  }${
    site.openApi
      ? html`
<li><a href="${site.openApi.fileName}">${site.openApi.fileName}</a>: the OpenAPI description of the API${
          site.localPages.has('api-reference.html') ? html` (see <a href="api-reference.html">API reference</a>)` : ''
        }</li>`
      : ''
  }</ul>
<p>Each resource's page also links its own <code>.json</code> and <code>.xml</code> file${zips.turtle ? html` (and <code>.ttl</code>, FHIR RDF as <a href="https://hl7.org/fhir/R4/rdf.html">the specification</a> defines it)` : ''}.</p>`;
  const searchKeys = ['download', 'downloads', 'full-ig.zip', zips.json, zips.xml, ...(site.hasPackage ? ['package', 'package.tgz', 'npm package'] : [])];
  return { path: 'downloads.html', title: 'Downloads', body, searchKeys, kind: 'Downloads' };
}

export function sitemap(canonical: string, paths: string[]): string {
  const urls = [...paths].sort().map(p => `  <url><loc>${escapeXml(`${canonical}/${p}`)}</loc></url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}

/** The path of the canonical URL, ending in a slash: `/vm/` for https://fhir.nhs.uk/vm. */
export function basePath(canonical: string): string {
  try {
    const path = new URL(canonical).pathname.replace(/\/+$/, '');
    return `${path}/`;
  } catch {
    return '/';
  }
}
