/**
 * `{% sql %}` for the site: Liquid renders synchronously, so every sql tag of the guide's pages
 * is found and its query run before the pages are rendered (`runSqlTags`), and the tag's render
 * only looks its answer up (`sqlTagOutput`, inside `withSqlResults`). A guide without sql tags
 * costs one text search: no database is built and SQLite is not loaded. A tag that fails shows
 * what the IG Publisher shows (`Error processing SQL: ...`) and is a warning at the tag.
 */
import type { Diagnostic } from '../../../model/diagnostics.ts';
import type { CompiledResource } from '../../../model/resources.ts';
import type { ProjectConfig } from '../../../project/config.ts';
import { html } from '../html.ts';
import { buildArtifactIndex, type Artifact } from '../model.ts';
import { parseSqlControl, type SqlControl } from './control.ts';
import { runQueries, SQL_LIMITS, type SqlLimits } from './run.ts';
import { renderAnswer } from './table.ts';
import { guideTables } from './tables.ts';

export interface SqlTagResult {
  html: string;
  /** A single value, shown in place; otherwise a table (a block of its own). */
  inline: boolean;
  /** Why the tag shows an error instead of its answer. */
  error?: string;
  /** The answer is shown, but not all of it. */
  warning?: string;
}

/** Each tag's result by its argument text (trimmed). */
export type SqlResults = ReadonlyMap<string, SqlTagResult>;

/** What the queries read: the guide's resources and configuration, and the texts that may hold sql tags. */
export interface SqlSources {
  config: ProjectConfig;
  resources: readonly CompiledResource[];
  implementationGuide?: CompiledResource;
  pageSources: ReadonlyMap<string, string>;
  includes?: ReadonlyMap<string, string>;
  introNotes?: ReadonlyMap<string, { text: string }>;
}

const SQL_TAG = /\{%-?\s*sql\s([\s\S]*?)-?%\}/g;

/** The argument texts of the sql tags in `texts`, each once, in order of appearance. */
export function sqlTagArgs(texts: Iterable<string>): string[] {
  const found = new Set<string>();
  for (const text of texts) {
    if (!text.includes('sql')) continue;
    for (const m of text.matchAll(SQL_TAG)) found.add(m[1]!.trim());
  }
  return [...found];
}

function sourceTexts(sources: SqlSources): string[] {
  return [...sources.pageSources.values(), ...(sources.includes?.values() ?? []), ...[...(sources.introNotes?.values() ?? [])].map(n => n.text)];
}

/** The tags' arguments of the last run, for `sqlTagsChanged`. */
let lastRun = new Set<string>();

/** Run every sql tag of the sources; undefined when there is none. */
export async function runSqlTags(sources: SqlSources, limits: SqlLimits = SQL_LIMITS): Promise<SqlResults | undefined> {
  const tags = sqlTagArgs(sourceTexts(sources));
  lastRun = new Set(tags);
  if (!tags.length) return undefined;
  const index = buildArtifactIndex(sources.resources, sources.implementationGuide?.resource);
  const tables = guideTables(index, sources.config);
  const byKey = new Map<string, Artifact>(index.artifacts.map((a, i) => [String(i + 1), a]));
  const controls = tags.map(parseSqlControl);
  const runnable = controls.flatMap(c => (c.ok ? [c.control] : []));
  const answers = runnable.length
    ? await runQueries(
        tables,
        runnable.map(c => c.query),
        limits
      )
    : [];
  const answerOf = new Map<SqlControl, (typeof answers)[number]>(runnable.map((c, i) => [c, answers[i]!]));
  const results = new Map<string, SqlTagResult>();
  tags.forEach((tag, i) => {
    const parsed = controls[i]!;
    if (!parsed.ok) return results.set(tag, failed(parsed.error));
    const answer = answerOf.get(parsed.control)!;
    if (!answer.ok) return results.set(tag, failed(answer.error));
    const rendered = renderAnswer(parsed.control, answer, { index, byKey });
    if (!rendered.ok) return results.set(tag, failed(rendered.error));
    const cut = answer.truncated
      ? `the answer was cut at ${answer.rows.length.toLocaleString('en-GB')} rows (at most ${limits.maxRows.toLocaleString('en-GB')} rows and ${limits.maxChars.toLocaleString('en-GB')} characters are shown)`
      : undefined;
    return results.set(tag, { html: rendered.html, inline: rendered.inline, warning: cut });
  });
  return results;
}

function failed(error: string): SqlTagResult {
  return { html: html`<span class="vm-sql-error" style="color: maroon">Error processing SQL: ${error}</span>`.value, inline: true, error };
}

/** Whether some of `texts` hold a sql tag the last `runSqlTags` did not run (a page edit added or changed one). */
export function sqlTagsChanged(texts: Iterable<string>): boolean {
  return sqlTagArgs(texts).some(tag => !lastRun.has(tag));
}

let current: SqlResults | undefined;

/** Render with these results (the site renderer wraps its synchronous rendering in this). */
export function withSqlResults<T>(results: SqlResults | undefined, render: () => T): T {
  const before = current;
  current = results;
  try {
    return render();
  } finally {
    current = before;
  }
}

/** A sql tag's output where it stands, and its warning at the tag when it failed. */
export function sqlTagOutput(args: string, file: string, line: number | undefined): { html: string; inline: boolean; diagnostics: Diagnostic[] } {
  const result = current?.get(args.trim()) ?? failed('the query was not run for this render (queries run before a full render of the site)');
  const problem = result.error ?? result.warning;
  const diagnostics: Diagnostic[] = problem
    ? [{ severity: 'warning', rule: 'site-sql', message: `{% sql %}: ${result.error ? `the query failed: ${problem}` : problem}`, location: { file, line } }]
    : [];
  return { html: result.html, inline: result.inline, diagnostics };
}
