/** QuestionnaireResponse against its loaded Questionnaire (linkId, required, repeats, types, options, limits, enableWhen). */
import { describe, expect, it } from 'vitest';
import type { FhirResource } from '../../scripts/model/resources.ts';
import { DIV, issues } from './helpers.ts';

const URL = 'https://fhir.nhs.uk/Questionnaire/vm-eligibility';
const questionnaire = {
  resourceType: 'Questionnaire',
  id: 'vm-eligibility',
  url: URL,
  status: 'active',
  text: { status: 'generated', div: DIV('q') },
  item: [
    { linkId: 'visitor', type: 'boolean', text: 'Overseas visitor?', required: true },
    {
      linkId: 'country',
      type: 'choice',
      text: 'Country',
      answerOption: [{ valueCoding: { system: 'urn:iso:std:iso:3166', code: 'FR' } }, { valueCoding: { system: 'urn:iso:std:iso:3166', code: 'DE' } }],
      enableWhen: [{ question: 'visitor', operator: '=', answerBoolean: true }]
    },
    {
      linkId: 'days',
      type: 'integer',
      text: 'Days in UK',
      extension: [
        { url: 'http://hl7.org/fhir/StructureDefinition/minValue', valueInteger: 0 },
        { url: 'http://hl7.org/fhir/StructureDefinition/maxValue', valueInteger: 365 }
      ]
    },
    { linkId: 'ref', type: 'string', text: 'Reference', maxLength: 8 },
    { linkId: 'gender', type: 'choice', text: 'Gender', answerValueSet: 'http://hl7.org/fhir/ValueSet/administrative-gender' },
    { linkId: 'names', type: 'group', text: 'Names', item: [{ linkId: 'names.given', type: 'string', text: 'Given', repeats: true }] }
  ]
} as unknown as FhirResource;

const qr = (items: unknown[], status = 'completed') => ({
  resourceType: 'QuestionnaireResponse',
  id: 'r',
  text: { status: 'generated', div: DIV('r') },
  questionnaire: URL,
  status,
  item: items
});
const check = (items: unknown[], status?: string) => issues(qr(items, status), {}, [questionnaire]);

describe('QuestionnaireResponse against its Questionnaire', () => {
  const good = [
    { linkId: 'visitor', answer: [{ valueBoolean: true }] },
    { linkId: 'country', answer: [{ valueCoding: { system: 'urn:iso:std:iso:3166', code: 'FR' } }] },
    { linkId: 'days', answer: [{ valueInteger: 30 }] },
    { linkId: 'ref', answer: [{ valueString: 'AB12' }] },
    { linkId: 'gender', answer: [{ valueCoding: { system: 'http://hl7.org/fhir/administrative-gender', code: 'female' } }] },
    { linkId: 'names', item: [{ linkId: 'names.given', answer: [{ valueString: 'A' }, { valueString: 'B' }] }] }
  ];

  it('accepts answers that fit', () => expect(check(good)).toEqual([]));

  it('reports each kind of misfit at the answer', () => {
    const replace = (i: number, item: unknown) => good.map((g, j) => (j === i ? item : g));
    expect(check([...good, { linkId: 'nope', answer: [{ valueString: 'x' }] }])).toEqual(['error qr-linkid-unknown QuestionnaireResponse.item[6].linkId']);
    expect(check(good.slice(1).map(g => (g.linkId === 'country' ? { linkId: 'country' } : g)))).toEqual(['error qr-required QuestionnaireResponse']);
    expect(
      check(
        good.slice(1).map(g => (g.linkId === 'country' ? { linkId: 'country' } : g)),
        'in-progress'
      )
    ).toEqual(['warning qr-required QuestionnaireResponse']); // Java: QUESTIONNAIRE_QR_ITEM_MISSING, a warning until completed
    expect(check(replace(0, { linkId: 'visitor', answer: [{ valueString: 'yes' }] }))).toContain(
      'error qr-answer-type QuestionnaireResponse.item[0].answer[0].valueString'
    );
    expect(check(replace(2, { linkId: 'days', answer: [{ valueInteger: 1 }, { valueInteger: 2 }] }))).toEqual([
      'error qr-repeats QuestionnaireResponse.item[2].answer[1]'
    ]);
    expect(check(replace(1, { linkId: 'country', answer: [{ valueCoding: { system: 'urn:iso:std:iso:3166', code: 'ES' } }] }))).toEqual([
      'error qr-answer-option QuestionnaireResponse.item[1].answer[0].valueCoding'
    ]);
    expect(check(replace(4, { linkId: 'gender', answer: [{ valueCoding: { system: 'http://hl7.org/fhir/administrative-gender', code: 'x' } }] }))).toContain(
      'error qr-answer-valueset QuestionnaireResponse.item[4].answer[0].valueCoding'
    );
    expect(check(replace(3, { linkId: 'ref', answer: [{ valueString: 'ABCDEFGHIJ' }] }))).toEqual([
      'error qr-max-length QuestionnaireResponse.item[3].answer[0].valueString'
    ]);
    expect(check(replace(2, { linkId: 'days', answer: [{ valueInteger: 400 }] }))).toEqual([
      'error qr-value-range QuestionnaireResponse.item[2].answer[0].valueInteger'
    ]);
    expect(check(replace(0, { linkId: 'visitor', answer: [{ valueBoolean: false }] }))).toEqual(['error qr-disabled-answered QuestionnaireResponse.item[1]']);
  });

  it('says so when the Questionnaire is not loaded', () => {
    expect(issues(qr(good))).toEqual([]);
  });
});

describe('choice items answered with the other answerOption types R4 allows', () => {
  const q = {
    resourceType: 'Questionnaire',
    id: 'choices',
    url: 'https://fhir.example.uk/Questionnaire/choices',
    status: 'active',
    text: { status: 'generated', div: DIV('q') },
    item: [
      { linkId: 'n', type: 'choice', text: 'How many', answerOption: [{ valueInteger: 1 }, { valueInteger: 2 }] },
      { linkId: 'd', type: 'choice', text: 'When', answerOption: [{ valueDate: '2024-01-01' }, { valueDate: '2024-02-01' }] },
      { linkId: 't', type: 'choice', text: 'Time', answerOption: [{ valueTime: '09:00:00' }] },
      { linkId: 's', type: 'open-choice', text: 'Which', answerOption: [{ valueString: 'red' }] },
      { linkId: 'r', type: 'choice', text: 'Who', answerOption: [{ valueReference: { reference: 'Practitioner/p1' } }] }
    ]
  } as unknown as FhirResource;
  const answers = (n: unknown, r = { reference: 'Practitioner/p1' }) => [
    { linkId: 'n', answer: [{ valueInteger: n }] },
    { linkId: 'd', answer: [{ valueDate: '2024-02-01' }] },
    { linkId: 't', answer: [{ valueTime: '09:00:00' }] },
    { linkId: 's', answer: [{ valueString: 'blue' }] },
    { linkId: 'r', answer: [{ valueReference: r }] }
  ];
  const run = (items: unknown[]) => issues({ ...qr(items), questionnaire: 'https://fhir.example.uk/Questionnaire/choices' }, {}, [q]);

  it('integer, date, time, string and Reference answers are of the right type, and checked against the options', () => {
    expect(run(answers(2))).toEqual([]);
    expect(run(answers(3))).toEqual(['error qr-answer-option QuestionnaireResponse.item[0].answer[0].valueInteger']);
    expect(run(answers(1, { reference: 'Practitioner/p2' }))).toEqual(['error qr-answer-option QuestionnaireResponse.item[4].answer[0].valueReference']);
    expect(run([{ linkId: 'n', answer: [{ valueBoolean: true }] }])).toEqual(['error qr-answer-type QuestionnaireResponse.item[0].answer[0].valueBoolean']);
  });
});
