/**
 * Per-artifact intro and notes, as the IG Publisher places them: `{Type}-{id}-intro.md` above
 * the generated content of the artifact's page and `{Type}-{id}-notes.md` below it.
 */
import { html } from '../html.ts';
import type { Artifact } from '../model.ts';
import type { Page, SiteContext } from '../page.ts';
import { renderAuthorSource } from './author.ts';

export function withIntroNotes(site: SiteContext, a: Artifact, page: Page): Page {
  const part = (kind: 'intro' | 'notes') => {
    const src = site.introNotes?.get(`${a.base}-${kind}`);
    if (!src) return undefined;
    return renderAuthorSource(site, { text: src.text, file: src.file, name: `${a.base}-${kind}.${src.format}` }, 3);
  };
  const intro = part('intro');
  const notes = part('notes');
  if (!intro && !notes) return page;
  const body = html`${intro ? html`<div class="vm-intro" id="intro">${intro.body}</div>` : ''}${page.body}${notes ? html`<div class="vm-notes" id="notes">${notes.body}</div>` : ''}`;
  const toc = [...(intro?.headings ?? []), ...(page.toc ?? []), ...(notes?.headings ?? [])];
  return { ...page, body, toc, searchText: [intro && src(site, a, 'intro'), page.searchText, notes && src(site, a, 'notes')].filter(Boolean).join('\n') };
}

function src(site: SiteContext, a: Artifact, kind: string): string {
  return site.introNotes?.get(`${a.base}-${kind}`)?.text ?? '';
}
