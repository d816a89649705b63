/** One release as the comparisons ask of it: definitions by URL, value set codes, profile ancestry. */
import type { FhirResource } from '../../model/resources.ts';
import { expandValueSet } from '../../fhir/valueset-expansion.ts';
import { resourceOf } from '../../fhir/r4.ts';
import type { Release } from './load.ts';

/** What comparisons ask of one release: definitions by URL, value set codes, profile ancestry. */
export class Side {
  private readonly byUrl = new Map<string, FhirResource>();
  private readonly expanded = new Map<string, Set<string> | undefined>();

  constructor(readonly release: Release) {
    for (const { resource } of release.resources) if (typeof resource.url === 'string') this.byUrl.set(resource.url, resource);
  }

  get(url: string): FhirResource | undefined {
    return this.byUrl.get(url.split('|')[0]!);
  }

  /** `system#code` of every code in the value set, or undefined when it cannot be expanded here. */
  codes(url: string): Set<string> | undefined {
    if (this.expanded.has(url)) return this.expanded.get(url);
    const vs = this.get(url);
    let codes: Set<string> | undefined;
    if (vs?.resourceType === 'ValueSet') {
      const expansion = expandValueSet(u => this.get(u), vs);
      if (!expansion.open.size && !expansion.problems.length) codes = new Set(expansion.codes.map(c => `${c.system}#${c.code}`));
    }
    this.expanded.set(url, codes);
    return codes;
  }

  /** Whether profile `url`'s base chain (within this release) reaches `ancestor`. */
  derivesFrom(url: string, ancestor: string): boolean {
    const seen = new Set<string>();
    for (let u: string | undefined = url; u && !seen.has(u); u = resourceOf(this.get(u), 'StructureDefinition')?.baseDefinition) {
      seen.add(u);
      if (u !== url && u.split('|')[0] === ancestor) return true;
      if (!this.get(u)) return false;
    }
    return false;
  }
}
