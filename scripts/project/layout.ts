/**
 * Where a project keeps its FSH: `input/fsh/` (SUSHI's layout, as HL7 guides are published) or
 * `fsh/` (this guide's). Exactly one must exist; neither or both is one error naming the folders
 * looked in, so a compile never succeeds silently on a folder it did not read.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../model/diagnostics.ts';

/** The FSH folders looked for, relative to the project root, in SUSHI's order of preference. */
export const FSH_FOLDERS = ['input/fsh', 'fsh'] as const;

export interface FshLayout {
  /** Absolute path of the FSH folder, when exactly one exists. */
  dir?: string;
  /** Its path relative to the project root (`input/fsh` or `fsh`). */
  relative?: string;
  diagnostics: Diagnostic[];
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The folder `projectPaths` uses: the one that exists, `fsh/` when neither or both do. */
export function fshFolderOf(root: string): string {
  const found = FSH_FOLDERS.filter(f => isDirectory(join(root, f)));
  return join(root, found.length === 1 ? found[0]! : 'fsh');
}

export function findFshLayout(root: string): FshLayout {
  const found = FSH_FOLDERS.filter(f => isDirectory(join(root, f)));
  if (found.length === 1) return { dir: join(root, found[0]!), relative: found[0]!, diagnostics: [] };
  const looked = FSH_FOLDERS.map(f => `${f}/`).join(' and ');
  const message =
    found.length === 0
      ? `no FSH folder: looked for ${looked} in ${root}; put the .fsh files in input/fsh/ (SUSHI's layout) or fsh/`
      : `both ${looked} exist in ${root}: keep the FSH in one of them (SUSHI reads input/fsh/)`;
  return { diagnostics: [{ severity: 'error', rule: 'project-layout', message, location: { file: found[0] ?? '.' } }] };
}

/** `.fsh` files under `dir`, any depth (what SUSHI reads), counted without reading them. */
export function countFshFiles(dir: string): number {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) n += countFshFiles(join(dir, entry.name));
    else if (entry.isFile() && entry.name.endsWith('.fsh')) n++;
  }
  return n;
}
