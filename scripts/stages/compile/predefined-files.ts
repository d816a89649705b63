/**
 * Loading the predefined resources (input/resources, input/examples, ... and `path-resource`
 * folders) as SUSHI does (its `sushi-local` virtual package: the same files, in the same order),
 * but each file checked first with the limits every JSON and XML reader has (fhir/input-limits.ts):
 * only regular files, a size, a nesting depth (the loaders recurse once per level), no DOCTYPE in
 * XML, and JSON that parses. A file that fails is a located error saying why, and is not loaded,
 * instead of SUSHI's "Failed to register resource" without a reason, or a stack overflow.
 */
import { readdirSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { DiskBasedVirtualPackage } from 'fhir-package-loader';
import { documentLimitProblem, hasDoctype, INPUT_LIMITS } from '../../fhir/input-limits.ts';
import type { Diagnostic } from '../../model/diagnostics.ts';
import { isReadProblem, readRegularFile } from '../../project/files.ts';
import { PREDEFINED_PACKAGE, predefinedResourceFolders, sushiLogMessage, type SushiConfig } from './sushi/adapter.ts';

interface Definitions {
  loadVirtualPackage(pkg: DiskBasedVirtualPackage): Promise<unknown>;
}

/** Load the project's predefined resources into `defs`; the files refused, as diagnostics. */
export async function loadPredefinedFiles(defs: Definitions, input: string, root: string, parameters: SushiConfig['parameters']): Promise<Diagnostic[]> {
  const folders = predefinedResourceFolders(input, root, parameters);
  const diagnostics: Diagnostic[] = [];
  const accepted: string[] = [];
  for (const file of filePaths(folders)) {
    const problem = fileProblem(file);
    if (problem === undefined) accepted.push(file);
    else
      diagnostics.push({
        severity: 'error',
        rule: 'predefined-unreadable',
        message: `${problem}; the resource was not loaded`,
        location: { file: relative(root, file).split(sep).join('/') }
      });
  }
  // The accepted files themselves as the package's paths: fhir-package-loader reads them in the same (sorted) order.
  const pkg = new DiskBasedVirtualPackage({ ...PREDEFINED_PACKAGE }, accepted, {
    log: sushiLogMessage,
    allowNonResources: true,
    recursive: true
  });
  await defs.loadVirtualPackage(pkg);
  return diagnostics;
}

/** What fhir-package-loader's DiskBasedVirtualPackage lists: files in each folder (not links), sub-folders too, sorted. */
function filePaths(folders: readonly string[]): string[] {
  const out = new Set<string>();
  const walk = (p: string) => {
    let stat;
    try {
      stat = statSync(p);
    } catch {
      return;
    }
    if (stat.isFile()) out.add(resolve(p));
    else if (stat.isDirectory()) {
      for (const entry of readdirSync(p, { withFileTypes: true })) {
        if (entry.isFile()) out.add(resolve(p, entry.name));
        else if (entry.isDirectory()) walk(resolve(p, entry.name));
      }
    }
  };
  folders.forEach(walk);
  return [...out].sort();
}

/** Why a JSON or XML file cannot be loaded; undefined for other files (SUSHI skips them) and good ones. */
function fileProblem(file: string): string | undefined {
  const format = /\.json$/i.test(file) ? 'json' : /\.xml$/i.test(file) && !/-spreadsheet\.xml$/i.test(file) ? 'xml' : undefined;
  if (!format) return undefined;
  const bytes = readRegularFile(file, INPUT_LIMITS.maxBytes);
  if (isReadProblem(bytes)) return `the file cannot be read: ${bytes.message}`;
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const limit = documentLimitProblem(text, format, bytes.length);
  if (limit) return limit;
  if (format === 'xml') {
    if (/<\?mso-application progid="Excel\.Sheet"\?>/m.test(text)) return undefined;
    if (hasDoctype(text))
      return 'the XML has a DOCTYPE or an entity declaration, which FHIR XML does not allow (entities can expand without bound or read files)';
    return undefined;
  }
  try {
    JSON.parse(text);
  } catch (e) {
    return `the file is not valid JSON (${e instanceof Error ? e.message : String(e)})`;
  }
  return undefined;
}
