/**
 * Structural checks of a FHIR package read from its tarball, shared by the fixture tests and
 * the real-guide test: every resource listed in its folder's index, every listed file present,
 * index entries agreeing with the files, all JSON parsing.
 */
import { expect } from 'vitest';
import type { ReadEntry } from './read-tarball.ts';

type Json = Record<string, unknown>;

export function parseAll(entries: Map<string, ReadEntry>): Map<string, Json> {
  const parsed = new Map<string, Json>();
  for (const [path, entry] of entries) {
    expect(path, 'every entry lives under package/').toMatch(/^package\//);
    expect(() => parsed.set(path, JSON.parse(entry.text) as Json), `${path} parses`).not.toThrow();
  }
  return parsed;
}

/** The resource files directly in `dir` (not package.json, not the index). */
export function resourceFiles(paths: Iterable<string>, dir: string): string[] {
  const prefix = `${dir}/`;
  return [...paths]
    .filter(p => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
    .map(p => p.slice(prefix.length))
    .filter(f => f.endsWith('.json') && f !== 'package.json' && f !== '.index.json')
    .sort();
}

export function expectIndexMatchesFiles(parsed: Map<string, Json>, dir: string): void {
  const index = parsed.get(`${dir}/.index.json`) as { 'index-version': number; files: Json[] } | undefined;
  expect(index, `${dir}/.index.json exists`).toBeDefined();
  expect(index!['index-version']).toBe(2);
  const listed = index!.files.map(f => String(f.filename));
  expect([...listed].sort()).toEqual(resourceFiles(parsed.keys(), dir));
  expect(new Set(listed).size).toBe(listed.length);
  for (const entry of index!.files) {
    const resource = parsed.get(`${dir}/${String(entry.filename)}`)!;
    for (const key of ['resourceType', 'id', 'url', 'version', 'kind', 'type', 'supplements', 'content']) {
      expect(entry[key], `${dir}/${String(entry.filename)} index ${key}`).toEqual(typeof resource[key] === 'string' ? resource[key] : undefined);
    }
  }
}
