/**
 * The narrative stage: like the IG Publisher, give every compiled resource that has no narrative
 * a generated one, in memory (fsh-generated/ stays exactly what SUSHI produces), before it is
 * validated, packaged and rendered. Conformance artifacts also get the guide's metadata (version,
 * publisher, contact, jurisdiction, date) where they carry none, as the IG Publisher applies it.
 */
import type { StageRun } from '../../pipeline/context.ts';
import type { FhirResource } from '../../model/resources.ts';
import { generateNarrative } from './generate.ts';
import { guideMetadata, withGuideMetadata } from './metadata.ts';
import { isFhirResource, isJsonObject } from '../../fhir/json.ts';

export const narrativeStage: StageRun = async ctx => {
  const skip = noNarrative(ctx.config?.raw.parameters);
  let count = 0;
  let stamped = 0;
  const meta = guideMetadata(ctx.compiled?.implementationGuide?.resource);
  const narrate = (resource: FhirResource): FhirResource => {
    if (skip(resource)) return resource;
    const withEntries = resource.resourceType === 'Bundle' ? narrateEntries(resource, narrate) : resource;
    const text = generateNarrative(withEntries);
    if (!text) return withEntries;
    count++;
    return withText(withEntries, text);
  };
  for (const compiled of ctx.compiled?.resources ?? []) {
    const applied = withGuideMetadata(compiled.resource, meta, compiled.usage === 'example');
    if (applied) {
      compiled.resource = applied;
      stamped++;
    }
    compiled.resource = narrate(compiled.resource);
  }
  return { diagnostics: [], summary: `${count} narratives generated` + (stamped ? `; guide metadata applied to ${stamped} artifacts` : '') };
};

/**
 * The IG Publisher's `no-narrative` parameter: `Type/id`, `Type/*` or `*` values name resources
 * that keep no generated narrative (sushi-config `parameters: no-narrative: ...`, one or a list).
 */
export function noNarrative(parameters: unknown): (r: FhirResource) => boolean {
  const raw = isJsonObject(parameters) ? parameters['no-narrative'] : undefined;
  const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
  return r => values.some(v => v === '*' || v === `${r.resourceType}/*` || v === `${r.resourceType}/${r.id}`);
}

/** A Bundle has no narrative of its own; its entries' resources get one (as the IG Publisher does). */
function narrateEntries(bundle: FhirResource, narrate: (r: FhirResource) => FhirResource): FhirResource {
  if (!Array.isArray(bundle.entry)) return bundle;
  const entry = bundle.entry.map((e: unknown) => (isJsonObject(e) && isFhirResource(e.resource) ? { ...e, resource: narrate(e.resource) } : e));
  return { ...bundle, entry };
}

/** Insert `text` where FHIR puts it: after id/meta/implicitRules/language. */
function withText(resource: FhirResource, text: unknown): FhirResource {
  const out: Record<string, unknown> = {};
  let placed = false;
  for (const [k, v] of Object.entries(resource)) {
    if (!placed && !['resourceType', 'id', 'meta', 'implicitRules', 'language'].includes(k)) {
      out.text = text;
      placed = true;
    }
    out[k] = v;
  }
  if (!placed) out.text = text;
  // `out` holds every property of `resource`, its resourceType among them.
  return isFhirResource(out) ? out : resource;
}
