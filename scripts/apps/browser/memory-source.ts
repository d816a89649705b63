/** The browser host's definitions: resources already in memory (the page's payload), by URL. */
import type { FhirResource } from '../../model/resources.ts';
import type { DefinitionSource } from '../../lib/validator/definitions.ts';

export function memorySource(resources: Iterable<FhirResource>): DefinitionSource {
  const byUrl = new Map<string, FhirResource>();
  for (const r of resources) if (typeof r.url === 'string') byUrl.set(r.url, r);
  return { has: url => byUrl.has(url), read: url => byUrl.get(url) };
}
