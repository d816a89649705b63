/**
 * The narrative stage: like the IG Publisher, give every compiled resource that has no narrative
 * a generated one, in memory (fsh-generated/ stays exactly what SUSHI produces), before it is
 * validated, packaged and rendered. Conformance artifacts also get the guide's metadata (version,
 * publisher, contact, jurisdiction, date) where they carry none, as the IG Publisher applies it.
 */
import type { StageRun } from '../context.ts';
import { generateNarrative } from './generate.ts';
import { guideMetadata, withGuideMetadata } from './metadata.ts';

export const narrativeStage: StageRun = async ctx => {
  let count = 0;
  let stamped = 0;
  const meta = guideMetadata(ctx.compiled?.implementationGuide?.resource);
  for (const compiled of ctx.compiled?.resources ?? []) {
    const applied = withGuideMetadata(compiled.resource, meta, compiled.usage === 'example');
    if (applied) {
      compiled.resource = applied;
      stamped++;
    }
    const text = generateNarrative(compiled.resource);
    if (!text) continue;
    compiled.resource = withText(compiled.resource, text);
    count++;
  }
  return { diagnostics: [], summary: `${count} narratives generated` + (stamped ? `; guide metadata applied to ${stamped} artifacts` : '') };
};

/** Insert `text` where FHIR puts it: after id/meta/implicitRules/language. */
function withText<T extends { resourceType: string }>(resource: T, text: unknown): T {
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
  return out as T;
}
