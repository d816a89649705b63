/**
 * `--load`: conformance resources from a folder, JSON files, or a FHIR package .tgz (read in
 * memory with `tar`). Only StructureDefinition, ValueSet and CodeSystem are kept (also from
 * Bundles). An unreadable path is a diagnostic; the command turns it into exit code 2.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import type { Diagnostic, FhirResource } from '../model.ts';

const KEPT = new Set(['StructureDefinition', 'ValueSet', 'CodeSystem']);

export interface Loaded { resources: FhirResource[]; diagnostics: Diagnostic[] }

export async function loadConformance(paths: readonly string[]): Promise<Loaded> {
  const out: Loaded = { resources: [], diagnostics: [] };
  for (const path of paths) {
    try {
      if (statSync(path).isDirectory()) loadFolder(path, out);
      else if (/\.t(ar\.)?gz$/.test(path)) await loadTarball(path, out);
      else addText(readFileSync(path, 'utf8'), path, out);
    } catch (e) {
      out.diagnostics.push({ severity: 'error', rule: 'load', message: `Cannot load ${path}: ${(e as Error).message}`, location: { file: path } });
    }
  }
  return out;
}

function loadFolder(dir: string, out: Loaded): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) loadFolder(path, out);
    else if (entry.name.endsWith('.json') && !entry.name.startsWith('.')) addText(readFileSync(path, 'utf8'), path, out);
  }
}

async function loadTarball(file: string, out: Loaded): Promise<void> {
  const pending: Promise<void>[] = [];
  await tar.t({
    file,
    onReadEntry: entry => {
      if (!entry.path.endsWith('.json') || entry.path.split('/').pop()!.startsWith('.')) return entry.resume();
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
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    out.diagnostics.push({ severity: 'warning', rule: 'load', message: `Skipped ${name}: not valid JSON`, location: { file: name } });
    return;
  }
  addResource(value, out);
}

function addResource(value: unknown, out: Loaded): void {
  if (typeof value !== 'object' || value === null) return;
  const r = value as FhirResource;
  if (KEPT.has(r.resourceType) && typeof r.url === 'string') out.resources.push(r);
  if (r.resourceType === 'Bundle' && Array.isArray(r.entry)) for (const e of r.entry as { resource?: unknown }[]) addResource(e.resource, out);
}
