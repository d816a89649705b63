/**
 * The narrative stage: like the IG Publisher, give every compiled resource that has no narrative
 * a generated one, in memory (fsh-generated/ stays exactly what SUSHI produces), before it is
 * validated, packaged and rendered.
 */
import type { StageRun } from '../context.ts';
import { generateNarrative } from './generate.ts';

export const narrativeStage: StageRun = async ctx => {
  let count = 0;
  for (const compiled of ctx.compiled?.resources ?? []) {
    const text = generateNarrative(compiled.resource);
    if (!text) continue;
    compiled.resource = withText(compiled.resource, text);
    count++;
  }
  return { diagnostics: [], summary: `${count} narratives generated` };
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
