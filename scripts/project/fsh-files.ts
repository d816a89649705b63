/**
 * The FSH files a compile reads: `.fsh` under input/fsh/ or fsh/, any depth, read as pages and
 * images are (project/files.ts): a symbolic link that leads outside the project, a loop, a FIFO or
 * a device is not followed, and is a located `source-skipped` warning with the same message.
 *
 * SUSHI's time and memory grow faster than the input on big code systems (a 50 MB CodeSystem of
 * half a million concepts ran for 7 minutes and 4.6 GB before it crashed), so the input is bounded
 * before SUSHI sees it: a file over the limits is a located error and is left out.
 */
import { join } from 'node:path';
import type { Diagnostic } from '../model/diagnostics.ts';
import { readSourceTree } from './files.ts';

export const FSH_LIMITS = {
  /** One FSH file. */
  maxFileBytes: 8 * 1024 * 1024,
  /** All FSH files of a project together. */
  maxTotalBytes: 32 * 1024 * 1024,
  /** Concept rules (`* #code ...`) in one file: a bigger code system belongs in a predefined resource or a package. */
  maxConceptsPerFile: 20_000,
  /** Concept rules in all the FSH files together. */
  maxConcepts: 50_000
};

export interface FshFile {
  /** Absolute path (under the FSH folder, as SUSHI names files). */
  path: string;
  content: string;
}

/** `* #code ...`, `* SYSTEM#code ...` (a code system's or value set's concept), at any indent. */
const CONCEPT_RULE = /^[ \t]*\*[ \t]+[^ \t\r\n"]*#/gm;

/** The readable `.fsh` files under `dir`, sorted by path, and a diagnostic for each one refused. */
export function readFshFiles(dir: string, root: string): { files: FshFile[]; diagnostics: Diagnostic[] } {
  const { files, diagnostics } = readSourceTree(dir, { root, recursive: true, accept: name => name.endsWith('.fsh') });
  const out: FshFile[] = [];
  let totalBytes = 0;
  let totalConcepts = 0;
  const display = (rel: string) =>
    join(dir, rel)
      .slice(root.length + 1)
      .split('\\')
      .join('/');
  const refuse = (rel: string, message: string, line?: number) =>
    diagnostics.push({ severity: 'error', rule: 'fsh-too-large', message: `${message}; the file was not compiled`, location: { file: display(rel), line } });
  for (const [rel, bytes] of files) {
    if (bytes.length > FSH_LIMITS.maxFileBytes) {
      refuse(rel, `${mb(bytes.length)} of FSH is more than the ${mb(FSH_LIMITS.maxFileBytes)} a file may hold`);
      continue;
    }
    if (totalBytes + bytes.length > FSH_LIMITS.maxTotalBytes) {
      refuse(rel, `the FSH files together are more than ${mb(FSH_LIMITS.maxTotalBytes)}`);
      continue;
    }
    const content = bytes.toString('utf8');
    const concepts = conceptLines(content, FSH_LIMITS.maxConceptsPerFile + 1);
    if (concepts.count > FSH_LIMITS.maxConceptsPerFile) {
      refuse(
        rel,
        `more than ${FSH_LIMITS.maxConceptsPerFile.toLocaleString('en')} concept rules in one file (a code system this big belongs in a predefined resource or a package)`,
        concepts.lastLine
      );
      continue;
    }
    if (totalConcepts + concepts.count > FSH_LIMITS.maxConcepts) {
      refuse(rel, `the FSH files together hold more than ${FSH_LIMITS.maxConcepts.toLocaleString('en')} concept rules`);
      continue;
    }
    totalBytes += bytes.length;
    totalConcepts += concepts.count;
    out.push({ path: join(dir, rel), content });
  }
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: out, diagnostics };
}

/** How many concept rules `text` holds, counting stops at `stop`; the line of the last one counted. */
function conceptLines(text: string, stop: number): { count: number; lastLine?: number } {
  let count = 0;
  let index = 0;
  CONCEPT_RULE.lastIndex = 0;
  for (let m = CONCEPT_RULE.exec(text); m && count < stop; m = CONCEPT_RULE.exec(text)) {
    count++;
    index = m.index;
  }
  if (count < stop) return { count };
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return { count, lastLine: line };
}

function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(bytes < 1048576 ? 1 : 0)} MB`;
}
