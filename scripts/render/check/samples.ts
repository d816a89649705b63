/**
 * "Try an error" messages: the project's `input/check-errors/` folder (JSON or XML files, and an
 * optional manifest.json of `{ file, title, description }` in the order to show). Files the
 * manifest does not name are listed after it, by name. No folder: no samples.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../../model.ts';
import type { CheckSample } from './assets.ts';

interface ManifestEntry { file?: unknown; title?: unknown; description?: unknown }

const MAX_SAMPLE_BYTES = 256 * 1024;

export function readCheckErrors(dir: string): { samples: CheckSample[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  if (!existsSync(dir)) return { samples: [], diagnostics };
  const files = readdirSync(dir).filter(f => /\.(json|xml)$/.test(f) && f !== 'manifest.json').sort();
  const manifest = readManifest(join(dir, 'manifest.json'), diagnostics);
  const ordered = [...manifest.filter(m => files.includes(m.file)).map(m => m.file), ...files.filter(f => !manifest.some(m => m.file === f))];
  const samples: CheckSample[] = [];
  for (const file of ordered) {
    const text = readFileSync(join(dir, file), 'utf8');
    if (text.length > MAX_SAMPLE_BYTES) {
      diagnostics.push({ severity: 'warning', rule: 'check-sample', message: `${file} is larger than ${MAX_SAMPLE_BYTES / 1024} KB; not offered on the check page`, location: { file: `input/check-errors/${file}` } });
      continue;
    }
    const entry = manifest.find(m => m.file === file);
    samples.push({ name: file, title: entry?.title ?? file.replace(/\.(json|xml)$/, '').replace(/-/g, ' '), description: entry?.description, text });
  }
  return { samples, diagnostics };
}

function readManifest(path: string, diagnostics: Diagnostic[]): { file: string; title?: string; description?: string }[] {
  if (!existsSync(path)) return [];
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (!Array.isArray(raw)) throw new Error('expected an array of { file, title, description }');
    return (raw as ManifestEntry[]).filter(e => typeof e?.file === 'string').map(e => ({
      file: e.file as string,
      title: typeof e.title === 'string' ? e.title : undefined,
      description: typeof e.description === 'string' ? e.description : undefined
    }));
  } catch (e) {
    diagnostics.push({ severity: 'warning', rule: 'check-sample', message: `manifest.json: ${(e as Error).message}`, location: { file: 'input/check-errors/manifest.json' } });
    return [];
  }
}
