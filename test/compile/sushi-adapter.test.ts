/**
 * SUSHI behind one adapter (scripts/stages/compile/sushi/): only that folder imports fsh-sushi,
 * and the rest of the toolchain reaches it only through adapter.ts. The speed-ups run only on a
 * verified fsh-sushi version and unless switched off; otherwise a compile says so once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideSpeedups, SPEEDUPS_OFF_RULE, VERIFIED_SUSHI_VERSIONS } from '../../scripts/stages/compile/sushi/speedups-version.ts';
import { installedSushiVersion } from '../../scripts/stages/compile/sushi/adapter.ts';
import { REPO_ROOT } from '../helpers/project.ts';

const SCRIPTS = join(REPO_ROOT, 'scripts');
const ADAPTER_DIR = 'scripts/stages/compile/sushi/';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []
  );
}

/** Every module specifier a file imports or re-exports (static and dynamic). */
function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g)) out.push(m[1]!);
  return out;
}

describe('SUSHI behind one adapter', () => {
  const files = sources(SCRIPTS).map(f => ({ rel: relative(REPO_ROOT, f).split('\\').join('/'), text: readFileSync(f, 'utf8') }));

  it('finds the imports it checks', () => {
    const adapter = files.find(f => f.rel === `${ADAPTER_DIR}adapter.ts`);
    expect(specifiers(adapter!.text)).toEqual(expect.arrayContaining(['fsh-sushi', 'fsh-sushi/dist/ig/index.js', './speedups.ts']));
  });

  it('is the only place that imports fsh-sushi', () => {
    const outside = files.filter(f => !f.rel.startsWith(ADAPTER_DIR) && specifiers(f.text).some(s => s === 'fsh-sushi' || s.startsWith('fsh-sushi/')));
    expect(outside.map(f => f.rel)).toEqual([]);
  });

  it('is entered through adapter.ts only', () => {
    const inside = (spec: string) => /(^|\/)sushi\/(?!adapter\.ts$)[^/]+\.ts$/.test(spec);
    const reaching = files.filter(f => !f.rel.startsWith(ADAPTER_DIR) && specifiers(f.text).some(inside));
    expect(reaching.map(f => f.rel)).toEqual([]);
  });
});

describe('the speed-ups version check', () => {
  it('reads the installed fsh-sushi version through the toolchain', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'fsh-sushi', 'package.json'), 'utf8')) as { version: string };
    expect(installedSushiVersion()).toBe(manifest.version);
  });

  it('runs the speed-ups on a verified version, without a notice', () => {
    expect(decideSpeedups(VERIFIED_SUSHI_VERSIONS[0], undefined)).toEqual({ on: true });
    expect(decideSpeedups('3.21.0', '1', ['3.21.0'])).toEqual({ on: true });
  });

  it('falls back to plain SUSHI on another version, with one notice naming both versions', () => {
    const decision = decideSpeedups('3.22.0-beta.1', undefined, ['3.21.0']);
    expect(decision.on).toBe(false);
    expect(decision.notice).toMatchObject({ severity: 'information', rule: SPEEDUPS_OFF_RULE });
    expect(decision.notice!.message).toContain('fsh-sushi 3.22.0-beta.1 is installed');
    expect(decision.notice!.message).toContain('verified on fsh-sushi 3.21.0');
    // A version that only starts like a verified one is another version.
    expect(decideSpeedups('3.21.01', undefined, ['3.21.0']).on).toBe(false);
  });

  it('falls back when the version cannot be read', () => {
    const decision = decideSpeedups(undefined, undefined, ['3.21.0']);
    expect(decision.on).toBe(false);
    expect(decision.notice!.message).toContain('version unknown');
  });

  it('is turned off by VM_IG_SUSHI_SPEEDUPS=0 (or false, off, no), quietly', () => {
    for (const value of ['0', 'false', 'OFF', ' no ']) expect(decideSpeedups('3.21.0', value, ['3.21.0'])).toEqual({ on: false });
    expect(decideSpeedups('3.21.0', 'yes', ['3.21.0'])).toEqual({ on: true });
  });
});
