/** artifacts.html (every artifact grouped by kind, with descriptions) and toc.html (every page). */
import { html } from '../html.ts';
import { KIND_HEADINGS } from '../model.ts';
import { fhirMarkdown, type Page, type SiteContext } from '../page.ts';

export function artifactsPage(site: SiteContext): Page {
  const sections = KIND_HEADINGS.map(([kind, heading]) => {
    const items = site.index.artifacts.filter(a => a.kind === kind);
    if (!items.length) return html``;
    const rows = items.map(
      a =>
        html`<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key"><a href="${a.page}">${a.title}</a></dt><dd class="nhsuk-summary-list__value">${fhirMarkdown(site, a.description)}</dd></div>`
    );
    return html`<h2 id="${kind}">${heading}</h2><dl class="nhsuk-summary-list">${rows}</dl>`;
  });
  const toc = KIND_HEADINGS.filter(([k]) => site.index.artifacts.some(a => a.kind === k)).map(([id, text]) => ({ level: 2, id, text }));
  return {
    path: 'artifacts.html',
    title: 'Artifacts',
    body: html`<p>Every profile, extension, terminology resource, capability statement and example this guide defines.</p>${sections}`,
    toc
  };
}

export interface TocEntry {
  href: string;
  title: string;
  children?: TocEntry[];
}

export function tocPage(entries: TocEntry[]): Page {
  const list = (items: TocEntry[]): ReturnType<typeof html> =>
    html`<ul class="nhsuk-list nhsuk-list--bullet">${items.map(i => html`<li><a href="${i.href}">${i.title}</a>${i.children?.length ? list(i.children) : ''}</li>`)}</ul>`;
  return { path: 'toc.html', title: 'Table of contents', body: list(entries) };
}
