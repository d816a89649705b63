/**
 * Where the shared corpus of published guides and FHIR packages is (`shared/corpus`, beside the
 * checkout): `VM_IG_CORPUS` when set; else `shared/corpus` in this checkout's parent folders; else,
 * for a clone made from a local checkout (as CI clones `main`), beside the checkout it was cloned
 * from. The corpus tests fail when it cannot be found, rather than pass having run nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

function ancestors(dir: string): string[] {
  const out: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    out.push(d);
    if (dirname(d) === d) return out;
  }
}

function originCheckout(repo: string): string | undefined {
  try {
    const url = execFileSync('git', ['-C', repo, 'config', '--get', 'remote.origin.url'], { encoding: 'utf8' }).trim();
    const path = url.startsWith('file://') ? url.slice('file://'.length) : url;
    return isAbsolute(path) && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

export function findCorpus(repo: string): string | undefined {
  if (process.env.VM_IG_CORPUS) return process.env.VM_IG_CORPUS;
  const origin = originCheckout(repo);
  const candidates = [...ancestors(dirname(repo)), ...(origin ? ancestors(dirname(origin)) : [])].map(d => join(d, 'shared', 'corpus'));
  return candidates.find(c => existsSync(join(c, 'igs')));
}

/** The corpus folder, or an error saying where it was looked for and how to name it. */
export function requireCorpus(repo: string): string {
  const found = findCorpus(repo);
  if (!found) throw new Error(`the shared corpus (shared/corpus) was not found beside ${repo} or the checkout it was cloned from; set VM_IG_CORPUS`);
  return found;
}
