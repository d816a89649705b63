/**
 * Predefined StructureDefinitions (input/resources, input/profiles, ...) that ship only a
 * differential get the snapshot the IG Publisher would give them, so the guide's examples are
 * validated against them and the package carries it. Bases are looked up among the guide's own
 * resources first (an FSH profile can be the base), then in the loaded packages.
 */
import type { CompiledResource, FhirResource } from '../../model/resources.ts';
import type { Diagnostic } from '../../model/diagnostics.ts';
import { SnapshotError, snapshotGenerator, type Element, type StructureDefinitionJson } from '../../lib/snapshot/snapshot.ts';
import { errorMessage } from '../../util/errors.ts';

export function addSnapshots(resources: CompiledResource[], lookup: (url: string) => FhirResource | undefined): Diagnostic[] {
  const own = new Map<string, FhirResource>();
  for (const r of resources) if (r.resource.resourceType === 'StructureDefinition' && typeof r.resource.url === 'string') own.set(r.resource.url, r.resource);
  const generator = snapshotGenerator(url => structureDefinition(own.get(url) ?? lookup(url)));
  const diagnostics: Diagnostic[] = [];
  for (const r of resources) {
    const sd = r.resource;
    if (!r.predefined || !isStructureDefinition(sd) || sd.snapshot?.element?.length || !sd.differential?.element?.length) continue;
    try {
      const elements: Element[] = generator.snapshot(sd);
      r.resource = { ...r.resource, snapshot: { element: elements } };
      if (sd.url !== undefined) own.set(sd.url, r.resource);
    } catch (e) {
      const where = e instanceof SnapshotError && e.elementId ? ` (at ${e.elementId})` : '';
      diagnostics.push({
        severity: 'error',
        rule: 'snapshot',
        message: `No snapshot could be generated for StructureDefinition/${String(sd.id)} from its differential${where}: ${errorMessage(e)}`,
        location: { file: r.predefined }
      });
    }
  }
  return diagnostics;
}

/**
 * Whether a resource is a StructureDefinition, as the snapshot generator reads one (its resourceType
 * says so; what it holds is the validator's to check, as for any resource a user wrote).
 */
function isStructureDefinition(resource: FhirResource | undefined): resource is FhirResource & StructureDefinitionJson {
  return resource?.resourceType === 'StructureDefinition';
}

function structureDefinition(resource: FhirResource | undefined): StructureDefinitionJson | undefined {
  return isStructureDefinition(resource) ? resource : undefined;
}
