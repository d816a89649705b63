/**
 * `site.data.structuredefinitions`, as the IG Publisher writes `_data/structuredefinitions.json`
 * for pages and templates: one entry per StructureDefinition of the guide, keyed by its id, with
 * its url, name, title, page (`path`), kind, type, base and the base's name and page
 * (`basename`, `basepath`: the guide's own page for a local base, the R4 specification's page for
 * a core one, the base's URL otherwise), status, date, abstract, derivation, publisher,
 * copyright, description and, for extensions, the context type and contexts. Real guides list
 * profiles with it (`{% for sd in site.data.structuredefinitions %}`) and read one profile's
 * facts in intro pages (`site.data.structuredefinitions.[id].type`).
 */
import type { Artifact } from '../model.ts';
import type { SiteContext } from '../page.ts';

const CORE_PREFIX = 'http://hl7.org/fhir/StructureDefinition/';
/** The base specification's pages, as `site.data.fhir.path` names them. */
export const R4_SPEC_PATH = 'http://hl7.org/fhir/R4/';
/** The displays of R4's extension-context-type codes. */
const CONTEXT_TYPE_DISPLAY: Record<string, string> = { fhirpath: 'FHIRPath', element: 'Element ID', extension: 'Extension URL' };

export function structureDefinitionsData(site: SiteContext): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  let index = 0;
  for (const a of site.index.artifacts) {
    const sd = a.resource;
    if (sd.resourceType !== 'StructureDefinition' || typeof sd.id !== 'string' || a.kind === 'example') continue;
    const base = typeof sd.baseDefinition === 'string' ? sd.baseDefinition : undefined;
    const entry: Record<string, unknown> = {
      index: index++,
      url: sd.url,
      name: text(sd.name) ?? a.title,
      title: text(sd.title) ?? a.title,
      path: a.page,
      kind: text(sd.kind),
      type: text(sd.type),
      base,
      ...baseOf(site, base),
      status: text(sd.status),
      date: text(sd.date),
      abstract: sd.abstract === true,
      derivation: text(sd.derivation),
      publisher: text(sd.publisher) ?? site.config.publisher,
      copyright: text(sd.copyright),
      description: text(sd.description) ?? a.description
    };
    const contexts = Array.isArray(sd.context) ? sd.context.filter(isRecord) : [];
    if (contexts.length) {
      const type = text(contexts[0]!.type);
      if (type) entry.contextType = CONTEXT_TYPE_DISPLAY[type] ?? type;
      entry.contexts = contexts.map(c => text(c.expression)).filter((e): e is string => e !== undefined);
    }
    out[sd.id] = entry;
  }
  return out;
}

function baseOf(site: SiteContext, base: string | undefined): { basename?: string; basepath?: string } {
  if (!base) return {};
  const bare = base.split('|')[0]!;
  const local: Artifact | undefined = site.index.byUrl.get(bare);
  if (local) return { basename: text(local.resource.name) ?? local.title, basepath: local.page };
  const tail = bare.slice(bare.lastIndexOf('/') + 1);
  if (bare.startsWith(CORE_PREFIX)) return { basename: tail, basepath: `${R4_SPEC_PATH}${tail.toLowerCase()}.html` };
  return { basename: tail, basepath: bare };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
