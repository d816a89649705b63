/**
 * The IG Publisher's artifact groups, as artifacts.html lists them and guides link to them
 * (`artifacts.html#structures-resource-profiles`, `#example-example-instances`):
 *
 * - a guide whose ImplementationGuide has `definition.grouping` (sushi-config `groups:`, or a
 *   hand-written IG) keeps its own groups, in its order, each resource in the group its
 *   `groupingId` names; a resource with none goes to "Other";
 * - otherwise each resource goes to the template's group for its kind (ig-template-base
 *   `scripts/groupings.txt` and `onGenerate.group.xslt`): "Structures: Resource Profiles",
 *   "Terminology: Value Sets", "Example: Example Instances" (anything marked an example)...
 *
 * A group's heading id is what Jekyll (kramdown, GFM input) makes of its name; its id and its
 * position are anchors too, as older templates named them (`artifacts.html#5`).
 */
import type { Artifact } from '../model.ts';
import type { SiteContext } from '../page.ts';
import { gfmHeadingId } from '../markdown.ts';
import { resourceOf } from '../../../fhir/r4.ts';

export interface IgGroup {
  id: string;
  name: string;
  description: string;
  artifacts: Artifact[];
  /** The heading's id (from the name), then the other names it is linked by. */
  anchors: string[];
}

/** ig-template-base's groups, in its order: id, name, description. */
const TEMPLATE_GROUPS: [string, string, string][] = [
  [
    '-req-actordefinition',
    'Requirements: Actor Definitions',
    'The following artifacts define the types of individuals and/or systems that will interact as part of the use cases covered by this implementation guide.'
  ],
  [
    '-req-requirements',
    'Requirements: Formal Requirements',
    'The following artifacts describe the specific requirements to be met by systems compliant with the implementation guide.'
  ],
  [
    '-dyn-capabilitystatement',
    'Behavior: Capability Statements',
    'The following artifacts define the specific capabilities that different types of systems are expected to have in order to comply with this implementation guide. Systems conforming to this implementation guide are expected to declare conformance to one or more of the following capability statements.'
  ],
  [
    '-dyn-operationdefinition',
    'Behavior: Operation Definitions',
    'These are custom operations that can be supported by and/or invoked by systems conforming to this implementation guide.'
  ],
  [
    '-dyn-messagedefinition',
    'Behavior: Message Definitions',
    'These define the types of messages that can be sent and/or received by systems conforming to this implementation guide.'
  ],
  [
    '-dyn-searchparameter',
    'Behavior: Search Parameters',
    'These define the properties by which a RESTful server can be searched. They can also be used for sorting and including related resources.'
  ],
  [
    '-ka-activitydefinition',
    'Knowledge Artifacts: Activity Definitions',
    'These define activities that can be performed as part of content in this implementation guide.'
  ],
  [
    '-ka-plandefinition',
    'Knowledge Artifacts: Plan Definitions',
    'These define workflows, rules, strategies, or protocols as part of content in this implementation guide.'
  ],
  ['-ka-measure', 'Knowledge Artifacts: Measure', 'These define measures as part of content in this implementation guide.'],
  [
    '-ka-library',
    'Knowledge Artifacts: Libraries',
    'These define logic, asset collections and other libraries as part of content in this implementation guide.'
  ],
  ['-str-graphdefinition', 'Structures: Graph Definitions', 'These define collections of interrelated resources that are useful to pass around as a group.'],
  [
    '-str-logicalmodel',
    'Structures: Logical Models',
    'These define data models that represent the domain covered by this implementation guide in more business-friendly terms than the underlying FHIR resources.'
  ],
  [
    '-str-questionnaire',
    'Structures: Questionnaires',
    'These define forms used by systems conforming to this implementation guide to capture or expose data to end users.'
  ],
  [
    '-str-abstractprofile',
    'Structures: Abstract Profiles',
    'These are profiles on resources or data types that describe patterns used by other profiles, but cannot be instantiated directly.'
  ],
  ['-str-profile', 'Structures: Resource Profiles', 'These define constraints on FHIR resources for systems conforming to this implementation guide.'],
  ['-str-datatype', 'Structures: Data Type Profiles', 'These define constraints on FHIR data types for systems conforming to this implementation guide.'],
  ['-str-extension', 'Structures: Extension Definitions', 'These define constraints on FHIR data types for systems conforming to this implementation guide.'],
  ['-term-valueset', 'Terminology: Value Sets', 'These define sets of codes used by systems conforming to this implementation guide.'],
  ['-term-codesystem', 'Terminology: Code Systems', 'These define new code systems used by systems conforming to this implementation guide.'],
  [
    '-term-namingsystem',
    'Terminology: Naming Systems',
    'These define identifier and/or code system identities used by systems conforming to this implementation guide.'
  ],
  [
    '-map-structuremap',
    'Terminology: Structure Maps',
    'These define transformations to convert between data structures used by systems conforming to this implementation guide.'
  ],
  [
    '-map-conceptmap',
    'Terminology: Concept Maps',
    'These define transformations to convert between codes by systems conforming with this implementation guide.'
  ],
  [
    '-ex-examplescenario',
    'Example: Example Scenarios',
    'These define groups of interrelated examples that demonstrate one or more of the workflows supported by this implementation guide.'
  ],
  [
    '-ex-example',
    'Example: Example Instances',
    'These are example instances that show what data produced and consumed by systems conforming with this implementation guide might look like.'
  ],
  ['-other', 'Other', 'These are resources that are used within this implementation guide that do not fit into one of the other categories.']
];

const BY_TYPE: Record<string, string> = {
  ActorDefinition: '-req-actordefinition',
  Requirements: '-req-requirements',
  CapabilityStatement: '-dyn-capabilitystatement',
  OperationDefinition: '-dyn-operationdefinition',
  MessageDefinition: '-dyn-messagedefinition',
  SearchParameter: '-dyn-searchparameter',
  ActivityDefinition: '-ka-activitydefinition',
  Measure: '-ka-measure',
  PlanDefinition: '-ka-plandefinition',
  Library: '-ka-library',
  GraphDefinition: '-str-graphdefinition',
  Questionnaire: '-str-questionnaire',
  ValueSet: '-term-valueset',
  CodeSystem: '-term-codesystem',
  NamingSystem: '-term-namingsystem',
  StructureMap: '-map-structuremap',
  ConceptMap: '-map-conceptmap',
  ExampleScenario: '-ex-examplescenario'
};

/** The template group of a resource the guide does not group itself. */
export function templateGroupId(a: Artifact): string {
  if (a.kind === 'example') return '-ex-example';
  const r = a.resource;
  if (r.resourceType === 'StructureDefinition') {
    if (r.kind === 'logical') return '-str-logicalmodel';
    if (r.abstract === true) return '-str-abstractprofile';
    if (r.type === 'Extension') return '-str-extension';
    if (r.kind === 'resource') return '-str-profile';
    return '-str-datatype';
  }
  return BY_TYPE[r.resourceType] ?? '-other';
}

const memo = new WeakMap<SiteContext, IgGroup[]>();

/** The groups that have artifacts, in order, with the artifacts in each. */
export function igGroups(site: SiteContext): IgGroup[] {
  const hit = memo.get(site);
  if (hit) return hit;
  const definition = resourceOf(site.implementationGuide, 'ImplementationGuide')?.definition;
  const own = (definition?.grouping ?? []).filter(g => g.id || g.name);
  const declared: [string, string, string][] = own.length
    ? [...own.map((g): [string, string, string] => [g.id ?? g.name, g.name ?? g.id!, g.description ?? '']), TEMPLATE_GROUPS.at(-1)!]
    : TEMPLATE_GROUPS;
  const groupingIds = new Map((definition?.resource ?? []).map(e => [e.reference?.reference ?? '', e.groupingId]));
  const members = new Map<string, Artifact[]>(declared.map(([id]) => [id, []]));
  for (const a of site.index.artifacts) {
    const given = groupingIds.get(`${a.resource.resourceType}/${a.resource.id}`);
    const id = own.length ? (given !== undefined && members.has(given) ? given : '-other') : templateGroupId(a);
    members.get(id)!.push(a);
  }
  const used = new Set<string>();
  const groups = declared
    .map(([id, name, description], position) => ({ id, name, description, artifacts: members.get(id)!, position: position + 1 }))
    .filter(g => g.artifacts.length)
    .map(g => {
      const anchors = [gfmHeadingId(g.name), g.id.replace(/^-/, ''), String(g.position)].filter(x => x && !used.has(x));
      for (const x of anchors) used.add(x);
      return { id: g.id, name: g.name, description: g.description, artifacts: g.artifacts, anchors: [...new Set(anchors)] };
    });
  memo.set(site, groups);
  return groups;
}
