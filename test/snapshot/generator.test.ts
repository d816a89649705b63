/** The snapshot generator on hand-written differentials: slicing, re-slicing, choices, type profiles, contentReference, logical models, errors. */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  isStructureDefinitionJson,
  snapshotGenerator,
  SnapshotError,
  type Element,
  type StructureDefinitionJson
} from '../../scripts/lib/snapshot/snapshot.ts';
import { loadConformance } from '../../scripts/lib/validator/load.ts';
import { coreDefinitions } from '../../scripts/lib/validator/core-source.ts';
import { REPO_ROOT, SHARED_PACKAGE_CACHE } from '../helpers/project.ts';

const core = coreDefinitions(SHARED_PACKAGE_CACHE);
const local = new Map<string, StructureDefinitionJson>();
const fetch = (url: string): StructureDefinitionJson | undefined => {
  const r = core.get(url);
  return local.get(url) ?? (isStructureDefinitionJson(r) ? r : undefined);
};

function sd(id: string, base: string, elements: Element[], extra: Partial<StructureDefinitionJson> = {}): StructureDefinitionJson {
  const def: StructureDefinitionJson = {
    resourceType: 'StructureDefinition',
    url: `https://example.org/fhir/StructureDefinition/${id}`,
    type: String(elements[0]!.path ?? elements[0]!.id).split('.')[0],
    derivation: 'constraint',
    baseDefinition: base.includes('/') ? base : `http://hl7.org/fhir/StructureDefinition/${base}`,
    differential: { element: elements },
    ...extra
  };
  local.set(def.url!, def);
  return def;
}

const ids = (elements: Element[]) => elements.map(e => e.id);
const byId = (elements: Element[], id: string) => elements.find(e => e.id === id);

beforeAll(async () => {
  for (const r of (await loadConformance([join(REPO_ROOT, 'test', 'fixtures', 'snapshot', 'profiles')])).resources)
    if (isStructureDefinitionJson(r)) local.set(String(r.url), r);
});

describe('snapshot generator', () => {
  it('keeps the base order and puts slices, with their children, after the sliced element', () => {
    const out = snapshotGenerator(fetch).snapshot(local.get('https://example.org/fhir/StructureDefinition/dl-patient')!);
    const at = (id: string) => ids(out).indexOf(id);
    expect(out.length).toBe(fetch('http://hl7.org/fhir/StructureDefinition/Patient')!.snapshot!.element.length + 1 + 9);
    expect(at('Patient.identifier:nhsNumber')).toBe(at('Patient.identifier') + 1);
    expect(ids(out).slice(at('Patient.identifier:nhsNumber'), at('Patient.active'))).toEqual(
      ['', '.id', '.extension', '.use', '.type', '.system', '.value', '.period', '.assigner'].map(s => `Patient.identifier:nhsNumber${s}`)
    );
    const system = byId(out, 'Patient.identifier:nhsNumber.system')!;
    expect(system).toMatchObject({
      path: 'Patient.identifier.system',
      min: 1,
      max: '1',
      fixedUri: 'https://fhir.nhs.uk/Id/nhs-number',
      base: { path: 'Identifier.system' }
    });
    expect(byId(out, 'Patient.identifier')).toMatchObject({ min: 1, slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' } });
    expect(byId(out, 'Patient.identifier:nhsNumber')).toMatchObject({ sliceName: 'nhsNumber', min: 1, max: '1' });
    expect(byId(out, 'Patient.identifier:nhsNumber')!.slicing).toBeUndefined();
    expect(byId(out, 'Patient.extension:ethnicity')!.type).toEqual([
      { code: 'Extension', profile: ['https://example.org/fhir/StructureDefinition/dl-ethnicity'] }
    ]);
    expect(byId(out, 'Patient.gender')!.binding).toMatchObject({ strength: 'required', valueSet: 'https://example.org/fhir/ValueSet/dl-gender' });
    expect(byId(out, 'Patient.deceased[x]')!.type).toEqual([{ code: 'boolean' }]);
    expect((byId(out, 'Patient')!.constraint as { key: string }[]).map(c => c.key)).toEqual(['dom-2', 'dom-3', 'dom-4', 'dom-5', 'dom-6']);
  });

  it('generates a base without a snapshot first, and an XML-loaded datatype profile', () => {
    const generator = snapshotGenerator(fetch);
    const strict = generator.snapshot(local.get('https://example.org/fhir/StructureDefinition/dl-patient-strict')!);
    expect(byId(strict, 'Patient.identifier:nhsNumber.system')!.fixedUri).toBe('https://fhir.nhs.uk/Id/nhs-number');
    expect(byId(strict, 'Patient.identifier:nhsNumber.use')!.fixedCode).toBe('official');
    expect(byId(strict, 'Patient.birthDate')!.min).toBe(1);
    const address = generator.snapshot(local.get('https://example.org/fhir/StructureDefinition/dl-address')!);
    expect(byId(address, 'Address.postalCode')).toMatchObject({ min: 1, max: '1', base: { path: 'Address.postalCode', min: 0 } });
  });

  it('turns a type-named choice into a type slice, and constrains inside it from the datatype', () => {
    const out = snapshotGenerator(fetch).snapshot(
      sd('weight', 'Observation', [
        { id: 'Observation.valueQuantity', path: 'Observation.valueQuantity', min: 1 },
        { id: 'Observation.valueQuantity.system', path: 'Observation.valueQuantity.system', fixedUri: 'http://unitsofmeasure.org' }
      ])
    );
    expect(byId(out, 'Observation.value[x]')).toMatchObject({
      type: [{ code: 'Quantity' }],
      slicing: { discriminator: [{ type: 'type', path: '$this' }], rules: 'closed' }
    });
    expect(byId(out, 'Observation.value[x]:valueQuantity')).toMatchObject({ sliceName: 'valueQuantity', min: 1, type: [{ code: 'Quantity' }] });
    expect(byId(out, 'Observation.value[x]:valueQuantity.system')).toMatchObject({
      path: 'Observation.value[x].system',
      fixedUri: 'http://unitsofmeasure.org'
    });
  });

  it('reads an explicit type slice (value[x]:valueQuantity) as that type, and unfolds it', () => {
    const out = snapshotGenerator(fetch).snapshot(
      sd('explicit', 'Observation', [
        { id: 'Observation.value[x]', path: 'Observation.value[x]', slicing: { discriminator: [{ type: 'type', path: '$this' }], rules: 'open' } },
        { id: 'Observation.value[x]:valueQuantity', path: 'Observation.value[x]', sliceName: 'valueQuantity', min: 0, max: '1' },
        { id: 'Observation.value[x]:valueQuantity.code', path: 'Observation.value[x].code', min: 1 }
      ])
    );
    expect(byId(out, 'Observation.value[x]:valueQuantity')!.type).toEqual([{ code: 'Quantity' }]);
    expect(byId(out, 'Observation.value[x]:valueQuantity.code')).toMatchObject({ path: 'Observation.value[x].code', min: 1, base: { path: 'Quantity.code' } });
    expect(byId(out, 'Observation.value[x]')!.type!.length).toBe(11);
  });

  it('re-slices a slice of the base profile after it', () => {
    const base = sd('ids', 'Patient', [
      { id: 'Patient.identifier', path: 'Patient.identifier', slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' } },
      { id: 'Patient.identifier:local', path: 'Patient.identifier', sliceName: 'local', max: '3' }
    ]);
    const derived = sd('ids-derived', base.url!, [
      {
        id: 'Patient.identifier:local',
        path: 'Patient.identifier',
        sliceName: 'local',
        slicing: { discriminator: [{ type: 'value', path: 'type' }], rules: 'closed' }
      },
      { id: 'Patient.identifier:local/hospital', path: 'Patient.identifier', sliceName: 'local/hospital', max: '1' },
      { id: 'Patient.identifier:local/hospital.value', path: 'Patient.identifier.value', min: 1 }
    ]);
    const out = snapshotGenerator(fetch).snapshot(derived);
    const list = ids(out);
    expect(list.indexOf('Patient.identifier:local/hospital')).toBe(list.indexOf('Patient.identifier:local') + 1);
    expect(list.indexOf('Patient.identifier:local/hospital.value')).toBeGreaterThan(list.indexOf('Patient.identifier:local/hospital'));
    expect(byId(out, 'Patient.identifier:local/hospital')).toMatchObject({ sliceName: 'local/hospital', max: '1' });
    expect(byId(out, 'Patient.identifier:local/hospital.value')!.min).toBe(1);
    expect(byId(out, 'Patient.identifier:local')!.slicing).toMatchObject({ rules: 'closed' });
  });

  it('unfolds a contentReference, and reads a differential written with paths and slice names only', () => {
    const out = snapshotGenerator(fetch).snapshot(
      sd('q', 'Questionnaire', [
        { path: 'Questionnaire.item' },
        { path: 'Questionnaire.item.item', slicing: { discriminator: [{ type: 'value', path: 'linkId' }], rules: 'open' } },
        { path: 'Questionnaire.item.item', sliceName: 'consent', min: 1 },
        { path: 'Questionnaire.item.item.linkId', fixedString: 'consent' }
      ])
    );
    expect(byId(out, 'Questionnaire.item.item:consent.linkId')).toMatchObject({ path: 'Questionnaire.item.item.linkId', fixedString: 'consent' });
    expect(byId(out, 'Questionnaire.item.item:consent.item')!.contentReference).toBe('#Questionnaire.item');
  });

  it('builds a logical model on Element: base elements renamed, new elements added', () => {
    const out = snapshotGenerator(fetch).snapshot(
      sd('Visit', 'Element', [{ path: 'Visit' }, { path: 'Visit.arrived', min: 1, max: '1', type: [{ code: 'date' }] }], {
        derivation: 'specialization',
        kind: 'logical',
        type: 'https://example.org/fhir/StructureDefinition/Visit'
      })
    );
    expect(out.map(e => `${e.id} ${e.min}..${e.max}`)).toEqual(['Visit 0..*', 'Visit.id 0..1', 'Visit.extension 0..*', 'Visit.arrived 1..1']);
    expect(byId(out, 'Visit.arrived')!.base).toEqual({ path: 'Visit.arrived', min: 1, max: '1' });
  });

  it('reports what it cannot do with the element to blame', () => {
    const generator = snapshotGenerator(fetch);
    const unknown = sd('bad', 'Patient', [{ id: 'Patient.nickname', path: 'Patient.nickname', min: 1 }]);
    expect(() => generator.snapshot(unknown)).toThrow(SnapshotError);
    expect(() => generator.snapshot(unknown)).toThrow('Patient.nickname: there is no element nickname in Patient');
    const choice = sd('choice', 'Observation', [{ id: 'Observation.value[x].value', path: 'Observation.value[x].value', min: 1 }]);
    expect(() => generator.snapshot(choice)).toThrow(/has 11 types; name one \(e\.g\. valueQuantity\)/);
    expect(() => generator.snapshot(sd('nopath', 'Patient', [{ id: 'Patient' } as Element]))).toThrow('differential element 0 has no path');
    expect(() => generator.snapshot(sd('nobase', 'https://example.org/missing', [{ path: 'Patient' }]))).toThrow(
      'https://example.org/missing is not a known StructureDefinition'
    );
    const missing = sd('child', 'https://example.org/fhir/StructureDefinition/bad', [{ path: 'Patient' }]);
    try {
      generator.snapshot(missing);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SnapshotError);
      expect((e as SnapshotError).url).toBe(missing.url);
      expect((e as Error).message).toBe(
        'https://example.org/fhir/StructureDefinition/bad (needed first): Patient.nickname: there is no element nickname in Patient'
      );
    }
  });
});

describe('isStructureDefinitionJson', () => {
  const patient = core.get('http://hl7.org/fhir/StructureDefinition/Patient');
  it('takes a StructureDefinition whose snapshot and differential list elements with a path', () => {
    expect(isStructureDefinitionJson(patient)).toBe(true);
    expect(isStructureDefinitionJson({ resourceType: 'StructureDefinition', url: 'https://example.org/x' })).toBe(true);
  });

  it('refuses other resources, and element lists the generator cannot read', () => {
    expect(isStructureDefinitionJson(undefined)).toBe(false);
    expect(isStructureDefinitionJson(core.get('http://hl7.org/fhir/ValueSet/administrative-gender'))).toBe(false);
    expect(isStructureDefinitionJson({ resourceType: 'StructureDefinition', differential: { element: [{ id: 'Patient' }] } })).toBe(false);
    expect(isStructureDefinitionJson({ resourceType: 'StructureDefinition', snapshot: { element: 'Patient' } })).toBe(false);
    expect(isStructureDefinitionJson({ resourceType: 'StructureDefinition', differential: [] })).toBe(false);
  });
});
