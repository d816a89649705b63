/**
 * A query's answer as the IG Publisher shows it: a table (`class` from the tag, `grid` by
 * default) with a row of column titles, one cell per column of each row, rendered by the
 * column's type; a single value alone is shown as text in place. Everything is escaped; markdown
 * is rendered by the page renderer and sanitised as pages are; links are made only to http(s)
 * addresses and relative paths. A canonical of the guide links to its page in this site.
 */
import { html, joinHtml, trusted, type SafeHtml } from '../html.ts';
import { renderPageMarkdown } from '../markdown.ts';
import { sanitizePageHtml } from '../sanitize.ts';
import type { Artifact, ArtifactIndex } from '../model.ts';
import type { SqlColumn, SqlControl } from './control.ts';

export interface Answer {
  columns: readonly string[];
  rows: readonly (readonly (string | null)[])[];
}

export type Rendered = { ok: true; html: string; inline: boolean } | { ok: false; error: string };

interface Bound extends SqlColumn {
  at: number;
  targetAt?: number;
  systemAt?: number;
  displayAt?: number;
  versionAt?: number;
}

/** What the table needs besides the answer: the guide's resources, by canonical and by `Resources.Key`. */
export interface Lookups {
  index: ArtifactIndex;
  /** `Resources.Key` -> artifact (the order the tables were filled in). */
  byKey: ReadonlyMap<string, Artifact>;
}

export function renderAnswer(control: SqlControl, answer: Answer, lookups: Lookups): Rendered {
  const bound: Bound[] = [];
  const find = (name: string | undefined) => {
    if (name === undefined) return undefined;
    const exact = answer.columns.indexOf(name);
    const at = exact >= 0 ? exact : answer.columns.findIndex(c => c.toLowerCase() === name.toLowerCase());
    return at >= 0 ? at : undefined;
  };
  if (!control.columns.length) answer.columns.forEach((name, at) => bound.push({ type: 'auto', title: name, source: name, at }));
  for (const c of control.columns) {
    const at = find(c.source);
    if (at === undefined) return { ok: false, error: `the query's result has no column '${c.source}' (it has ${answer.columns.join(', ') || 'none'})` };
    bound.push({ ...c, at, targetAt: find(c.target), systemAt: find(c.system), displayAt: find(c.display), versionAt: find(c.version) });
  }
  if (answer.rows.length === 1 && bound.length === 1) {
    const only = answer.rows[0]![bound[0]!.at];
    if (only !== null && only !== undefined) return { ok: true, html: html`${only}`.value, inline: true };
  }
  const head = control.titles ? html`<thead><tr>${bound.map(c => html`<th scope="col">${c.title}</th>`)}</tr></thead>` : '';
  const body = answer.rows.map(row => html`<tr>${bound.map(c => html`<td>${cellHtml(c, row, lookups)}</td>`)}</tr>`);
  return { ok: true, html: html`<table class="${control.className}">${head}<tbody>${body}</tbody></table>`.value, inline: false };
}

function cellHtml(c: Bound, row: readonly (string | null)[], lookups: Lookups): SafeHtml | string {
  const value = row[c.at];
  if (value === null || value === undefined || value === '') return '';
  const other = (at: number | undefined) => (at === undefined ? undefined : (row[at] ?? undefined));
  switch (c.type) {
    case 'auto': {
      const artifact = canonical(value, lookups.index);
      if (artifact) return artifactLink(artifact);
      if (/^https?:\/\//i.test(value) && !/\s/.test(value)) return link(value, value);
      return probablyMarkdown(value) ? markdown(value) : value;
    }
    case 'canonical': {
      const artifact = canonical(value, lookups.index);
      return artifact ? artifactLink(artifact) : link(value, value);
    }
    case 'resource': {
      const artifact = canonical(value, lookups.index) ?? lookups.byKey.get(value) ?? lookups.index.byRef.get(value);
      return artifact ? artifactLink(artifact) : link(value, value);
    }
    case 'link':
      return link(other(c.targetAt) ?? value, value);
    case 'url':
      return link(value, value);
    case 'markdown':
      return markdown(value);
    case 'coding':
      return coding(value, other(c.systemAt) ?? c.system, other(c.displayAt), other(c.versionAt), lookups.index);
    case 'text':
      return value;
  }
}

function canonical(value: string, index: ArtifactIndex): Artifact | undefined {
  return index.byUrl.get(value) ?? index.byUrl.get(value.split('|')[0]!);
}

function artifactLink(a: Artifact): SafeHtml {
  return html`<a href="${a.page}">${a.title}</a>`;
}

/** A link when the target is safe to follow (http, https, or a relative path); the text alone otherwise. */
export function link(target: string, text: string): SafeHtml | string {
  return safeHref(target) ? html`<a href="${target.trim()}">${text}</a>` : text;
}

export function safeHref(target: string): boolean {
  // Browsers ignore tabs, newlines and other control characters inside a scheme: so does this check.
  const squeezed = target.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  if (!squeezed || squeezed.startsWith('//') || squeezed.startsWith('\\')) return false;
  const scheme = /^([^/?#]*?):/.exec(squeezed);
  return scheme === null ? true : /^https?$/i.test(scheme[1]!);
}

function markdown(text: string): SafeHtml {
  return trusted(sanitizePageHtml(renderPageMarkdown(text, { inline: true }).html));
}

/** Text that reads as markdown rather than plain words: emphasis, links, code, lists, headings. */
export function probablyMarkdown(text: string): boolean {
  return /\*\*[^*]+\*\*|__[^_]+__|\[[^\]]+\]\([^)]+\)|`[^`]+`|^\s*(?:[*+-]|\d+\.|#{1,6})\s/m.test(text);
}

/** A Coding: its display (when given), then `system#code` (the system linked when it is one of the guide's). */
function coding(code: string, system: string | undefined, display: string | undefined, version: string | undefined, index: ArtifactIndex): SafeHtml {
  const cs = system === undefined ? undefined : canonical(system, index);
  const systemLabel = cs ? artifactLink(cs) : system === undefined ? '' : html`<span>${system}</span>`;
  const versioned = version === undefined ? '' : html`|${version}`;
  const ref = joinHtml([system === undefined ? '' : html`${systemLabel}${versioned}#`, html`<code>${code}</code>`]);
  return display ? html`${display} (${ref})` : ref;
}
