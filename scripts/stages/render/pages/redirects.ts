/**
 * Canonical URLs that resolve: for every artifact whose canonical URL lies under the guide's
 * canonical (`{canonical}/{Type}/{id}`), a redirect page at `{Type}/{id}/index.html`, where the
 * IG Publisher's static-hosting ("cloud") redirections put them. The page sends a browser on to
 * `{Type}-{id}.html` with a relative link, so it works wherever the site is hosted.
 */
import { escapeHtml } from '../html.ts';
import type { Artifact } from '../model.ts';
import type { FhirResource } from '../../../model/resources.ts';

/** `{Type}/{id}` below the canonical, or undefined when the URL lies elsewhere or is unsafe. */
export function canonicalTail(canonical: string, url: string | undefined): string | undefined {
  if (!url || !canonical || !url.startsWith(`${canonical}/`)) return undefined;
  const tail = url.slice(canonical.length + 1);
  return /^[A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(tail) && !tail.includes('..') ? tail : undefined;
}

export function canonicalRedirects(canonical: string, artifacts: readonly Artifact[], ig?: FhirResource): Map<string, string> {
  const out = new Map<string, string>();
  const add = (url: string | undefined, target: string, title: string) => {
    const tail = canonicalTail(canonical, url);
    if (tail) out.set(`${tail}/index.html`, redirectPage(`../../${target}`, url!, title));
  };
  for (const a of artifacts) if (a.kind !== 'example') add(a.resource.url, a.page, a.title);
  if (ig) add(ig.url, 'index.html', String(ig.title ?? ig.name ?? 'Home'));
  return out;
}

function redirectPage(target: string, url: string, title: string): string {
  const t = escapeHtml(target);
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url=${t}">
</head>
<body>
<p>${escapeHtml(url)} is defined on <a href="${t}">${escapeHtml(title)}</a>.</p>
</body>
</html>
`;
}
