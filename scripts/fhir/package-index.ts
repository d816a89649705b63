/**
 * The `.index.json` of a FHIR package folder (index-version 2): one entry per resource file with
 * the fields tools look resources up by. Shared by the core-package writer and the guide's package.
 */
import type { FhirResource } from '../model/resources.ts';

export interface IndexEntry {
  filename: string;
  resourceType: string;
  id?: string;
  url?: string;
  version?: string;
  kind?: string;
  type?: string;
  supplements?: string;
  content?: string;
}

const INDEX_KEYS = ['url', 'version', 'kind', 'type', 'supplements', 'content'] as const;

export function indexEntry(filename: string, r: FhirResource): IndexEntry {
  const entry: IndexEntry = { filename, resourceType: r.resourceType };
  if (typeof r.id === 'string') entry.id = r.id;
  for (const key of INDEX_KEYS) {
    const value = r[key];
    if (typeof value === 'string') entry[key] = value;
  }
  return entry;
}
