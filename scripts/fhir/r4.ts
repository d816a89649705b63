/**
 * The FHIR R4 shapes every stage uses, in one home: `@types/fhir`'s r4 module, generated from
 * hl7.fhir.r4.core 4.0.1. Chosen over `@medplum/fhirtypes` 4.5.2 by measurement: it types the
 * primitive-extension siblings (`_birthDate` and 1,940 more) that the validator and the XML
 * writer read, and names only R4's resource types, where Medplum's set adds its own server
 * resources (Bot, Project, ClientApplication, ...) that are not FHIR.
 *
 * Stages pass resources as the loose `FhirResource` of model.ts (whatever JSON the user wrote);
 * `resourceOf` is the one place that narrows one to its R4 type after checking resourceType.
 */
import type * as r4 from 'fhir/r4';
import type { FhirResource } from '../model/resources.ts';

export type * from 'fhir/r4';

/** Every R4 resource type by its `resourceType`. */
export type R4Resources = { [R in r4.FhirResource as R['resourceType']]: R };

/**
 * Whether `resource` is a `type`: its resourceType says so. The one narrowing from the loose
 * FhirResource to an R4 type; what the resource holds beyond its resourceType is the validator's
 * to check, as for any JSON a user wrote.
 */
export function isResourceOf<T extends keyof R4Resources>(resource: FhirResource | undefined, type: T): resource is FhirResource & R4Resources[T] {
  return resource?.resourceType === type;
}

/** `resource` as its R4 type when it is a `type`; undefined otherwise. */
export function resourceOf<T extends keyof R4Resources>(resource: FhirResource | undefined, type: T): R4Resources[T] | undefined {
  return isResourceOf(resource, type) ? resource : undefined;
}

/**
 * R4's canonical resources, the types with a canonical URL (Java's
 * VersionUtilities.getCanonicalResourceNames; R4's MetadataResource pattern covers the same list).
 */
export const R4_CANONICAL_RESOURCE_TYPES: ReadonlySet<string> = new Set(
  (
    'ActivityDefinition CapabilityStatement ChargeItemDefinition CodeSystem CompartmentDefinition ConceptMap EffectEvidenceSynthesis ' +
    'EventDefinition Evidence EvidenceVariable ExampleScenario GraphDefinition ImplementationGuide Library Measure MessageDefinition ' +
    'NamingSystem OperationDefinition PlanDefinition Questionnaire ResearchDefinition ResearchElementDefinition RiskEvidenceSynthesis ' +
    'SearchParameter StructureDefinition StructureMap TerminologyCapabilities TestScript ValueSet'
  ).split(' ')
);
