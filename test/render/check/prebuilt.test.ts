/**
 * The check page's bundles precompiled on install: what is stored is what a build makes now
 * (bundles and the validator script's gzipped size), and a file made from other sources, of
 * another format or damaged is never used.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bundle, readPrebuiltBundles, validatorScript, writePrebuiltBundles } from '../../../scripts/stages/render/check/bundle.ts';
import { tempDir } from '../../helpers/project.ts';

describe('precompiled check-page bundles', () => {
  it('stores the bundles a build makes and their gzipped size, and refuses stale or damaged files', async () => {
    const file = join(tempDir(), 'browser-bundles.json');
    await writePrebuiltBundles(file);
    const stored = readPrebuiltBundles(file);
    expect(stored).toBeDefined();
    const scripts = join(import.meta.dirname, '..', '..', '..', 'scripts');
    expect(stored!.page).toBe(await bundle(join(scripts, 'apps', 'browser', 'page', 'main.ts')));
    expect(stored!.validatorScriptGzip).toBe(gzipSync(validatorScript(stored!.validator), { level: 9 }).length);
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...json, sources: 'other sources' }));
    expect(readPrebuiltBundles(file)).toBeUndefined();
    writeFileSync(file, JSON.stringify({ ...json, format: 'something else' }));
    expect(readPrebuiltBundles(file)).toBeUndefined();
    writeFileSync(file, JSON.stringify(json).slice(0, 1000));
    expect(readPrebuiltBundles(file)).toBeUndefined();
    expect(readPrebuiltBundles(join(tempDir(), 'absent.json'))).toBeUndefined();
  }, 60_000);
});
