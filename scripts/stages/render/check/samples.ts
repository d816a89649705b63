/**
 * "Try an error" messages: the project's `input/check-errors/` folder (JSON or XML files, and an
 * optional manifest.json of `{ file, title, description }` in the order to show). Files the
 * manifest does not name are listed after it, by name. No folder: no samples.
 */
import { dirname } from 'node:path';
import type { Diagnostic } from '../../../model/diagnostics.ts';
import { readSourceTree } from '../../../project/files.ts';
import type { CheckSample } from './assets.ts';
import { errorMessage } from '../../../util/errors.ts';
import { isJsonObject } from '../../../fhir/json.ts';

const MAX_SAMPLE_BYTES = 256 * 1024;

/**
 * Read like every other site source (regular files only, no link out of the project, a size
 * bound); `root` is the project root, the input folder's parent by default.
 */
export function readCheckErrors(dir: string, root = dirname(dirname(dir))): { samples: CheckSample[]; diagnostics: Diagnostic[] } {
  const tree = readSourceTree(dir, { root, accept: name => /\.(json|xml)$/.test(name) });
  const diagnostics: Diagnostic[] = [...tree.diagnostics];
  const files = [...tree.files.keys()].filter(f => f !== 'manifest.json').sort();
  const manifest = readManifest(tree.files.get('manifest.json'), diagnostics);
  const ordered = [...manifest.filter(m => files.includes(m.file)).map(m => m.file), ...files.filter(f => !manifest.some(m => m.file === f))];
  const samples: CheckSample[] = [];
  for (const file of ordered) {
    const text = tree.files.get(file)!.toString('utf8');
    if (text.length > MAX_SAMPLE_BYTES) {
      diagnostics.push({
        severity: 'warning',
        rule: 'check-sample',
        message: `${file} is larger than ${MAX_SAMPLE_BYTES / 1024} KB; not offered on the check page`,
        location: { file: `input/check-errors/${file}` }
      });
      continue;
    }
    const entry = manifest.find(m => m.file === file);
    samples.push({ name: file, title: entry?.title ?? file.replace(/\.(json|xml)$/, '').replace(/-/g, ' '), description: entry?.description, text });
  }
  return { samples, diagnostics };
}

function readManifest(bytes: Buffer | undefined, diagnostics: Diagnostic[]): { file: string; title?: string; description?: string }[] {
  if (!bytes) return [];
  try {
    const raw: unknown = JSON.parse(bytes.toString('utf8'));
    if (!Array.isArray(raw)) throw new Error('expected an array of { file, title, description }');
    const entries: { file: string; title?: string; description?: string }[] = [];
    for (const e of raw) {
      if (!isJsonObject(e) || typeof e.file !== 'string') continue;
      entries.push({
        file: e.file,
        title: typeof e.title === 'string' ? e.title : undefined,
        description: typeof e.description === 'string' ? e.description : undefined
      });
    }
    return entries;
  } catch (e) {
    diagnostics.push({
      severity: 'warning',
      rule: 'check-sample',
      message: `manifest.json: ${errorMessage(e)}`,
      location: { file: 'input/check-errors/manifest.json' }
    });
    return [];
  }
}
