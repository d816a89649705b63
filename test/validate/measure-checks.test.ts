/**
 * Measure and MeasureReport rules of the HL7 Java validator's MeasureValidator beyond groups and
 * populations: a Measure checked for itself (MEASURE_M_*), MeasureReport stratifiers against the
 * Measure's (MEASURE_MR_GRPST_POP_UNK_CODE, MEASURE_MR_GRP_POP_DUPL_CODE, MEASURE_MR_GRP_MISSING_BY_CODE)
 * and a score unit the Measure fixes (MEASURE_MR_SCORE_FIXED). Small resources written for these tests.
 */
import { describe, expect, it } from 'vitest';
import { DIV, validator } from './helpers.ts';
import type { FhirResource } from '../../scripts/model/resources.ts';

const text = { status: 'generated', div: DIV('x') };
const POP = 'http://terminology.hl7.org/CodeSystem/measure-population';
const pop = (code: string) => ({ code: { coding: [{ system: POP, code }] } });
const strat = (code: string) => ({ code: { coding: [{ system: 'http://example.org/strata', code }] } });

function found(resource: Record<string, unknown>, extra: FhirResource[] = []): string[] {
  return validator(extra)
    .validateResource(resource)
    .filter(i => i.rule.startsWith('measure'))
    .map(i => `${i.severity} ${i.location?.expression ?? ''}: ${i.message}`);
}

function measure(extra: Record<string, unknown> = {}, group: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'Measure',
    id: 'm',
    text,
    url: 'http://example.org/Measure/m',
    status: 'draft',
    scoring: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-scoring', code: 'ratio' }] },
    group: [{ population: [pop('numerator'), pop('denominator')], stratifier: [strat('age'), strat('sex')], ...group }],
    ...extra
  };
}

describe('a Measure checked for itself (validateMeasure)', () => {
  it('a Measure with coded populations and stratifiers is fine', () => {
    expect(found(measure())).toEqual([]);
  });

  it('no group, or a group without population, is a warning', () => {
    expect(found(measure({ group: undefined }))).toEqual(['warning Measure: A measure should contain at least one group']);
    expect(found(measure({}, { population: undefined }))).toEqual(['warning Measure.group[0]: Measure Groups should have at least one population']);
  });

  it('several populations, stratifiers or groups without codes are warnings', () => {
    const m = measure({}, { population: [{ description: 'a' }, pop('denominator')], stratifier: [strat('age'), { description: 's' }] });
    expect(found(m)).toEqual([
      'warning Measure.group[0].population[0]: A measure group population should have a code when there is more than one population',
      'warning Measure.group[0].stratifier[1]: A measure group stratifier should have a code when there is more than one population'
    ]);
    const g = { population: [pop('numerator')] };
    expect(found(measure({ group: [g, g] }))).toEqual([
      'warning Measure.group[0]: Groups should have codes when there is more than one group',
      'warning Measure.group[1]: Groups should have codes when there is more than one group'
    ]);
  });

  it('CQL criteria without any library is an error; other languages a warning; an unknown library a hint', () => {
    const cql = measure({}, { stratifier: [{ ...strat('age'), criteria: { language: 'text/cql', expression: 'Age' } }] });
    expect(found(cql)).toEqual(['error Measure.group[0].stratifier[0].criteria: No CQL Libraries found on this Measure']);
    const query = measure({}, { stratifier: [{ ...strat('age'), criteria: { language: 'application/x-fhir-query', expression: 'x' } }] });
    expect(found(query)).toEqual([
      "warning Measure.group[0].stratifier[0].criteria: The expression language application/x-fhir-query is not supported, so can't be validated"
    ]);
    const withLib = { ...cql, library: ['http://example.org/Library/none'] };
    expect(found(withLib)).toEqual([
      'information Measure: The Library http://example.org/Library/none could not be resolved, so expression validation may not be correct'
    ]);
  });
});

describe('MeasureReport stratifiers and fixed score units (validateMeasureReport)', () => {
  const def = measure() as unknown as FhirResource;
  const report = (group: Record<string, unknown>) => ({
    resourceType: 'MeasureReport',
    id: 'mr',
    text,
    status: 'complete',
    type: 'summary',
    measure: 'http://example.org/Measure/m',
    period: { start: '2024-01-01', end: '2024-12-31' },
    group: [
      {
        population: [
          { ...pop('numerator'), count: 1 },
          { ...pop('denominator'), count: 2 }
        ],
        measureScore: { value: 0.5, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' },
        stratifier: [{ code: [strat('age').code] }, { code: [strat('sex').code] }],
        ...group
      }
    ]
  });

  it('stratifiers that match the Measure are fine', () => {
    expect(found(report({}), [def])).toEqual([]);
  });

  it('an unknown, repeated or missing stratifier is an error', () => {
    const r = report({ stratifier: [{ code: [strat('age').code] }, { code: [strat('age').code] }, { code: [strat('postcode').code] }, {}] });
    expect(found(r, [def])).toEqual([
      'error MeasureReport.group[0].stratifier[1]: The code for this group population is duplicated with another group',
      'error MeasureReport.group[0].stratifier[2]: The code for this group stratifier has no match in the measure definition',
      'error MeasureReport.group[0].stratifier[3]: Group should have a code that matches the group population definition in the measure',
      'error MeasureReport.group[0]: The MeasureReport does not include a group for the group sex'
    ]);
  });

  it('a unit the Measure fixes must be the score unit', () => {
    const fixed = measure({
      extension: [
        { url: 'http://hl7.org/fhir/StructureDefinition/questionnaire-unit', valueCoding: { system: 'http://unitsofmeasure.org', code: 'g', display: 'gram' } }
      ]
    }) as unknown as FhirResource;
    expect(found(report({}), [fixed])).toEqual(["error MeasureReport.group[0].measureScore.code: This value is fixed by the Measure to 'g'"]);
    expect(found(report({ measureScore: { value: 0.5 } }), [fixed])).toEqual([
      "error MeasureReport.group[0].measureScore: This value is fixed by the Measure to 'gram'"
    ]);
    expect(found(report({ measureScore: { value: 0.5, system: 'http://unitsofmeasure.org', code: 'g' } }), [fixed])).toEqual([]);
  });
});
