/**
 * The sandbox cannot drift from the guide: a scenario table that disagrees with the examples or
 * the error code system stops it, with every problem listed; the scenario table holds one
 * 999-range test NHS Number per scenario the issue names.
 */
import { describe, expect, it } from 'vitest';
import type { CompiledResource } from '../../scripts/model/resources.ts';
import { sandboxGuide, SandboxGuideError } from '../../scripts/lib/spine/guide.ts';
import { scenarioLines } from '../../scripts/apps/sandbox/start.ts';
import { isValidNhsNumber } from '../../scripts/fhir/nhs-number.ts';
import { compiledGuide } from './fixture.ts';

function withScenarioProperty(resources: CompiledResource[], key: string, property: string, value: Record<string, unknown>): CompiledResource[] {
  return resources.map(c => {
    if (c.resource.id !== 'vm-sandbox-scenario' || c.resource.resourceType !== 'CodeSystem') return c;
    const cs = structuredClone(c.resource) as unknown as { concept: { code: string; property: { code: string }[] }[] };
    const concept = cs.concept.find(x => x.code === key)!;
    concept.property = concept.property.map(p => (p.code === property ? { code: property, ...value } : p));
    return { ...c, resource: cs as unknown as CompiledResource['resource'] };
  });
}

describe('the scenario table', () => {
  it('covers every category, decision pending, none, both sources, no record, not found and invalid', async () => {
    const guide = sandboxGuide(await compiledGuide());
    const obs = guide.scenarios.filter(s => s.resource.resourceType === 'Observation').map(s => s.resource);
    const codes = (system: string) =>
      obs.flatMap(o =>
        (o.component as { valueCodeableConcept: { coding: { system: string; code: string }[] } }[]).flatMap(c =>
          c.valueCodeableConcept.coding.filter(x => x.system.endsWith(system)).map(x => x.code)
        )
      );
    expect(new Set(codes('vm-category-chargeable-status'))).toEqual(new Set(['A', 'B', 'C', 'D', 'E', 'F', 'DECISION_PENDING', 'NONE']));
    expect(new Set(codes('vm-status-source'))).toEqual(new Set(['HOME_OFFICE_FEED', 'OVM_ASSESSMENT']));
    const outcomes = guide.scenarios.filter(s => s.resource.resourceType === 'OperationOutcome').map(s => s.response);
    for (const id of ['vm-warning-no-record-found', 'vm-error-patient-not-found', 'vm-error-invalid-nhs-number'])
      expect(outcomes).toContain(`OperationOutcome/${id}`);
    for (const s of guide.scenarios.filter(s => s.keyType === 'nhs-number')) {
      expect(s.key).toMatch(/^999\d{7}$/);
      expect(isValidNhsNumber(s.key), s.key).toBe(s.response !== 'OperationOutcome/vm-error-invalid-nhs-number');
    }
    expect(new Set(guide.scenarios.map(s => s.key)).size).toBe(guide.scenarios.length);
  });

  it('is printed at start, one line per scenario', async () => {
    const guide = sandboxGuide(await compiledGuide());
    const lines = scenarioLines(guide);
    expect(lines).toHaveLength(guide.scenarios.length + 2);
    expect(lines.find(l => l.startsWith('9990871094'))).toMatch(/NHS Number\s+200\s+No record found/);
  });

  it('stops the sandbox when a scenario names a missing example or another patient, or the wrong status', async () => {
    const resources = await compiledGuide();
    const broken = withScenarioProperty(
      withScenarioProperty(
        withScenarioProperty(resources, '9990079196', 'response', { valueString: 'Observation/vm-status-category-b' }),
        '9990237573',
        'response',
        { valueString: 'Observation/nope' }
      ),
      '9991023453',
      'httpStatus',
      { valueInteger: 400 }
    );
    let error: unknown;
    try {
      sandboxGuide(broken);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SandboxGuideError);
    const problems = (error as SandboxGuideError).problems;
    expect(problems).toContain(
      'scenario 9990079196 (Category A (OVM assessment)): Observation/vm-status-category-b is about NHS Number 9990237573, not 9990079196'
    );
    expect(problems).toContain('scenario 9990237573: its response Observation/nope is not an example of the guide');
    expect(problems).toContain('scenario 9991023453 (Patient not found): PATIENT_NOT_FOUND goes with HTTP 404, the table says 400');
  });

  it('needs an example OperationOutcome for every Spine error code', async () => {
    const resources = (await compiledGuide()).filter(c => c.resource.id !== 'vm-error-invalid-element');
    expect(() => sandboxGuide(resources)).toThrow(/INVALID_ELEMENT has no example OperationOutcome/);
  });
});
