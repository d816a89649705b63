/**
 * Real content the validator used to reject wrongly, each now valid (and, beside it, the same
 * content with a real defect, so the test cannot pass by checking nothing).
 */
import { describe, expect, it } from 'vitest';
import { CORRECTED } from '../../scripts/lib/validator/invariants.ts';
import { errors, issues, patient, validator, DIV } from './helpers.ts';

const ORG = { resourceType: 'Organization', id: 'org-1', name: 'Leeds GP' };

describe('%rootResource in Bundle entries and Parameters', () => {
  const entryPatient = (ref: string) => ({
    resourceType: 'Patient',
    id: 'p1',
    text: { status: 'generated', div: DIV('p') },
    contained: [ORG],
    managingOrganization: { reference: ref }
  });

  it('ref-1 resolves a contained reference against the entry resource', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ fullUrl: 'urn:uuid:0f5b4c1e-2d3a-4b5c-8d9e-0a1b2c3d4e5f', resource: entryPatient('#org-1') }]
    };
    expect(errors(bundle)).toEqual([]);
    const broken = { ...bundle, entry: [{ ...bundle.entry[0], resource: { ...entryPatient('#org-2'), generalPractitioner: [{ reference: '#org-1' }] } }] };
    expect(errors(broken)).toContain('error ref-1 Bundle.entry[0].resource.managingOrganization');
  });

  it('ref-1 inside a Parameters resource value', () => {
    const params = { resourceType: 'Parameters', parameter: [{ name: 'patient', resource: entryPatient('#org-1') }] };
    expect(errors(params)).toEqual([]);
  });

  it("a contained resource may refer to its container as '#' (ref-1 as Java corrects it)", () => {
    const p = patient({ contained: [{ resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'x' }, subject: { reference: '#' } }] });
    expect(errors(p)).toEqual([]);
  });
});

describe('references in a collection Bundle', () => {
  it('resolve against the Bundle, then the guide', () => {
    const obs = {
      resourceType: 'Observation',
      id: 'o1',
      text: { status: 'generated', div: DIV('o') },
      status: 'final',
      code: { text: 'x' },
      subject: { reference: 'Patient/p9' }
    };
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'https://example.org/fhir/Observation/o1', resource: obs }] };
    const known = new Map([['Patient/p9', { resourceType: 'Patient', id: 'p9' }]]);
    expect(issues(bundle, { knownResources: known })).toEqual([]);
    expect(issues(bundle, { knownResources: new Map() })).toContain('warning reference-unresolved Bundle.entry[0].resource.subject.reference');
  });
});

describe('extensions', () => {
  it('sub-extensions of a core complex extension are its slices, not unknown extensions', () => {
    const p = patient({
      extension: [
        {
          url: 'http://hl7.org/fhir/StructureDefinition/patient-nationality',
          extension: [
            { url: 'code', valueCodeableConcept: { text: 'UK' } },
            { url: 'period', valuePeriod: { start: '2020' } }
          ]
        }
      ]
    });
    expect(issues(p)).toEqual([]);
    const wrong = patient({
      extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-nationality', extension: [{ url: 'country', valueString: 'UK' }] }]
    });
    expect(errors(wrong)).toContain('error extension-subextension-unknown Patient.extension[0].extension[0].url');
  });

  it('example.org and HL7 tool extensions are accepted without a definition, as Java does', () => {
    expect(errors(patient({ extension: [{ url: 'http://example.org/fhir/StructureDefinition/x', valueString: 'x' }] }))).toEqual([]);
    expect(errors(patient({ extension: [{ url: 'http://hl7.org/fhir/tools/StructureDefinition/x', valueString: 'x' }] }))).toEqual([]);
    expect(errors(patient({ extension: [{ url: 'https://fhir.nhs.uk/StructureDefinition/x', valueString: 'x' }] }))).toEqual([
      'error extension-unknown Patient.extension[0].url'
    ]);
  });

  it('context of use: allowed where the definition says, through base types and on primitives', () => {
    const birthTime = { url: 'http://hl7.org/fhir/StructureDefinition/patient-birthTime', valueDateTime: '1990-01-01T10:00:00Z' };
    expect(errors(patient({ birthDate: '1990-01-01', _birthDate: { extension: [birthTime] } }))).toEqual([]);
    expect(errors(patient({ extension: [birthTime] }))).toEqual(['error extension-context Patient.extension[0]']);
  });
});

describe('definitions and roots', () => {
  it("a logical model's type is its URL", () => {
    const sd = {
      resourceType: 'StructureDefinition',
      id: 'lm',
      url: 'http://example.org/fhir/StructureDefinition/MyModel',
      name: 'MyModel',
      status: 'draft',
      kind: 'logical',
      abstract: false,
      type: 'http://example.org/fhir/StructureDefinition/MyModel',
      baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Base',
      derivation: 'specialization',
      text: { status: 'generated', div: DIV('m') },
      differential: {
        element: [
          { id: 'MyModel', path: 'MyModel' },
          { id: 'MyModel.a', path: 'MyModel.a', min: 0, max: '1', type: [{ code: 'string' }] }
        ]
      }
    };
    expect(issues(sd)).toEqual([]);
  });

  it('a root with only resourceType is valid JSON for that resource', () => {
    expect(errors({ resourceType: 'Patient' })).toEqual([]);
    expect(errors({ resourceType: 'Patient', name: [{}] })).toContain('error ele-1 Patient.name[0]');
  });

  it('que-12 is evaluated with the correction Java applies, and the table says why', () => {
    const q = (behavior: boolean) => ({
      resourceType: 'Questionnaire',
      id: 'q',
      text: { status: 'generated', div: DIV('q') },
      status: 'draft',
      item: [
        { linkId: 'a', type: 'boolean', text: 'A' },
        { linkId: 'b', type: 'boolean', text: 'B' },
        {
          linkId: 'c',
          type: 'string',
          text: 'C',
          ...(behavior ? { enableBehavior: 'all' } : {}),
          enableWhen: [
            { question: 'a', operator: '=', answerBoolean: true },
            { question: 'b', operator: '=', answerBoolean: true }
          ]
        }
      ]
    });
    expect(errors(q(false))).toEqual(['error que-12 Questionnaire.item[2]']);
    expect(errors(q(true))).toEqual([]);
    for (const c of CORRECTED) expect(c.reason.length).toBeGreaterThan(20);
  });
});

describe('relative references in a Bundle that only match by type and id', () => {
  const div = DIV('x');
  const obs = (ref: string) => ({
    resourceType: 'Observation',
    id: 'o1',
    text: { status: 'generated', div },
    status: 'final',
    code: { text: 'x' },
    subject: { reference: ref }
  });
  const pat = { resourceType: 'Patient', id: 'p1', text: { status: 'generated', div }, active: true };

  it('outside a document: warnings naming the entry (BUNDLE_BUNDLE_POSSIBLE_MATCH_WRONG_FU), not an error', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'https://a.example.org/fhir/Observation/o1', resource: obs('Patient/p1') },
        { fullUrl: 'https://b.example.org/fhir/Patient/p1', resource: pat }
      ]
    };
    expect(issues(bundle)).toEqual(['warning bundle-reference-possible Bundle.entry[0].resource.subject.reference']);
    const found = validator().validateResource(bundle);
    expect(found.find(i => i.rule === 'bundle-reference-possible')!.message).toBe(
      "Entry 1 matches the reference Patient/p1 by type and id but it's fullUrl https://b.example.org/fhir/Patient/p1 does not match the full target URL https://a.example.org/fhir/Patient/p1 by Bundle resolution rules"
    );
  });

  it('resolves against the base of any fullUrl, and a urn:uuid: fullUrl resolves Type/id to urn:uuid:id (Java)', () => {
    const under = (from: string, to: string) => ({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: from, resource: obs('Patient/p1') },
        { fullUrl: to, resource: pat }
      ]
    });
    expect(issues(under('https://a.example.org/fhir/Observation/o1', 'https://a.example.org/fhir/Patient/p1'))).toEqual([]);
    // (urn:uuid:p1 is not a UUID: Java's TYPE_SPECIFIC_CHECKS_DT_UUID_VALID on the fullUrl, and nothing else)
    expect(issues(under('urn:uuid:0f5b4c1e-2d3a-4b5c-8d9e-0a1b2c3d4e5f', 'urn:uuid:p1'))).toEqual(['error uri-syntax Bundle.entry[1].fullUrl']);
  });

  it('a document whose Composition needs the target keeps the error (Bundle_BUNDLE_Entry_NotFound_Apparent)', () => {
    const composition = {
      resourceType: 'Composition',
      id: 'c1',
      text: { status: 'generated', div },
      status: 'final',
      type: { text: 'summary' },
      date: '2024-01-01',
      author: [{ display: 'Dr X' }],
      title: 'Summary',
      subject: { reference: 'Patient/p1' }
    };
    const doc = {
      resourceType: 'Bundle',
      identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8' },
      type: 'document',
      timestamp: '2024-01-01T00:00:00Z',
      entry: [
        { fullUrl: 'https://a.example.org/fhir/Composition/c1', resource: composition },
        { fullUrl: 'https://b.example.org/fhir/Patient/p1', resource: pat }
      ]
    };
    expect(errors(doc)).toContain('error bundle-reference-apparent Bundle.entry[0].resource.subject.reference');
  });
});

describe('dom-3: narrative links to contained resources count as references', () => {
  const contained = [{ resourceType: 'Binary', id: 'photo', contentType: 'image/png', data: 'iVBORw0KGgo=' }];
  const withDiv = (div: string) => patient({ text: { status: 'generated', div }, contained });

  it('<img src="#id"> and <a href="#id"> refer to the contained resource', () => {
    expect(errors(withDiv('<div xmlns="http://www.w3.org/1999/xhtml"><img src="#photo" alt="photo"/></div>'))).toEqual([]);
    expect(errors(withDiv('<div xmlns="http://www.w3.org/1999/xhtml"><p><a href=\'#photo\'>photo</a></p></div>'))).toEqual([]);
    expect(errors(withDiv('<div xmlns="http://www.w3.org/1999/xhtml"><p>#photo</p></div>'))).toEqual(['error dom-3 Patient']);
  });
});

describe('R5 resource types SUSHI compiles into R4 guides', () => {
  it('an ActorDefinition or Requirements is a warning that it is not validated, not an unknown type', () => {
    for (const resourceType of ['ActorDefinition', 'Requirements', 'TestPlan']) {
      expect(issues({ resourceType, id: 'r5', status: 'draft' }), resourceType).toEqual([`warning resource-type-r5 ${resourceType}`]);
    }
  });

  it('a type neither R4 nor R5 knows stays an error', () => {
    expect(errors({ resourceType: 'Spaceship', id: 'x' })).toEqual(['error resource-type Spaceship']);
  });
});

describe('que-7 on an exists enableWhen', () => {
  it("answerBoolean passes 'answer is Boolean' (Java compares type names ignoring case)", () => {
    const q = {
      resourceType: 'Questionnaire',
      id: 'q',
      status: 'draft',
      text: { status: 'generated', div: DIV('q') },
      item: [
        { linkId: 'a', type: 'boolean', text: 'A' },
        { linkId: 'b', type: 'string', text: 'B', enableWhen: [{ question: 'a', operator: 'exists', answerBoolean: true }] }
      ]
    };
    expect(errors(q)).toEqual([]);
    const bad = { ...q, item: [q.item[0], { ...q.item[1], enableWhen: [{ question: 'a', operator: 'exists', answerString: 'x' }] }] };
    expect(errors(bad)).toEqual(['error que-7 Questionnaire.item[1].enableWhen[0]']);
  });
});

describe('narrative elements and attributes the Java validator allows (XhtmlValidator)', () => {
  it('address, bdo, kbd, map/area and their attributes, xmlns:* declarations are not errors', () => {
    const div =
      '<div xmlns="http://www.w3.org/1999/xhtml" xmlns:xlink="http://www.w3.org/1999/xlink">' +
      '<address>1 Street</address><p><bdo dir="rtl">x</bdo> <kbd>k</kbd></p>' +
      '<img src="m.png" alt="m" usemap="#m" longdesc="d.html"/>' +
      '<map name="m"><area shape="rect" coords="0,0,1,1" href="#a" alt="a" nohref="nohref"/></map>' +
      '<table><tr><td nowrap="nowrap">t</td></tr></table><pre space="preserve">p</pre>' +
      '<p><a href="#x" charset="utf-8">a</a></p></div>';
    expect(errors(patient({ text: { status: 'generated', div } }))).toEqual([]);
  });

  it('an element Java does not allow stays an error', () => {
    const div = '<div xmlns="http://www.w3.org/1999/xhtml"><p>x</p><button>b</button></div>';
    expect(errors(patient({ text: { status: 'generated', div } }))).toContain('error narrative-unsafe Patient.text.div');
  });
});
