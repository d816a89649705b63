/** artifacts.html (every artifact grouped by kind, with descriptions) and toc.html (every page). */
import { html } from '../html.ts';
import { KIND_HEADINGS } from '../model.ts';
import { fhirMarkdown, type Page, type SiteContext } from '../page.ts';
import { igGroups } from './ig-groups.ts';

/**
 * artifacts.html as the IG Publisher lays it out: the guide's groups (its own, or the template's:
 * "Structures: Resource Profiles", "Example: Example Instances"...), each with the anchors guides
 * link to (ig-groups.ts). Our kind ids (`#profile`, `#example`...) stay anchors too.
 */
export function artifactsPage(site: SiteContext): Page {
  const groups = igGroups(site);
  const kindAnchors = new Map<string, string>();
  for (const g of groups) for (const a of g.artifacts) if (!kindAnchors.has(a.kind)) kindAnchors.set(a.kind, g.id);
  const sections = groups.map(g => {
    const rows = g.artifacts.map(
      a =>
        html`<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key"><a href="${a.page}">${a.title}</a></dt><dd class="nhsuk-summary-list__value">${fhirMarkdown(site, a.description)}</dd></div>`
    );
    const [headingId, ...others] = g.anchors;
    const kinds = KIND_HEADINGS.filter(([k]) => kindAnchors.get(k) === g.id && !g.anchors.includes(k)).map(([k]) => k);
    const extra = [...others, ...kinds].map(id => html`<a id="${id}"></a>`);
    return html`${extra}<h2 id="${headingId!}">${g.name}</h2>${g.description ? html`<p>${g.description}</p>` : ''}<dl class="nhsuk-summary-list">${rows}</dl>`;
  });
  const toc = groups.map(g => ({ level: 2, id: g.anchors[0]!, text: g.name }));
  return {
    path: 'artifacts.html',
    title: 'Artifacts',
    body: html`<p>This page lists the FHIR artifacts defined as part of this implementation guide.</p>${sections}`,
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
