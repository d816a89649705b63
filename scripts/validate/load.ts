/**
 * `--load`: conformance resources from a folder, JSON or XML files, or a FHIR package .tgz (read
 * in memory with `tar`). StructureDefinition, ValueSet, CodeSystem, Questionnaire and
 * ImplementationGuide (its global profiles) are kept, also from Bundles; what is skipped is
 * reported, one line per path. An unreadable path is a diagnostic; the command turns it into exit
 * code 2.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import type { Diagnostic, FhirResource } from '../model.ts';
import { parseInput } from './parse.ts';

const KEPT = new Set(['StructureDefinition', 'ValueSet', 'CodeSystem', 'Questionnaire', 'ImplementationGuide']);

export interface Loaded { resources: FhirResource[]; diagnostics: Diagnostic[] }

/** Resource types skipped while loading the current path, with counts. */
const skipped = new Map<string, number>();

export async function loadConformance(paths: readonly string[]): Promise<Loaded> {
  const out: Loaded = { resources: [], diagnostics: [] };
  for (const path of paths) {
    const before = out.resources.length;
    skipped.clear();
    try {
      if (statSync(path).isDirectory()) loadFolder(path, out);
      else if (/\.t(ar\.)?gz$/.test(path)) await loadTarball(path, out);
      else addText(readFileSync(path, 'utf8'), path, out);
    } catch (e) {
      out.diagnostics.push({ severity: 'error', rule: 'load', message: `Cannot load ${path}: ${(e as Error).message}`, location: { file: path } });
    }
    if (skipped.size > 0) {
      const list = [...skipped].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${n}`).join(', ');
      const total = [...skipped.values()].reduce((a, b) => a + b, 0);
      out.diagnostics.push({ severity: 'information', rule: 'load-skipped', message: `${path}: kept ${out.resources.length - before} conformance resources; skipped ${total} not used for validation (${list})`, location: { file: path } });
    }
  }
  return out;
}

function loadFolder(dir: string, out: Loaded): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) loadFolder(path, out);
    else if (/\.(json|xml)$/.test(entry.name) && !entry.name.startsWith('.')) addText(readFileSync(path, 'utf8'), path, out);
  }
}

async function loadTarball(file: string, out: Loaded): Promise<void> {
  const pending: Promise<void>[] = [];
  await tar.t({
    file,
    onReadEntry: entry => {
      if (!/\.(json|xml)$/.test(entry.path) || entry.path.split('/').pop()!.startsWith('.')) return entry.resume();
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      pending.push(new Promise(done => entry.on('end', () => {
        addText(Buffer.concat(chunks).toString('utf8'), `${file}:${entry.path}`, out);
        done();
      })));
    }
  });
  await Promise.all(pending);
}

function addText(text: string, name: string, out: Loaded): void {
  const parsed = parseInput(text, name);
  if (!parsed.value) {
    out.diagnostics.push({ severity: 'warning', rule: 'load', message: `Skipped ${name}: ${parsed.problem?.message ?? 'not FHIR JSON or XML'}`, location: { file: name } });
    return;
  }
  addResource(parsed.value, out);
}

function addResource(value: unknown, out: Loaded): void {
  if (typeof value !== 'object' || value === null) return;
  const r = value as FhirResource;
  if (KEPT.has(r.resourceType) && typeof r.url === 'string') out.resources.push(r);
  else if (r.resourceType === 'Bundle' && Array.isArray(r.entry)) for (const e of r.entry as { resource?: unknown }[]) addResource(e.resource, out);
  else if (typeof r.resourceType === 'string') skipped.set(r.resourceType, (skipped.get(r.resourceType) ?? 0) + 1);
}
