/**
 * Predefined StructureDefinitions (input/resources, input/profiles, ...) that ship only a
 * differential get the snapshot the IG Publisher would give them, so the guide's examples are
 * validated against them and the package carries it. Bases are looked up among the guide's own
 * resources first (an FSH profile can be the base), then in the loaded packages.
 */
import type { CompiledResource, FhirResource } from '../../model/resources.ts';
import type { Diagnostic } from '../../model/diagnostics.ts';
import { SnapshotError, snapshotGenerator, type Element, type StructureDefinitionJson } from '../../lib/snapshot/snapshot.ts';

export function addSnapshots(resources: CompiledResource[], lookup: (url: string) => FhirResource | undefined): Diagnostic[] {
  const own = new Map<string, FhirResource>();
  for (const r of resources) if (r.resource.resourceType === 'StructureDefinition' && typeof r.resource.url === 'string') own.set(r.resource.url, r.resource);
  const generator = snapshotGenerator(url => (own.get(url) ?? lookup(url)) as StructureDefinitionJson | undefined);
  const diagnostics: Diagnostic[] = [];
  for (const r of resources) {
    const sd = r.resource as StructureDefinitionJson;
    if (!r.predefined || sd.resourceType !== 'StructureDefinition' || sd.snapshot?.element?.length || !sd.differential?.element?.length) continue;
    try {
      const elements: Element[] = generator.snapshot(sd);
      r.resource = { ...r.resource, snapshot: { element: elements } } as FhirResource;
      own.set(sd.url!, r.resource);
    } catch (e) {
      const where = e instanceof SnapshotError && e.elementId ? ` (at ${e.elementId})` : '';
      diagnostics.push({
        severity: 'error',
        rule: 'snapshot',
        message: `No snapshot could be generated for StructureDefinition/${String(sd.id)} from its differential${where}: ${(e as Error).message}`,
        location: { file: r.predefined }
      });
    }
  }
  return diagnostics;
}
