/**
 * The author's page sources, where the IG Publisher looks for them: input/pagecontent/,
 * input/pages/ and input/resource-docs/ (.md, .xml and .html), per-artifact intro and notes
 * fragments (`{Type}-{id}-intro.md` / `-notes.md`, in input/intro-notes/ or beside the pages),
 * and the include fragments in input/includes/. Read once; rendering is the site's job.
 */
import { join } from 'node:path';
import { escapeControl, type Diagnostic } from '../model/diagnostics.ts';
import { readSourceTree } from './files.ts';

export const PAGE_FOLDERS = ['input/pagecontent', 'input/pages', 'input/resource-docs'] as const;
export const INTRO_NOTES_FOLDER = 'input/intro-notes';
export const INCLUDES_FOLDER = 'input/includes';

const PAGE_FILE = /\.(md|xml|html)$/;
const INTRO_NOTES = /^(.+)-(intro|notes)\.(md|xml|html)$/;

export interface ProjectPages {
  /** Page sources by file name (`background.md`), first folder wins. */
  pages: Map<string, string>;
  /** Project-relative path of each page source, for diagnostics. */
  files: Map<string, string>;
  /** Intro and notes fragments by `{Type}-{id}-intro` / `-notes` with their source and path. */
  introNotes: Map<string, { text: string; file: string; format: string }>;
  /** input/includes text files by file name (menu.xml among them). */
  includes: Map<string, string>;
  diagnostics: Diagnostic[];
}

/** A page name becomes a relative URL: only letters, digits, '.', '-' and '_' are accepted. */
function pageNameProblem(name: string): string | undefined {
  return /^[\p{L}\p{N}_][\p{L}\p{N}._-]*\.(md|xml|html)$/u.test(name)
    ? undefined
    : `the page name '${escapeControl(name)}' cannot become a safe link: use only letters, digits, '.', '-' and '_'`;
}

/** Regular files of a folder, never following a link out of the project (project/files.ts). */
function readFolder(root: string, folder: string, out: ProjectPages, accept: (name: string) => boolean): Map<string, string> {
  const { files, diagnostics } = readSourceTree(join(root, folder), { root, accept });
  out.diagnostics.push(...diagnostics);
  return new Map([...files].map(([name, content]) => [name, content.toString('utf8')]));
}

export function readProjectPages(root: string): ProjectPages {
  const out: ProjectPages = { pages: new Map(), files: new Map(), introNotes: new Map(), includes: new Map(), diagnostics: [] };
  for (const folder of [INTRO_NOTES_FOLDER, ...PAGE_FOLDERS]) {
    for (const [name, text] of readFolder(root, folder, out, n => PAGE_FILE.test(n))) {
      const rel = `${folder}/${name}`;
      const fragment = INTRO_NOTES.exec(name);
      const problem = pageNameProblem(name);
      if (problem) out.diagnostics.push({ severity: 'error', rule: 'page-name', message: `${problem}; the page was left out`, location: { file: rel } });
      else if (fragment) addIntroNotes(out, `${fragment[1]}-${fragment[2]}`, { text, file: rel, format: fragment[3]! });
      else if (folder !== INTRO_NOTES_FOLDER) addPage(out, name, text, rel);
    }
  }
  for (const [name, text] of readFolder(root, INCLUDES_FOLDER, out, () => true)) out.includes.set(name, text);
  return out;
}

function addPage(out: ProjectPages, name: string, text: string, rel: string): void {
  const earlier = out.files.get(name);
  if (earlier) {
    out.diagnostics.push({
      severity: 'warning',
      rule: 'page-duplicate',
      message: `${name} is also in ${earlier}; this copy is ignored`,
      location: { file: rel }
    });
    return;
  }
  out.pages.set(name, text);
  out.files.set(name, rel);
}

function addIntroNotes(out: ProjectPages, key: string, value: { text: string; file: string; format: string }): void {
  const earlier = out.introNotes.get(key);
  if (earlier) {
    out.diagnostics.push({
      severity: 'warning',
      rule: 'page-duplicate',
      message: `${key} is also in ${earlier.file}; this copy is ignored`,
      location: { file: value.file }
    });
    return;
  }
  out.introNotes.set(key, value);
}

/** `background.md` -> `background.html`, as the IG Publisher names pages. */
export function pageHtmlName(file: string): string {
  return file.replace(PAGE_FILE, '.html');
}
