/**
 * Conformance resources the validator reads: the core definitions, read lazily one by one from a
 * `DefinitionSource` (parsing all 4,480 resources up front costs seconds; a typical instance needs
 * a few dozen), with the guide's own and `--load`ed resources layered on top. The source is the
 * host's business: Node reads the package cache (core-source.ts), the browser an in-memory
 * payload. One root `Definitions` is kept per source; `overlay` makes a cheap per-run view.
 */
import type { FhirResource } from '../../model/resources.ts';
import { isJsonObject } from '../../fhir/json.ts';

/** Where core definitions come from: each canonical URL it holds, read on first use. */
export interface DefinitionSource {
  has(url: string): boolean;
  read(url: string): FhirResource | undefined;
}

export const CONFORMANCE_TYPES = new Set(['StructureDefinition', 'ValueSet', 'CodeSystem', 'Questionnaire', 'ImplementationGuide']);

/**
 * Canonical resources other resources are checked against but that no structure needs: a
 * CapabilityStatement's or derived SearchParameter's SearchParameter, a MeasureReport's Measure
 * and a Measure's Library (Java's SearchParameterValidator, CapabilityStatementValidator, MeasureValidator). Kept from the
 * guide and --load, and read from the core package; not part of the check page's closure.
 */
export const REFERENCED_TYPES = new Set(['SearchParameter', 'Measure', 'Library']);

export class Definitions {
  private readonly parsed = new Map<string, FhirResource | null>();
  private readonly local = new Map<string, FhirResource>();
  /** Caches other modules key by this object (profile indexes, expansions). */
  readonly cache = new Map<string, unknown>();

  constructor(
    private readonly source?: DefinitionSource,
    private readonly parent?: Definitions
  ) {}

  /** A view with `resources` added (they win over this one's). */
  overlay(resources: Iterable<FhirResource>): Definitions {
    const view = new Definitions(undefined, this);
    for (const r of resources) view.add(r);
    return view;
  }

  add(resource: FhirResource): void {
    if (typeof resource.url !== 'string') return;
    if (CONFORMANCE_TYPES.has(resource.resourceType) || REFERENCED_TYPES.has(resource.resourceType)) this.local.set(resource.url, resource);
  }

  /** The resource with this canonical URL (a `|version` suffix is ignored). */
  get(canonical: string | undefined): FhirResource | undefined {
    if (!canonical) return undefined;
    const url = canonical.split('|')[0]!;
    const own = this.local.get(url) ?? this.fromSource(url);
    return own ?? this.parent?.get(url);
  }

  /** The `type` a definition states (a StructureDefinition's), when it is a string. */
  typeOf(canonical: string | undefined): string | undefined {
    const type = this.get(canonical)?.type;
    return typeof type === 'string' ? type : undefined;
  }

  has(canonical: string): boolean {
    return this.get(canonical) !== undefined;
  }

  /** Own resources only (not the core package): what a guide or --load added. */
  localResources(): FhirResource[] {
    return [...(this.parent?.localResources() ?? []), ...this.local.values()];
  }

  /**
   * Per-view cache. Entries derived from a core resource (`coreUrl`) are shared through the root,
   * so every run reuses them; the rest stay in this view (guide resources change between runs).
   */
  cached<T>(key: string, make: () => T, coreUrl?: string): T {
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const value = coreUrl && this.parent && this.isCore(coreUrl) ? this.root().cached(key, make) : make();
    this.cache.set(key, value);
    return value;
  }

  /** True when `url` comes from the core package (its indexes may be cached there). */
  isCore(canonical: string): boolean {
    const url = canonical.split('|')[0]!;
    if (this.local.has(url)) return false;
    if (this.source?.has(url)) return true;
    return this.parent?.isCore(url) ?? false;
  }

  /** Profiles that ImplementationGuide.global says every resource of `type` must conform to. */
  globalProfiles(type: string): string[] {
    const all = this.cached('global-profiles', () => {
      const map = new Map<string, string[]>();
      for (const r of this.localResources()) {
        if (r.resourceType !== 'ImplementationGuide' || !Array.isArray(r.global)) continue;
        for (const g of r.global) {
          if (isJsonObject(g) && typeof g.type === 'string' && typeof g.profile === 'string') map.set(g.type, [...(map.get(g.type) ?? []), g.profile]);
        }
      }
      return map;
    });
    return all.get(type) ?? [];
  }

  root(): Definitions {
    return this.parent ? this.parent.root() : this;
  }

  private fromSource(url: string): FhirResource | undefined {
    if (!this.source) return undefined;
    const cached = this.parsed.get(url);
    if (cached !== undefined) return cached ?? undefined;
    const resource = this.source.has(url) ? (this.source.read(url) ?? null) : null;
    this.parsed.set(url, resource);
    return resource ?? undefined;
  }
}

export const BASE = 'http://hl7.org/fhir/StructureDefinition/';
