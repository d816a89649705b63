/**
 * FHIR XML input: read with the definitions (repeats, primitives, nested resources), with line and
 * column on every issue, and the XML rules the Java validator applies.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { objectToXml } from '../../scripts/fhir/fhir-xml.ts';
import { REPO_ROOT } from '../helpers/project.ts';
import { validator } from './helpers.ts';

const VALID = join(REPO_ROOT, 'test', 'fixtures', 'validate', 'base-valid');
const NS = 'xmlns="http://hl7.org/fhir"';
const DIV = '<div xmlns="http://www.w3.org/1999/xhtml"><p>x</p></div>';

const check = (xml: string) =>
  validator()
    .validateText(xml, 'x.xml')
    .diagnostics.filter(d => d.severity !== 'information');
const found = (xml: string) => check(xml).map(d => `${d.severity} ${d.rule} ${d.location?.expression ?? ''}`);

describe('FHIR XML', () => {
  it.each(readdirSync(VALID).filter(f => f.endsWith('.json')))('%s as XML (written by FHIR.js) gives the same findings as the JSON', file => {
    const json = readFileSync(join(VALID, file), 'utf8');
    const xml = objectToXml(JSON.parse(json));
    expect(found(xml)).toEqual(
      validator()
        .validateText(json, file)
        .diagnostics.filter(d => d.severity !== 'information')
        .map(d => `${d.severity} ${d.rule} ${d.location?.expression ?? ''}`)
    );
  });

  it('ignores comments, keeps > in attributes, accepts a primitive with only an extension and xml:space in the narrative', () => {
    const xml =
      `<?xml version="1.0"?>\n<!-- c -->\n<Patient ${NS}>\n  <!-- c -->\n  <id value="p1"/>\n  <text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml" xml:space="preserve"><p>a &gt; b</p></div></text>\n` +
      '  <name><family value="A>B"/><given><extension url="http://hl7.org/fhir/StructureDefinition/iso21090-EN-qualifier"><valueCode value="BR"/></extension></given></name>\n' +
      '  <birthDate><extension url="http://hl7.org/fhir/StructureDefinition/data-absent-reason"><valueCode value="unknown"/></extension></birthDate>\n</Patient>\n';
    expect(found(xml)).toEqual([]);
  });

  it('keeps repeated elements, so a repeated single element is a cardinality error with its line', () => {
    const xml = `<Patient ${NS}>\n<id value="p1"/>\n<text><status value="generated"/>${DIV}</text>\n<active value="true"/>\n<active value="false"/>\n</Patient>`;
    const d = check(xml);
    expect(d.map(x => x.rule)).toEqual(['cardinality-max']);
    expect(d[0]!.location).toMatchObject({ line: 1, column: 1 });
    const wrong = check(`<Patient ${NS}>\n<id value="p1"/>\n<text><status value="generated"/>${DIV}</text>\n<gender value="nope"/>\n</Patient>`);
    expect(wrong[0]).toMatchObject({ rule: 'binding-required', location: { line: 4, column: 1, expression: 'Patient.gender' } });
  });

  it('one root element, in the FHIR namespace on the root, no DOCTYPE or undeclared entities', () => {
    expect(found(`<Patient ${NS}><id value="a"/></Patient><Patient ${NS}/>`)).toEqual(['error xml-syntax ']);
    expect(found(`<Patient><id ${NS} value="a"/></Patient>`)).toEqual(['error xml-syntax ']);
    expect(found(`<!DOCTYPE p [<!ENTITY e "x">]><Patient ${NS}><id value="a"/></Patient>`)).toEqual(['error xml-syntax ']);
    const entity = check(`<Patient ${NS}>\n  <id value="a&bogus;"/></Patient>`);
    expect(entity[0]).toMatchObject({ rule: 'xml-syntax', location: { line: 2 } });
    expect(entity[0]!.message).toContain('&bogus;');
  });
});
