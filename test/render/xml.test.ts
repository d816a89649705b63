/** The fast FHIR XML writer agrees with FHIR.js's converter on the awkward cases. */
import { describe, expect, it } from 'vitest';
import { referenceXml, toFhirXml } from '../../scripts/fhir/xml-writer.ts';

const cases: Record<string, Record<string, unknown>> = {
  'primitive extensions and ids': {
    resourceType: 'Patient',
    id: 'p',
    birthDate: '1970-01-01',
    _birthDate: { id: 'bd', extension: [{ url: 'http://example.org/x', valueString: 'x' }] },
    name: [{ given: ['A', 'B'], _given: [null, { extension: [{ url: 'http://example.org/y', valueBoolean: true }] }] }]
  },
  'contained resources, element ids and extension urls': {
    resourceType: 'Observation',
    status: 'final',
    contained: [{ resourceType: 'Patient', id: 'c1', active: true }],
    code: { id: 'code1', text: 'a "quoted" <tag> & line\nbreak' },
    extension: [{ url: 'http://example.org/e', extension: [{ url: 'inner', valueInteger: 3 }] }],
    valueQuantity: { value: 1.5, unit: 'mg' }
  },
  'narrative XHTML and bundle entries': {
    resourceType: 'Bundle',
    type: 'searchset',
    entry: [
      {
        fullUrl: 'urn:uuid:1',
        resource: { resourceType: 'Patient', text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Hi <b>there</b></p></div>' } },
        search: { mode: 'match' }
      }
    ]
  }
};

describe('toFhirXml', () => {
  it.each(Object.entries(cases))('matches FHIR.js: %s', (_name, resource) => {
    expect(toFhirXml(resource)).toBe(referenceXml(resource));
  });

  it('indents two spaces and puts attributes where FHIR XML wants them', () => {
    const xml = toFhirXml(cases['contained resources, element ids and extension urls']!);
    expect(xml).toContain('\n  <extension url="http://example.org/e">\n    <extension url="inner">\n      <valueInteger value="3"/>');
    expect(xml).toContain('<code id="code1">\n    <text value="a &quot;quoted&quot; &lt;tag&gt; &amp; line&#xA;break"/>');
    expect(xml).toContain('<contained>\n    <Patient>\n      <id value="c1"/>');
  });
});
