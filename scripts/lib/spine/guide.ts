/**
 * The sandbox's view of the compiled guide: the capability statement, the interaction ids it
 * names, the Spine error codes with their HTTP status and example OperationOutcome, the test
 * scenarios and the examples they return, and the audit profiles. Built once at start; any
 * inconsistency between the scenario table and the examples stops the sandbox with every
 * problem listed, so the sandbox cannot drift from the guide.
 */
import type { CompiledResource, FhirResource } from '../../model/resources.ts';
import { propertyText as conceptProperty } from '../../fhir/concepts.ts';
import { allConcepts } from '../../fhir/generated-tables.ts';
import { isValidNhsNumber, NHS_NUMBER_SYSTEM } from '../../fhir/nhs-number.ts';
import { GUIDE_IDS, RESOURCE_CLAIMS } from './spine.ts';
import { resourceOf } from '../../fhir/r4.ts';

export interface SpineErrorCode {
  code: string;
  display: string;
  httpStatus: number;
  issueType: string;
  severity: string;
  /** The guide's example OperationOutcome for this code. */
  example: FhirResource;
}

export interface Scenario {
  /** The NHS Number or ASID that selects the scenario. */
  key: string;
  keyType: 'nhs-number' | 'asid';
  title: string;
  description: string;
  httpStatus: number;
  /** `Observation/id` or `OperationOutcome/id`. */
  response: string;
  resource: FhirResource;
}

export interface SandboxGuide {
  resources: FhirResource[];
  capability: FhirResource;
  interactions: { search: string; metadata: string };
  observationCodeSystem: string;
  observationCode: string;
  errors: Map<string, SpineErrorCode>;
  scenarios: Scenario[];
  byNhsNumber: Map<string, Scenario>;
  byAsid: Map<string, Scenario>;
  /** Search response templates: the guide's example Bundles for a match and for NO_RECORD_FOUND. */
  bundleTemplates: { match: FhirResource; noRecord: FhirResource };
  /** Canonical URL of each JWT resource claim's audit profile. */
  claimProfiles: Map<string, string>;
  auditEventProfile: string;
  /** Canonical URL of the look-up audit agent-type code system. */
  auditAgentTypes: string;
}

export class SandboxGuideError extends Error {
  constructor(readonly problems: string[]) {
    super(`the guide cannot drive the sandbox:\n${problems.map(p => `  - ${p}`).join('\n')}`);
  }
}

export function sandboxGuide(compiled: readonly CompiledResource[]): SandboxGuide {
  const problems: string[] = [];
  const resources = compiled.map(c => c.resource);
  const byRef = new Map(resources.filter(r => r.id).map(r => [`${r.resourceType}/${r.id}`, r]));
  const need = (ref: string): FhirResource => {
    const r = byRef.get(ref);
    if (!r) problems.push(`the guide has no ${ref}`);
    return r ?? { resourceType: ref.split('/')[0]! };
  };
  const capability = need(`CapabilityStatement/${GUIDE_IDS.capability}`);
  const obsCs = need(`CodeSystem/${GUIDE_IDS.observationCodes}`);
  const errors = errorCodes(need(`CodeSystem/${GUIDE_IDS.errorCodes}`), resources, problems);
  const scenarios = scenarioTable(need(`CodeSystem/${GUIDE_IDS.scenarios}`), byRef, errors, problems);
  const claimProfiles = new Map(RESOURCE_CLAIMS.map(c => [c.claim, String(need(`StructureDefinition/${c.profile}`).url)]));
  const auditEventProfile = String(need(`StructureDefinition/${GUIDE_IDS.auditEventProfile}`).url);
  const guide: SandboxGuide = {
    resources,
    capability,
    interactions: interactionIds(capability, problems),
    observationCodeSystem: String(obsCs.url),
    observationCode: allConcepts(obsCs)[0]?.code ?? '',
    errors,
    scenarios,
    byNhsNumber: new Map(scenarios.filter(s => s.keyType === 'nhs-number').map(s => [s.key, s])),
    byAsid: new Map(scenarios.filter(s => s.keyType === 'asid').map(s => [s.key, s])),
    bundleTemplates: bundleTemplates(resources, problems),
    claimProfiles,
    auditEventProfile,
    auditAgentTypes: String(need(`CodeSystem/${GUIDE_IDS.auditAgentTypes}`).url)
  };
  if (problems.length) throw new SandboxGuideError(problems);
  return guide;
}

function errorCodes(cs: FhirResource, resources: FhirResource[], problems: string[]): Map<string, SpineErrorCode> {
  const examples = new Map<string, FhirResource>();
  for (const r of resources) {
    if (r.resourceType !== 'OperationOutcome') continue;
    const code = spineCodeOf(r);
    if (code && !examples.has(code)) examples.set(code, r);
  }
  const out = new Map<string, SpineErrorCode>();
  for (const c of allConcepts(cs)) {
    const example = examples.get(c.code);
    if (!example) problems.push(`Spine error code ${c.code} has no example OperationOutcome`);
    const httpStatus = Number(conceptProperty(c, 'httpStatus'));
    if (!Number.isInteger(httpStatus)) problems.push(`Spine error code ${c.code} has no httpStatus property`);
    out.set(c.code, {
      code: c.code,
      display: c.display ?? c.code,
      httpStatus,
      issueType: conceptProperty(c, 'issueType'),
      severity: conceptProperty(c, 'issueSeverity'),
      example: example ?? { resourceType: 'OperationOutcome' }
    });
  }
  return out;
}

/** The Spine error code an OperationOutcome carries in issue[0].details. */
export function spineCodeOf(outcome: FhirResource): string | undefined {
  return resourceOf(outcome, 'OperationOutcome')?.issue?.[0]?.details?.coding?.[0]?.code;
}

function scenarioTable(cs: FhirResource, byRef: Map<string, FhirResource>, errors: Map<string, SpineErrorCode>, problems: string[]): Scenario[] {
  return allConcepts(cs).map(c => {
    const keyType = conceptProperty(c, 'keyType') === 'asid' ? 'asid' : 'nhs-number';
    const response = conceptProperty(c, 'response');
    const httpStatus = Number(conceptProperty(c, 'httpStatus'));
    const resource = byRef.get(response);
    const scenario: Scenario = {
      key: c.code,
      keyType,
      title: c.display ?? c.code,
      description: c.definition ?? '',
      httpStatus,
      response,
      resource: resource ?? { resourceType: 'OperationOutcome' }
    };
    if (!resource) problems.push(`scenario ${c.code}: its response ${response || '(none)'} is not an example of the guide`);
    else checkScenario(scenario, errors, problems);
    return scenario;
  });
}

function checkScenario(s: Scenario, errors: Map<string, SpineErrorCode>, problems: string[]): void {
  const at = `scenario ${s.key} (${s.title})`;
  if (s.keyType === 'asid' && !/^\d{12}$/.test(s.key)) problems.push(`${at}: an ASID is twelve digits`);
  if (s.keyType === 'nhs-number' && !/^999\d{7}$/.test(s.key)) problems.push(`${at}: test NHS Numbers are ten digits from the 999 range`);
  const expectsInvalid = s.keyType === 'nhs-number' && spineCodeOf(s.resource) === 'INVALID_NHS_NUMBER';
  if (s.keyType === 'nhs-number' && isValidNhsNumber(s.key) === expectsInvalid) {
    problems.push(`${at}: ${expectsInvalid ? 'an invalid-number scenario needs a number that fails' : 'the NHS Number must pass'} the modulus 11 check`);
  }
  const observation = resourceOf(s.resource, 'Observation');
  if (observation) {
    const subject = observation.subject?.identifier;
    if (subject?.system !== NHS_NUMBER_SYSTEM || subject.value !== s.key)
      problems.push(`${at}: ${s.response} is about NHS Number ${subject?.value ?? '(none)'}, not ${s.key}`);
    if (s.httpStatus !== 200) problems.push(`${at}: a status is returned with HTTP 200, not ${s.httpStatus}`);
    return;
  }
  const code = spineCodeOf(s.resource);
  const error = code ? errors.get(code) : undefined;
  if (!error) problems.push(`${at}: ${s.response} carries no Spine error code`);
  else if (error.httpStatus !== s.httpStatus) problems.push(`${at}: ${code} goes with HTTP ${error.httpStatus}, the table says ${s.httpStatus}`);
}

/** The interaction URNs the capability statement names for the search and the metadata read. */
function interactionIds(capability: FhirResource, problems: string[]): { search: string; metadata: string } {
  const rest = resourceOf(capability, 'CapabilityStatement')?.rest?.[0];
  const urns = rest?.documentation?.match(/urn:nhs:names:services:[a-z]+:fhir:rest:[a-z]+:[a-z]+/g) ?? [];
  const search = urns.find(u => u.endsWith(':search:observation'));
  const metadata = urns.find(u => u.endsWith(':read:metadata'));
  if (!search || !metadata) problems.push('the capability statement does not name the search and metadata interaction ids in rest.documentation');
  return { search: search ?? '', metadata: metadata ?? '' };
}

function bundleTemplates(resources: FhirResource[], problems: string[]): { match: FhirResource; noRecord: FhirResource } {
  const bundles = resources.filter(r => r.resourceType === 'Bundle' && r.type === 'searchset');
  const firstOf = (type: string) => bundles.find(b => resourceOf(b, 'Bundle')?.entry?.[0]?.resource?.resourceType === type);
  const match = firstOf('Observation');
  const noRecord = firstOf('OperationOutcome');
  if (!match || !noRecord) problems.push('the guide needs an example searchset Bundle with an Observation and one with the NO_RECORD_FOUND OperationOutcome');
  return { match: match ?? { resourceType: 'Bundle' }, noRecord: noRecord ?? { resourceType: 'Bundle' } };
}
