/**
 * FHIR R4 RDF Turtle (rdf.html) from the core StructureDefinitions: predicates named by the
 * defining type's path, choice names with their type, typed values, list indexes, extensions on
 * primitives, contained resources, references, and no Turtle at all for what R4 cannot describe.
 */
import { describe, expect, it } from 'vitest';
import { coreDefinitions } from '../../scripts/lib/validator/core-source.ts';
import { literal, toTurtle, typedLiteral } from '../../scripts/stages/render/turtle.ts';
import { SHARED_PACKAGE_CACHE } from '../helpers/project.ts';

const defs = coreDefinitions(SHARED_PACKAGE_CACHE);
const lookup = (type: string) => defs.get(`http://hl7.org/fhir/StructureDefinition/${type}`);
const ttl = (resource: Record<string, unknown>) => toTurtle({ resourceType: 'Observation', id: 'o', ...resource }, 'http://example.org/fhir/', lookup);

describe('R4 Turtle', () => {
  it('names choice elements by their type and types their values', () => {
    const out = ttl({
      status: 'final',
      code: { text: 'x' },
      valueQuantity: { value: 1.5, unit: 'kg' },
      effectiveDateTime: '2024-01-02T03:04:05Z',
      issued: '2024-01-02T03:04:05.000Z'
    })!;
    expect(out).toContain('<http://example.org/fhir/Observation/o> a fhir:Observation ;');
    expect(out).toMatch(
      /fhir:Observation\.valueQuantity \[\s+fhir:Quantity\.value \[ fhir:value "1\.5"\^\^xsd:decimal \] ;\s+fhir:Quantity\.unit \[ fhir:value "kg" \]/
    );
    expect(out).toContain('fhir:Observation.effectiveDateTime [ fhir:value "2024-01-02T03:04:05Z"^^xsd:dateTime ]');
    expect(out).toContain('fhir:Observation.issued [ fhir:value "2024-01-02T03:04:05.000Z"^^xsd:dateTime ]');
    // Properties in the definition's order, not the JSON's.
    expect(out.indexOf('Observation.status')).toBeLessThan(out.indexOf('Observation.code'));
    expect(out.indexOf('Observation.code')).toBeLessThan(out.indexOf('Observation.effectiveDateTime'));
  });

  it('writes ids and extensions of primitives beside their value, and contained resources with their type', () => {
    const out = ttl({
      status: 'final',
      _status: { id: 's1', extension: [{ url: 'http://example.org/x', valueBoolean: true }] },
      code: { text: 'x' },
      contained: [{ resourceType: 'Patient', id: 'p' }],
      subject: { reference: '#p' }
    })!;
    expect(out).toMatch(/fhir:Observation\.status \[\s+fhir:value "final" ;\s+fhir:Element\.id \[ fhir:value "s1" \] ;\s+fhir:Element\.extension \[/);
    expect(out).toContain('fhir:Extension.valueBoolean [ fhir:value "true"^^xsd:boolean ]');
    expect(out).toMatch(/fhir:DomainResource\.contained \[\s+a fhir:Patient ;\s+fhir:index 0 ;\s+fhir:Resource\.id \[ fhir:value "p" \]/);
    // A reference to a contained resource has no link.
    expect(out).toContain('fhir:Observation.subject [ fhir:Reference.reference [ fhir:value "#p" ] ]');
  });

  it('gives no Turtle for what the R4 definitions cannot describe', () => {
    expect(ttl({ status: 'final', code: { text: 'x' }, notAnElement: 1 })).toBeUndefined();
    expect(toTurtle({ resourceType: 'Requirements', id: 'r' }, 'http://example.org', lookup)).toBeUndefined();
  });

  it('literals: escapes, and the date types of R4 partial dates', () => {
    expect(literal('a "b"\n\\')).toBe('"a \\"b\\"\\n\\\\"');
    expect(typedLiteral('2024', 'date')).toBe('"2024"^^xsd:gYear');
    expect(typedLiteral('2024-05', 'dateTime')).toBe('"2024-05"^^xsd:gYearMonth');
    expect(typedLiteral('2024-05-01', 'date')).toBe('"2024-05-01"^^xsd:date');
    expect(typedLiteral(3, 'positiveInt')).toBe('"3"^^xsd:positiveInteger');
    expect(typedLiteral('x', 'code')).toBe('"x"');
  });
});
