/**
 * The site model: every compiled resource as an artifact with its page name, title, kind and
 * description, and the look-ups pages need (by canonical URL, by `Type/id`, examples per profile).
 */
import type { CompiledResource, FhirResource } from '../../model/resources.ts';
import { compareText } from '../../fhir/order.ts';
import { isJsonObject } from '../../fhir/json.ts';
import { resourceOf, type ImplementationGuideDefinitionResource } from '../../fhir/r4.ts';

export type ArtifactKind = 'profile' | 'extension' | 'logical' | 'valueset' | 'codesystem' | 'conceptmap' | 'capability' | 'other-definition' | 'example';

export interface Artifact {
  compiled: CompiledResource;
  resource: FhirResource;
  kind: ArtifactKind;
  /** `{Type}-{id}`: the page is `{base}.html`, the data `{base}.json` and `{base}.xml`. */
  base: string;
  page: string;
  title: string;
  description: string;
}

export interface ArtifactIndex {
  artifacts: Artifact[];
  byUrl: Map<string, Artifact>;
  byRef: Map<string, Artifact>;
  examplesOf: (profileUrl: string) => Artifact[];
}

export const KIND_HEADINGS: [ArtifactKind, string][] = [
  ['profile', 'Profiles'],
  ['extension', 'Extensions'],
  ['logical', 'Logical models'],
  ['valueset', 'Value sets'],
  ['codesystem', 'Code systems'],
  ['conceptmap', 'Concept maps'],
  ['capability', 'Capability statements'],
  ['other-definition', 'Other definitions'],
  ['example', 'Examples']
];

export function artifactKind(c: CompiledResource): ArtifactKind {
  const r = c.resource;
  if (c.usage === 'example') return 'example';
  if (r.resourceType === 'StructureDefinition') {
    if (r.kind === 'logical') return 'logical';
    return r.type === 'Extension' ? 'extension' : 'profile';
  }
  const kinds: Record<string, ArtifactKind> = {
    ValueSet: 'valueset',
    CodeSystem: 'codesystem',
    ConceptMap: 'conceptmap',
    CapabilityStatement: 'capability'
  };
  return kinds[r.resourceType] ?? 'other-definition';
}

export function artifactTitle(r: FhirResource): string {
  for (const key of ['title', 'name'] as const) {
    const value = r[key];
    if (typeof value === 'string' && value) return value;
  }
  return `${r.resourceType} ${r.id ?? ''}`.trim();
}

/** Names and descriptions the ImplementationGuide gives each resource (SUSHI puts instances' there). */
type IgEntry = ImplementationGuideDefinitionResource;

export function buildArtifactIndex(resources: readonly CompiledResource[], ig?: FhirResource): ArtifactIndex {
  const entries = new Map<string, IgEntry>();
  for (const e of resourceOf(ig, 'ImplementationGuide')?.definition?.resource ?? []) {
    if (e.reference?.reference) entries.set(e.reference.reference, e);
  }
  const artifacts = resources.map(c => toArtifact(c, entries.get(`${c.resource.resourceType}/${c.resource.id}`))).sort(byKindThenTitle);
  const byUrl = new Map<string, Artifact>();
  const byRef = new Map<string, Artifact>();
  for (const a of artifacts) {
    if (typeof a.resource.url === 'string') byUrl.set(a.resource.url, a);
    byRef.set(`${a.resource.resourceType}/${a.resource.id}`, a);
  }
  const examples = artifacts.filter(a => a.kind === 'example');
  const examplesOf = (url: string) => examples.filter(e => claimedProfiles(e).includes(url));
  return { artifacts, byUrl, byRef, examplesOf };
}

/** Profiles an instance claims: meta.profile plus its FSH InstanceOf. */
export function claimedProfiles(a: Artifact): string[] {
  const claimed = isJsonObject(a.resource.meta) ? a.resource.meta.profile : undefined;
  const meta = Array.isArray(claimed) ? claimed.filter((p): p is string => typeof p === 'string') : [];
  return [...new Set([...meta, ...(a.compiled.instanceOf ? [a.compiled.instanceOf] : [])])];
}

function toArtifact(compiled: CompiledResource, entry: IgEntry | undefined): Artifact {
  const r = compiled.resource;
  // A logical model's instance has the model's URL as its type: its pages are named by SUSHI's file name (`Binary-{id}`), never by the URL.
  const base = /^[A-Z][A-Za-z]*$/.test(r.resourceType)
    ? `${r.resourceType}-${r.id ?? compiled.fileName.replace(/\.json$/, '')}`
    : compiled.fileName.replace(/\.json$/, '');
  const description = typeof r.description === 'string' ? r.description : (entry?.description ?? '');
  const title =
    compiled.usage === 'example' ? exampleTitle(r, entry) : ownText(r.title) || ownText(r.name) ? artifactTitle(r) : (entry?.name ?? artifactTitle(r));
  return { compiled, resource: r, kind: artifactKind(compiled), base, page: `${base}.html`, title, description };
}

/** A string of the resource's own (Patient.name is a list, not a title). */
function ownText(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * An example's heading: its own title, else the name the ImplementationGuide gives it (SUSHI
 * puts the instance's FSH Title there, or its instance name, which is its id when it has no
 * Title), else its own string name.
 */
function exampleTitle(r: FhirResource, entry: IgEntry | undefined): string {
  const named = entry?.name && entry.name !== r.id ? entry.name : undefined;
  return ownText(r.title) ?? named ?? ownText(r.name) ?? entry?.name ?? artifactTitle(r);
}

function byKindThenTitle(a: Artifact, b: Artifact): number {
  const order = KIND_HEADINGS.map(([k]) => k);
  return order.indexOf(a.kind) - order.indexOf(b.kind) || compareText(a.title, b.title) || compareText(a.base, b.base);
}
