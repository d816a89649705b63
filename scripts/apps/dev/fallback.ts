/**
 * What the dev server shows when there is no rendered site to show: before the render stage
 * exists, or before the first good build. Plain pages listing the compiled resources (served as
 * `{Type}-{id}.json`, the site's URL scheme), each markdown page as escaped source, and the
 * current diagnostics. Everything user-written is escaped.
 */
import { escapeHtml } from '../../fhir/markup.ts';
import type { CompiledResource } from '../../model/resources.ts';
import type { Diagnostic } from '../../model/diagnostics.ts';
import { formatDiagnostic } from '../../model/diagnostics.ts';
import { readPageSources } from '../../stages/render/stage.ts';
import type { VirtualFile } from './server.ts';
import { fhirJson } from '../../fhir/json.ts';

export interface FallbackInput {
  title: string;
  reason: string;
  resources: readonly CompiledResource[];
  pagecontent: string;
  diagnostics: readonly Diagnostic[];
}

export function resourcePageName(r: CompiledResource): string {
  return `${r.resource.resourceType}-${r.resource.id ?? r.fileName.replace(/\.json$/, '')}`;
}

/** Build the fallback site as URL path -> file. */
export function fallbackSite(input: FallbackInput): Map<string, VirtualFile> {
  const files = new Map<string, VirtualFile>();
  const pages = markdownPages(input.pagecontent);
  for (const r of input.resources) {
    files.set(`/${resourcePageName(r)}.json`, { body: fhirJson(r.resource), type: 'application/json; charset=utf-8' });
  }
  for (const [name, text] of pages) {
    if (name === 'index') continue;
    files.set(`/${name}.html`, htmlPage(name, `<pre>${escapeHtml(text)}</pre>`));
  }
  files.set('/index.html', htmlPage(input.title, indexBody(input, pages)));
  return files;
}

function indexBody(input: FallbackInput, pages: Map<string, string>): string {
  const link = (href: string, text: string) => `<li><a href="${escapeHtml(href)}">${escapeHtml(text)}</a></li>`;
  const problems = input.diagnostics.filter(d => d.severity !== 'information').map(d => `<li>${escapeHtml(formatDiagnostic(d))}</li>`);
  return [
    `<p>${escapeHtml(input.reason)}</p>`,
    problems.length ? `<h2>Diagnostics</h2><ul class="diagnostics">${problems.join('')}</ul>` : '',
    pages.has('index') ? `<h2>Home page source</h2><pre>${escapeHtml(pages.get('index')!)}</pre>` : '',
    `<h2>Pages</h2><ul>${[...pages.keys()]
      .filter(p => p !== 'index')
      .map(p => link(`${p}.html`, p))
      .join('')}</ul>`,
    `<h2>Compiled resources</h2><ul>${input.resources.map(r => link(`${resourcePageName(r)}.json`, resourcePageName(r))).join('')}</ul>`
  ].join('\n');
}

/** The same pages the site would render: safe names only, never through a link or a FIFO. */
function markdownPages(dir: string): Map<string, string> {
  return new Map([...readPageSources(dir)].map(([name, text]) => [name.replace(/\.md$/, ''), text]));
}

function htmlPage(title: string, body: string): VirtualFile {
  const html = `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body><h1>${escapeHtml(title)}</h1>\n${body}\n</body></html>\n`;
  return { body: html, type: 'text/html; charset=utf-8' };
}
