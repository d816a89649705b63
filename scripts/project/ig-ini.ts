/**
 * ig.ini, as the IG Publisher reads it: an INI file whose `[IG]` section names the
 * ImplementationGuide resource (`ig = ...`) and the template. Quirks of real guides are read as the
 * Publisher reads them: Windows backslash paths (`fsh-generated\resources\ImplementationGuide-x.json`),
 * `;` and `#` comment lines, keys in any case, a template given as a package id (`hl7.fhir.template#current`),
 * a local folder (`#local-template`) or a URL. Only what the toolchain uses is kept: the IG file
 * (project-relative, never outside the project) and the template as written, for the notes.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import type { Diagnostic } from '../model/diagnostics.ts';
import { isReadProblem, readProjectFile } from './files.ts';

export interface IgIni {
  /** `[IG] ig`, project-relative with forward slashes, when it names a file inside the project. */
  ig?: string;
  /** `[IG] template` as written. */
  template?: string;
  diagnostics: Diagnostic[];
}

/** ig.ini files are a few lines; anything larger is not one. */
const MAX_BYTES = 64 * 1024;

export function readIgIni(root: string): IgIni {
  if (!existsSync(join(root, 'ig.ini'))) return { diagnostics: [] };
  // A regular file inside the project, read no further than the limit (not a FIFO, not a link out).
  const bytes = readProjectFile(root, 'ig.ini', MAX_BYTES);
  if (isReadProblem(bytes)) return { diagnostics: [iniWarning(`ig.ini was not read: ${bytes.message}`)] };
  return parseIgIni(bytes.toString('utf8'), root);
}

export function parseIgIni(text: string, root: string): IgIni {
  const out: IgIni = { diagnostics: [] };
  let section = '';
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith(';') || line.startsWith('#')) return;
    const header = /^\[([^\]]*)\]$/.exec(line);
    if (header) {
      section = header[1]!.trim().toLowerCase();
      return;
    }
    const eq = line.indexOf('=');
    if (eq < 0 || section !== 'ig') return;
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    if (key === 'template') out.template = value;
    if (key === 'ig') {
      const path = projectRelative(root, value);
      if (path) out.ig = path;
      else out.diagnostics.push(iniWarning(`ig = ${value}: not a file inside the project, so it is not read`, index + 1));
    }
  });
  return out;
}

/** `value` as a project-relative path with forward slashes (backslashes read as separators), or undefined when it leaves the project. */
function projectRelative(root: string, value: string): string | undefined {
  const posix = value.replace(/\\/g, '/');
  if (!posix || posix.includes('\0') || isAbsolute(posix) || /^[A-Za-z]:/.test(posix)) return undefined;
  const rel = relative(root, join(root, normalize(posix)));
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

function iniWarning(message: string, line?: number): Diagnostic {
  return { severity: 'warning', rule: 'ig-ini', message, location: { file: 'ig.ini', line } };
}
