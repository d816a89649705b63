/**
 * Conformance resources checked against what they name, as the HL7 Java validator does:
 * SearchParameter.derivedFrom (SEARCHPARAMETER_*), CapabilityStatement search parameter types
 * (CAPABALITYSTATEMENT_CS_SP_WRONGTYPE) and MeasureReport against its Measure (MEASURE_MR_*).
 * Small resources written for these tests.
 */
import { describe, expect, it } from 'vitest';
import { DIV, validator } from './helpers.ts';
import type { FhirResource } from '../../scripts/model/resources.ts';

const text = { status: 'generated', div: DIV('x') };
const CORE_SP = 'http://hl7.org/fhir/SearchParameter/individual-birthdate';

function found(resource: Record<string, unknown>, extra: FhirResource[] = [], rule?: string): string[] {
  return validator(extra)
    .validateResource(resource)
    .filter(i => !rule || i.rule === rule)
    .filter(i => i.rule.startsWith('searchparameter') || i.rule.startsWith('capabilitystatement') || i.rule.startsWith('measurereport'))
    .map(i => `${i.severity} ${i.location?.expression ?? ''}: ${i.message}`);
}

function searchParameter(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    resourceType: 'SearchParameter',
    id: 'sp',
    text,
    url: 'http://example.org/SearchParameter/sp',
    name: 'sp',
    status: 'draft',
    description: 'x',
    code: 'birthdate',
    base: ['Patient'],
    type: 'date',
    expression: 'Patient.birthDate',
    ...extra
  };
}

describe('SearchParameter.derivedFrom (SearchParameterValidator)', () => {
  it('a derivation that keeps the base, type and expression is fine', () => {
    expect(found(searchParameter({ derivedFrom: CORE_SP }))).toEqual([]);
  });

  it('a type different from the derivedFrom parameter is an error (SEARCHPARAMETER_TYPE_WRONG)', () => {
    expect(found(searchParameter({ derivedFrom: CORE_SP, type: 'string' }))).toEqual([
      'error SearchParameter: The type string is different to the type date in the derivedFrom SearchParameter'
    ]);
  });

  it('a base the derivedFrom parameter does not list is an error (SEARCHPARAMETER_BASE_WRONG)', () => {
    expect(found(searchParameter({ derivedFrom: CORE_SP, base: ['Patient', 'Practitioner'], expression: 'Patient.birthDate' }))).toEqual([
      `error SearchParameter: The resource type Practitioner is not listed as a base in the SearchParameter this is derived from (${CORE_SP})`
    ]);
  });

  it('an unknown derivedFrom is a warning (SEARCHPARAMETER_NOTFOUND)', () => {
    expect(found(searchParameter({ derivedFrom: 'http://example.org/SearchParameter/none' }))).toEqual([
      "warning SearchParameter: Unable to find the base Search Parameter http://example.org/SearchParameter/none so can't check that this SearchParameter is a proper derivation from it"
    ]);
  });

  it('a different expression is a warning (SEARCHPARAMETER_EXP_WRONG); a union in another order is the same', () => {
    const base = searchParameter({
      url: 'http://example.org/SearchParameter/base',
      expression: 'Patient.birthDate | Person.birthDate',
      base: ['Patient', 'Person']
    });
    const same = searchParameter({ derivedFrom: 'http://example.org/SearchParameter/base', base: ['Patient'], expression: 'Patient.birthDate' });
    expect(found(same, [base as FhirResource])).toEqual([]);
    const other = searchParameter({ derivedFrom: 'http://example.org/SearchParameter/base', base: ['Patient'], expression: 'Patient.deceased' });
    expect(found(other, [base as FhirResource])).toEqual([
      "warning SearchParameter: The expression 'Patient.deceased' is not compatible with the expression 'Patient.birthDate | Person.birthDate' in the derivedFrom SearchParameter http://example.org/SearchParameter/base, and this likely indicates that the derivation relationship is not valid"
    ]);
  });
});

describe('CapabilityStatement search parameter types (CAPABALITYSTATEMENT_CS_SP_WRONGTYPE)', () => {
  const cs = (type: string, definition = CORE_SP) => ({
    resourceType: 'CapabilityStatement',
    id: 'cs',
    text,
    status: 'draft',
    date: '2024-01-01',
    kind: 'instance',
    implementation: { description: 'x' },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        resource: [
          {
            type: 'Patient',
            searchParam: [
              { name: 'family', type: 'string' },
              { name: 'birthdate', definition, type }
            ]
          }
        ]
      }
    ]
  });

  it('the type of the SearchParameter is fine', () => {
    expect(found(cs('date'))).toEqual([]);
  });

  it('another type is an error at the searchParam, naming the versioned SearchParameter as Java does', () => {
    expect(found(cs('token'))).toEqual([
      `error CapabilityStatement.rest[0].resource[0].searchParam[1]: Type mismatch - SearchParameter '${CORE_SP}|4.0.1' type is date, but type here is token`
    ]);
  });

  it('an unknown definition is left to the canonical checks', () => {
    expect(found(cs('token', 'http://example.org/SearchParameter/none'))).toEqual([]);
  });

  it("a guide's own SearchParameter is found too", () => {
    const own = searchParameter({}) as FhirResource;
    expect(found(cs('string', 'http://example.org/SearchParameter/sp'), [own])).toEqual([
      "error CapabilityStatement.rest[0].resource[0].searchParam[1]: Type mismatch - SearchParameter 'http://example.org/SearchParameter/sp' type is date, but type here is string"
    ]);
  });
});

describe('MeasureReport against its Measure (MeasureValidator)', () => {
  const pop = (code: string) => ({ code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-population', code }] } });
  const measure = {
    resourceType: 'Measure',
    id: 'm',
    text,
    url: 'http://example.org/Measure/m',
    status: 'draft',
    scoring: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-scoring', code: 'proportion' }] },
    group: [{ population: [pop('initial-population'), pop('denominator'), pop('numerator')] }]
  } as unknown as FhirResource;
  const report = (extra: Record<string, unknown> = {}, group: Record<string, unknown> = {}) => ({
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
          { ...pop('initial-population'), count: 10 },
          { ...pop('denominator'), count: 8 },
          { ...pop('numerator'), count: 4 }
        ],
        measureScore: { value: 0.5 },
        ...group
      }
    ],
    ...extra
  });

  it('a report that follows its Measure is fine', () => {
    expect(found(report(), [measure])).toEqual([]);
  });

  it('an unknown Measure is a warning (MEASURE_MR_M_NOTFOUND)', () => {
    expect(found(report())).toEqual([
      "warning MeasureReport.measure: The Measure 'http://example.org/Measure/m' could not be resolved, so no validation can be performed against the Measure"
    ]);
  });

  it('a population the Measure does not define, or one left out, is an error (MEASURE_MR_GRP_POP_UNK_CODE, MEASURE_MR_GRP_MISSING_BY_CODE)', () => {
    const r = report(
      {},
      {
        population: [
          { ...pop('initial-population'), count: 10 },
          { ...pop('denominator'), count: 8 },
          { ...pop('denominator-exclusion'), count: 1 }
        ]
      }
    );
    expect(found(r, [measure])).toEqual([
      'error MeasureReport.group[0].population[2]: The code for this group population has no match in the measure definition',
      'error MeasureReport.group[0]: The MeasureReport does not include a group for the group numerator'
    ]);
  });

  it('a missing count is a warning; a proportion score outside 0..1 or with units is an error', () => {
    const r = report(
      {},
      { population: [pop('initial-population'), { ...pop('denominator'), count: 8 }, { ...pop('numerator'), count: 4 }], measureScore: { value: 2, unit: '%' } }
    );
    expect(found(r, [measure])).toEqual([
      "warning MeasureReport.group[0].population[0]: Count should be present for reports where type is not 'subject-list'",
      'error MeasureReport.group[0].measureScore.unit: A measureScore for this Measure Scoring (proportion) should not have units',
      'error MeasureReport.group[0].measureScore.value: The value is invalid - it must be between 0 and 1'
    ]);
  });

  it('a proportion report needs a score; a data-collection report must not have one', () => {
    expect(found(report({}, { measureScore: undefined }), [measure])).toEqual([
      'error MeasureReport.group[0]: A measureScore is required when the Measure.scoring=proportion'
    ]);
    expect(found(report({ type: 'data-collection' }), [measure])).toEqual([
      "error MeasureReport.group[0].measureScore: No measureScore when the type of the report is 'data-collection'"
    ]);
  });

  it('with several groups each needs a code the Measure defines (MEASURE_MR_GRP_NO_CODE, MEASURE_MR_GRP_UNK_CODE)', () => {
    const two = {
      ...measure,
      group: [
        { code: { coding: [{ system: 'http://example.org', code: 'a' }] }, population: [pop('initial-population')] },
        { code: { coding: [{ system: 'http://example.org', code: 'b' }] }, population: [pop('initial-population')] }
      ]
    } as unknown as FhirResource;
    const r = report({}, {});
    const groups = [
      { code: { coding: [{ system: 'http://example.org', code: 'a' }] }, population: [{ ...pop('initial-population'), count: 1 }], measureScore: { value: 1 } },
      { code: { coding: [{ system: 'http://example.org', code: 'c' }] }, population: [{ ...pop('initial-population'), count: 1 }], measureScore: { value: 1 } }
    ];
    expect(found({ ...r, group: groups }, [two])).toEqual([
      'error MeasureReport.group[1]: The code for this group has no match in the measure definition',
      'error MeasureReport: The MeasureReport does not include a group for the group b'
    ]);
  });

  it('a Measure given with --load or in the guide is kept by the definitions', () => {
    expect(validator([measure]).defs.get('http://example.org/Measure/m')?.id).toBe('m');
  });
});

describe('odd shapes give findings, never an exception', () => {
  it('SearchParameter, CapabilityStatement and MeasureReport with wrong JSON types', () => {
    const odd: Record<string, unknown>[] = [
      { resourceType: 'SearchParameter', derivedFrom: 'http://hl7.org/fhir/StructureDefinition/Patient', base: 'Patient', type: 5, expression: '((' },
      { resourceType: 'SearchParameter', derivedFrom: CORE_SP, base: [null, 3], expression: 'Patient.birthDate |' },
      { resourceType: 'CapabilityStatement', rest: { resource: [] } },
      { resourceType: 'CapabilityStatement', rest: [null, { resource: [{ searchParam: [1, { definition: 7, type: 'x' }] }] }] },
      { resourceType: 'MeasureReport', measure: '#m', contained: { id: 'm' } },
      {
        resourceType: 'MeasureReport',
        measure: '#m',
        contained: [{ resourceType: 'Measure', id: 'm', scoring: 'x', group: 'y' }],
        group: [{ code: 'a', population: 'b', measureScore: 'c' }]
      },
      { resourceType: 'MeasureReport', measure: 5, group: [null] }
    ];
    for (const r of odd) expect(() => validator().validateResource(r)).not.toThrow();
  });
});
