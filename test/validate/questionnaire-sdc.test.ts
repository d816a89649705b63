/**
 * QuestionnaireResponse against the item extensions and rules of its Questionnaire that the HL7
 * Java validator's QuestionnaireValidator checks (its I18nConstants ids named per case): SDC and
 * R4 core item extensions, answer types, item order and nesting, enableWhen and
 * enableWhenExpression.
 */
import { describe, expect, it } from 'vitest';
import type { FhirResource } from '../../scripts/model/resources.ts';
import { DIV, issues } from './helpers.ts';

const EXT = 'http://hl7.org/fhir/StructureDefinition/';
const SDC = 'http://hl7.org/fhir/uv/sdc/StructureDefinition/';
const URL = 'https://fhir.example.uk/Questionnaire/travel';
const ext = (name: string, value: Record<string, unknown>, base = EXT) => ({ url: `${base}${name}`, ...value });

const questionnaire = {
  resourceType: 'Questionnaire',
  id: 'travel',
  url: URL,
  status: 'active',
  text: { status: 'generated', div: DIV('q') },
  item: [
    { linkId: 'ref', type: 'string', text: 'Booking reference', extension: [ext('regex', { valueString: '[A-Z]{3}[0-9]{3}' })] },
    {
      linkId: 'weight',
      type: 'decimal',
      text: 'Weight (kg)',
      extension: [ext('minValue', { valueDecimal: 1 }), ext('maxValue', { valueDecimal: 300 }), ext('maxDecimalPlaces', { valueInteger: 1 })]
    },
    {
      linkId: 'arrived',
      type: 'date',
      text: 'Arrival',
      extension: [ext('minValue', { valueDate: '2020-01-01' }), ext('maxValue', { valueDate: '2030-12-31' })]
    },
    {
      linkId: 'height',
      type: 'quantity',
      text: 'Height',
      extension: [
        ext('sdc-questionnaire-minQuantity', { valueQuantity: { value: 50, system: 'http://unitsofmeasure.org', code: 'cm' } }, SDC),
        ext('sdc-questionnaire-maxQuantity', { valueQuantity: { value: 2.5, system: 'http://unitsofmeasure.org', code: 'm' } }, SDC),
        ext('questionnaire-unitOption', { valueCoding: { system: 'http://unitsofmeasure.org', code: 'cm' } }),
        ext('questionnaire-unitOption', { valueCoding: { system: 'http://unitsofmeasure.org', code: 'm' } })
      ]
    },
    {
      linkId: 'passport',
      type: 'attachment',
      text: 'Passport scan',
      extension: [ext('mimeType', { valueCode: 'image/png' }), ext('mimeType', { valueCode: 'application/pdf' }), ext('maxSize', { valueDecimal: 4 })]
    },
    {
      linkId: 'visas',
      type: 'string',
      text: 'Visa numbers',
      repeats: true,
      extension: [ext('questionnaire-minOccurs', { valueInteger: 1 }), ext('questionnaire-maxOccurs', { valueInteger: 2 })]
    },
    {
      linkId: 'cover',
      type: 'choice',
      text: 'Cover',
      repeats: true,
      answerOption: [
        { valueCoding: { system: 'https://fhir.example.uk/cover', code: 'ehic' } },
        { valueCoding: { system: 'https://fhir.example.uk/cover', code: 'ghic' } },
        { valueCoding: { system: 'https://fhir.example.uk/cover', code: 'none' }, extension: [ext('questionnaire-optionExclusive', { valueBoolean: true })] }
      ]
    },
    { linkId: 'note', type: 'display', text: 'Thank you' }
  ]
} as unknown as FhirResource;

const good = () => [
  { linkId: 'ref', answer: [{ valueString: 'ABC123' }] },
  { linkId: 'weight', answer: [{ valueDecimal: 70.5 }] },
  { linkId: 'arrived', answer: [{ valueDate: '2024-03-01' }] },
  { linkId: 'height', answer: [{ valueQuantity: { value: 1.8, unit: 'm', system: 'http://unitsofmeasure.org', code: 'm' } }] },
  { linkId: 'passport', answer: [{ valueAttachment: { contentType: 'image/png', data: 'AAEC' } }] },
  { linkId: 'visas', answer: [{ valueString: 'V1' }, { valueString: 'V2' }] },
  { linkId: 'cover', answer: [{ valueCoding: { system: 'https://fhir.example.uk/cover', code: 'ghic' } }] }
];

const qr = (items: unknown[], status = 'completed', url = URL) => ({
  resourceType: 'QuestionnaireResponse',
  id: 'r',
  text: { status: 'generated', div: DIV('r') },
  questionnaire: url,
  status,
  item: items
});
const check = (items: unknown[], q: FhirResource = questionnaire) => issues(qr(items, 'completed', String(q.url)), {}, [q]);
const withAnswer = (linkId: string, answer: unknown[]) => good().map(g => (g.linkId === linkId ? { linkId, answer } : g));

describe('SDC and core item extensions', () => {
  it('accepts answers that fit every extension (limits met exactly too)', () => {
    expect(check(good())).toEqual([]);
    expect(check(withAnswer('weight', [{ valueDecimal: 300 }]))).toEqual([]);
    expect(check(withAnswer('height', [{ valueQuantity: { value: 250, unit: 'cm', system: 'http://unitsofmeasure.org', code: 'cm' } }]))).toEqual([]);
    expect(check(withAnswer('passport', [{ valueAttachment: { contentType: 'application/pdf', data: 'AAECAw==' } }]))).toEqual([]);
  });

  it('regex: the whole answer must match (QUESTIONNAIRE_QR_ITEM_STRING_REGEX)', () => {
    expect(check(withAnswer('ref', [{ valueString: 'ABC1234' }]))).toEqual(['error qr-regex QuestionnaireResponse.item[0].answer[0].valueString']);
  });

  it('minValue, maxValue and maxDecimalPlaces on a decimal (QUESTIONNAIRE_QR_ITEM_DECIMAL_MIN/_MAX/_MAX_DECIMALS)', () => {
    expect(check(withAnswer('weight', [{ valueDecimal: 0.5 }]))).toEqual(['error qr-value-range QuestionnaireResponse.item[1].answer[0].valueDecimal']);
    expect(check(withAnswer('weight', [{ valueDecimal: 301 }]))).toEqual(['error qr-value-range QuestionnaireResponse.item[1].answer[0].valueDecimal']);
    expect(check(withAnswer('weight', [{ valueDecimal: 70.25 }]))).toEqual(['error qr-decimal-places QuestionnaireResponse.item[1].answer[0].valueDecimal']);
  });

  it('minValue and maxValue on a date (QUESTIONNAIRE_QR_ITEM_DATE_MIN/_MAX)', () => {
    expect(check(withAnswer('arrived', [{ valueDate: '2019-12-31' }]))).toEqual(['error qr-value-range QuestionnaireResponse.item[2].answer[0].valueDate']);
    expect(check(withAnswer('arrived', [{ valueDate: '2031' }]))).toEqual(['error qr-value-range QuestionnaireResponse.item[2].answer[0].valueDate']);
    expect(check(withAnswer('arrived', [{ valueDate: '2030' }]))).toEqual([]);
  });

  it('minQuantity and maxQuantity compare UCUM units after conversion; unitOption lists the units (QUESTIONNAIRE_QR_ITEM_QUANTITY_MIN/_MAX, _DECIMAL_INVALID_UNITS)', () => {
    const h = (value: number, code: string) => withAnswer('height', [{ valueQuantity: { value, unit: code, system: 'http://unitsofmeasure.org', code } }]);
    expect(check(h(0.4, 'm'))).toEqual(['error qr-quantity-range QuestionnaireResponse.item[3].answer[0].valueQuantity']);
    expect(check(h(260, 'cm'))).toEqual(['error qr-quantity-range QuestionnaireResponse.item[3].answer[0].valueQuantity']);
    expect(check(h(1800, 'mm'))).toEqual(['error qr-quantity-unit QuestionnaireResponse.item[3].answer[0].valueQuantity']);
    expect(check(h(70, '[in_i]'))).toEqual(['error qr-quantity-unit QuestionnaireResponse.item[3].answer[0].valueQuantity']);
    expect(check(h(3, 'kg'))).toEqual([
      'error qr-quantity-range QuestionnaireResponse.item[3].answer[0].valueQuantity',
      'error qr-quantity-range QuestionnaireResponse.item[3].answer[0].valueQuantity',
      'error qr-quantity-unit QuestionnaireResponse.item[3].answer[0].valueQuantity'
    ]);
  });

  it('mimeType and maxSize on an attachment (QUESTIONNAIRE_QR_ITEM_BAD_ATTACHMENT_MIMETYPE, _NOT_ATTACHMENT_MIMETYPE, _BAD_ATTACHMENT_LENGTH)', () => {
    expect(check(withAnswer('passport', [{ valueAttachment: { contentType: 'image/jpeg', data: 'AAEC' } }]))).toEqual([
      'error qr-attachment-type QuestionnaireResponse.item[4].answer[0].valueAttachment'
    ]);
    // (att-1 also fails: data without contentType)
    expect(check(withAnswer('passport', [{ valueAttachment: { data: 'AAEC' } }]))).toContain(
      'error qr-attachment-type QuestionnaireResponse.item[4].answer[0].valueAttachment'
    );
    expect(check(withAnswer('passport', [{ valueAttachment: { contentType: 'image/png', data: 'AAECAwQ=' } }]))).toEqual([
      'error qr-attachment-size QuestionnaireResponse.item[4].answer[0].valueAttachment'
    ]);
  });

  it('minOccurs and maxOccurs count the answers (QUESTIONNAIRE_QR_ITEM_MIN_OCCURS/_MAX_OCCURS)', () => {
    expect(check(withAnswer('visas', [{ valueString: 'V1' }, { valueString: 'V2' }, { valueString: 'V3' }]))).toEqual([
      'error qr-occurs QuestionnaireResponse.item[5]'
    ]);
    expect(check(withAnswer('visas', [{ valueString: 'V1' }]))).toEqual([]);
  });

  it('an exclusive option is the only answer (QUESTIONNAIRE_QR_ITEM_EXCLUSIVE)', () => {
    const c = (code: string) => ({ valueCoding: { system: 'https://fhir.example.uk/cover', code } });
    expect(check(withAnswer('cover', [c('ehic'), c('ghic')]))).toEqual([]);
    expect(check(withAnswer('cover', [c('ehic'), c('none')]))).toEqual(['error qr-answer-exclusive QuestionnaireResponse.item[6].answer[1].valueCoding']);
    expect(check(withAnswer('cover', [c('none')]))).toEqual([]);
  });

  it('a line break in a string answer is a warning (QUESTIONNAIRE_QR_ITEM_STRING_ILLEGAL_CHARS)', () => {
    expect(check(withAnswer('visas', [{ valueString: 'V1\nV2' }]))).toEqual([
      'warning qr-string-line-break QuestionnaireResponse.item[5].answer[0].valueString'
    ]);
  });
});

describe('items: text, order, nesting', () => {
  it('item text must match the Questionnaire (QUESTIONNAIRE_QR_ITEM_TEXT)', () => {
    const items = good();
    (items[0] as Record<string, unknown>).text = 'Booking ref';
    expect(check(items)).toEqual(['error qr-item-text QuestionnaireResponse.item[0]']);
    (items[0] as Record<string, unknown>).text = 'Booking reference';
    expect(check(items)).toEqual([]);
  });

  it('items keep the order of the Questionnaire (QUESTIONNAIRE_QR_ITEM_ORDER)', () => {
    const items = good();
    expect(check([items[1], items[0], ...items.slice(2)])).toEqual(['error qr-item-order QuestionnaireResponse']);
  });

  it('a display item has no answers or items; a question holds its items under its answers (QUESTIONNAIRE_QR_ITEM_DISPLAY, _GROUP_ANSWER)', () => {
    expect(check([...good(), { linkId: 'note', item: [{ linkId: 'ref' }] }])).toContain('error qr-item-nested QuestionnaireResponse.item[7]');
    expect(check([{ ...good()[0], item: [{ linkId: 'x' }] }, ...good().slice(1)])).toContain('error qr-item-nested QuestionnaireResponse.item[0]');
  });

  it('an item of another level is misplaced, and still checked against its definition', () => {
    const q = {
      ...questionnaire,
      id: 'nested',
      url: 'https://fhir.example.uk/Questionnaire/nested',
      item: [{ linkId: 'g', type: 'group', text: 'G', item: [{ linkId: 'inner', type: 'integer', text: 'Inner' }] }]
    } as unknown as FhirResource;
    expect(check([{ linkId: 'inner', answer: [{ valueString: 'x' }] }], q)).toEqual([
      'error qr-item-misplaced QuestionnaireResponse',
      'error qr-answer-type QuestionnaireResponse.item[0].answer[0].valueString'
    ]);
  });
});

describe('enableWhen and enableWhenExpression', () => {
  const q = {
    resourceType: 'Questionnaire',
    id: 'enable',
    url: 'https://fhir.example.uk/Questionnaire/enable',
    status: 'active',
    text: { status: 'generated', div: DIV('q') },
    item: [
      { linkId: 'age', type: 'integer', text: 'Age' },
      { linkId: 'school', type: 'string', text: 'School', enableWhen: [{ question: 'age', operator: '<', answerInteger: 18 }] },
      {
        linkId: 'employer',
        type: 'string',
        text: 'Employer',
        extension: [
          {
            url: `${SDC}sdc-questionnaire-enableWhenExpression`,
            valueExpression: { language: 'text/fhirpath', expression: "%resource.item.where(linkId = 'age').answer.value >= 16" }
          }
        ]
      },
      {
        linkId: 'children',
        type: 'group',
        text: 'Children',
        repeats: true,
        item: [
          { linkId: 'child-age', type: 'integer', text: 'Age' },
          { linkId: 'child-school', type: 'string', text: 'School', enableWhen: [{ question: 'child-age', operator: '>=', answerInteger: 5 }] }
        ]
      },
      {
        linkId: 'both',
        type: 'string',
        text: 'Both',
        enableWhen: [
          { question: 'age', operator: 'exists', answerBoolean: true },
          { question: 'age', operator: '=', answerInteger: 99 }
        ]
      }
    ]
  } as unknown as FhirResource;
  const run = (items: unknown[]) => check(items, q);

  it('enableWhen compares with the answers; a disabled item has no answer (QUESTIONNAIRE_QR_ITEM_NOTENABLED2)', () => {
    expect(
      run([
        { linkId: 'age', answer: [{ valueInteger: 12 }] },
        { linkId: 'school', answer: [{ valueString: 'St Mary' }] }
      ])
    ).toEqual([]);
    expect(
      run([
        { linkId: 'age', answer: [{ valueInteger: 40 }] },
        { linkId: 'school', answer: [{ valueString: 'St Mary' }] }
      ])
    ).toEqual(['error qr-disabled-answered QuestionnaireResponse.item[1]']);
  });

  it('enableWhenExpression is evaluated on the response', () => {
    expect(
      run([
        { linkId: 'age', answer: [{ valueInteger: 40 }] },
        { linkId: 'employer', answer: [{ valueString: 'NHS' }] }
      ])
    ).toEqual([]);
    expect(
      run([
        { linkId: 'age', answer: [{ valueInteger: 12 }] },
        { linkId: 'school', answer: [{ valueString: 'x' }] },
        { linkId: 'employer', answer: [{ valueString: 'NHS' }] }
      ])
    ).toEqual(['error qr-disabled-answered QuestionnaireResponse.item[2]']);
  });

  it('inside a repeating group, enableWhen reads the answers of the same repetition', () => {
    const child = (age: number, school?: string) => ({
      linkId: 'children',
      item: [{ linkId: 'child-age', answer: [{ valueInteger: age }] }, ...(school ? [{ linkId: 'child-school', answer: [{ valueString: school }] }] : [])]
    });
    expect(run([child(7, 'A'), child(2)])).toEqual([]);
    expect(run([child(7), child(2, 'B')])).toEqual(['error qr-disabled-answered QuestionnaireResponse.item[1].item[1]']);
  });

  it('several conditions without enableBehavior leave the item enabled (as Java)', () => {
    expect(
      run([
        { linkId: 'age', answer: [{ valueInteger: 40 }] },
        { linkId: 'both', answer: [{ valueString: 'x' }] }
      ])
    ).toEqual([]);
  });
});
