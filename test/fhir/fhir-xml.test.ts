/** The FHIR.js adapter: XML to JSON (as read and typed), JSON to XML, errors as values, the type model. */
import { describe, expect, it } from 'vitest';
import { objectToXml, xmlToObject, xmlToTypedJson, xmlTypeModel } from '../../scripts/fhir/fhir-xml.ts';

const observation = {
  resourceType: 'Observation',
  id: 'o1',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '8302-2' }] },
  valueQuantity: { value: 180.5, unit: 'cm' },
  _status: { extension: [{ url: 'http://example.org/e', valueBoolean: true }] }
};

describe('FHIR.js adapter', () => {
  it('writes FHIR XML that reads back to the same JSON, numbers and booleans typed', () => {
    const xml = objectToXml(observation);
    expect(xml).toContain('<Observation xmlns="http://hl7.org/fhir">');
    expect(xml).toContain('<value value="180.5"/>');
    expect(xmlToTypedJson(xml)).toEqual({ ok: true, value: observation });
  });

  it('reads XML into an object with resourceType', () => {
    const read = xmlToObject('<Patient xmlns="http://hl7.org/fhir"><id value="p"/><active value="true"/></Patient>');
    expect(read.ok && read.value).toMatchObject({ resourceType: 'Patient', id: 'p' });
  });

  it('gives a conversion failure as a one-line message, not an exception', () => {
    for (const convert of [xmlToObject, xmlToTypedJson]) {
      const read = convert('<Patient xmlns="http://hl7.org/fhir"><id value="p"></Patient>');
      expect(read.ok).toBe(false);
      if (!read.ok) {
        expect(read.message).not.toBe('');
        expect(read.message).not.toContain('\n');
      }
    }
  });

  it('exposes the R4 type model in element order', () => {
    const names = xmlTypeModel().Patient?._properties?.map(p => p._name) ?? [];
    expect(names.indexOf('identifier')).toBeGreaterThan(names.indexOf('id'));
    expect(names.indexOf('birthDate')).toBeGreaterThan(names.indexOf('gender'));
    expect(xmlTypeModel().Patient?._properties?.find(p => p._name === 'name')).toMatchObject({ _type: 'HumanName', _multiple: true });
  });
});
