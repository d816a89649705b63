/**
 * Real content: a sample of the R4 core package's own conformance resources (every 15th file,
 * about 300 ValueSets, CodeSystems, StructureDefinitions, SearchParameters...). Every invariant
 * must evaluate (a failure is a tool bug, not a skipped check), and the rules that Java relaxes
 * for core content (extension contexts it corrects) must not fire.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_PACKAGE_CACHE } from '../helpers/project.ts';
import { validator } from './helpers.ts';

const DIR = join(SHARED_PACKAGE_CACHE, 'hl7.fhir.r4.core#4.0.1', 'package');

describe('the core package validated as content', () => {
  it('evaluates every invariant and raises no extension-context errors', () => {
    validator();
    const files = readdirSync(DIR)
      .filter(f => f.endsWith('.json') && !f.startsWith('.') && f !== 'package.json')
      .filter((_f, i) => i % 15 === 0);
    expect(files.length).toBeGreaterThan(250);
    const unevaluated: string[] = [];
    const contexts: string[] = [];
    for (const f of files) {
      for (const d of validator().validateText(readFileSync(join(DIR, f)), f).diagnostics) {
        if (d.message.includes('could not be evaluated')) unevaluated.push(`${f} ${d.rule} ${d.message}`);
        if (d.rule === 'extension-context') contexts.push(`${f} ${d.location?.expression}`);
      }
    }
    expect(unevaluated).toEqual([]);
    expect(contexts).toEqual([]);
  });
});
