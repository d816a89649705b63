/**
 * The guide's OpenAPI description, for the package and site stages: made when the guide has the
 * Spine capability statement the sandbox serves; a guide without one has none, and a guide whose
 * scenario table and examples disagree gets error diagnostics instead (so `npm run build` fails
 * on the drift the sandbox would refuse to start with).
 */
import type { CompiledResource } from '../../model/resources.ts';
import type { Diagnostic } from '../../model/diagnostics.ts';
import { sandboxGuide, SandboxGuideError } from '../spine/guide.ts';
import { GUIDE_IDS } from '../spine/spine.ts';
import { openApiDocument, openApiFileName } from './generate.ts';
import { apiReference, apiReferenceMarkdown, type ApiReference } from './reference.ts';

export interface GuideOpenApi {
  fileName: string;
  /** The description as indented JSON with a final newline. */
  text: string;
  document: Record<string, unknown>;
  /** The API reference page's body, as markdown (for the IG Publisher). */
  reference: string;
  /** The same, as data (the site renders it as HTML). */
  referenceModel: ApiReference;
}

export function guideOpenApi(resources: readonly CompiledResource[]): { openApi?: GuideOpenApi; diagnostics: Diagnostic[] } {
  const cs = resources.find(r => r.resource.resourceType === 'CapabilityStatement' && r.resource.id === GUIDE_IDS.capability);
  if (!cs) return { diagnostics: [] };
  try {
    const guide = sandboxGuide(resources);
    const document = openApiDocument(guide);
    const fileName = openApiFileName(guide);
    const referenceModel = apiReference(document, fileName);
    return {
      openApi: { fileName, document, text: `${JSON.stringify(document, null, 2)}\n`, reference: apiReferenceMarkdown(referenceModel), referenceModel },
      diagnostics: []
    };
  } catch (e) {
    if (!(e instanceof SandboxGuideError)) throw e;
    const file = cs.source?.file ?? 'fsh';
    return {
      diagnostics: e.problems.map(p => ({ severity: 'error' as const, rule: 'openapi-guide', message: `OpenAPI and sandbox: ${p}`, location: { file } }))
    };
  }
}
