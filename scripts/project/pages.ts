/**
 * The author's page sources, where the IG Publisher looks for them: input/pagecontent/,
 * input/pages/ and input/resource-docs/ (.md, .xml and .html), per-artifact intro and notes
 * fragments (`{Type}-{id}-intro.md` / `-notes.md`, in input/intro-notes/ or beside the pages),
 * and the include fragments in input/includes/. Read once; rendering is the site's job.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../model.ts';

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

function textFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter(f => !f.startsWith('.') && statSync(join(dir, f)).isFile())
    .sort();
}

export function readProjectPages(root: string): ProjectPages {
  const out: ProjectPages = { pages: new Map(), files: new Map(), introNotes: new Map(), includes: new Map(), diagnostics: [] };
  for (const folder of [INTRO_NOTES_FOLDER, ...PAGE_FOLDERS]) {
    for (const name of textFiles(join(root, folder)).filter(f => PAGE_FILE.test(f))) {
      const rel = `${folder}/${name}`;
      const text = readFileSync(join(root, folder, name), 'utf8');
      const fragment = INTRO_NOTES.exec(name);
      if (fragment) addIntroNotes(out, `${fragment[1]}-${fragment[2]}`, { text, file: rel, format: fragment[3]! });
      else if (folder !== INTRO_NOTES_FOLDER) addPage(out, name, text, rel);
    }
  }
  for (const name of textFiles(join(root, INCLUDES_FOLDER))) out.includes.set(name, readFileSync(join(root, INCLUDES_FOLDER, name), 'utf8'));
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
