/** Type-aware generated narratives for instances, Bundle entries, and the no-narrative parameter. */
import { describe, expect, it } from 'vitest';
import type { BuildContext } from '../../scripts/pipeline/context.ts';
import { generateNarrative } from '../../scripts/stages/narrative/generate.ts';
import { narrativeStage, noNarrative } from '../../scripts/stages/narrative/stage.ts';

const observation = {
  resourceType: 'Observation',
  id: 'bp',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '85354-9', display: 'Blood pressure panel' }] },
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: '2026-02-02',
  component: [
    { code: { coding: [{ system: 'http://loinc.org', code: '8480-6', display: 'Systolic' }] }, valueQuantity: { value: 120, unit: 'mmHg' } },
    { code: { text: 'Diastolic' }, valueQuantity: { value: 80, unit: 'mmHg' } }
  ]
};

describe('generated narratives of instances', () => {
  it('give an Observation its code, subject, time and components', () => {
    const div = generateNarrative(observation)!.div;
    expect(div).toContain('<tr><th>Code</th><td>Blood pressure panel (loinc.org#85354-9)</td></tr>');
    expect(div).toContain('<tr><th>Subject</th><td>Patient/p1</td></tr>');
    expect(div).toContain('<tr><th>When</th><td>2026-02-02</td></tr>');
    expect(div).toContain('<tr><td>Systolic (loinc.org#8480-6)</td><td>120 mmHg</td></tr>');
    expect(div).toContain('<tr><td>Diastolic</td><td>80 mmHg</td></tr>');
  });

  it('give a Patient its name, identifier, gender and birth date, escaped', () => {
    const div = generateNarrative({
      resourceType: 'Patient',
      id: 'p1',
      name: [{ given: ['Alex', '<b>'], family: 'Example' }],
      identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000018' }],
      gender: 'female',
      birthDate: '1980-04-05'
    })!.div;
    expect(div).toContain('<tr><th>Name</th><td>Alex &lt;b&gt; Example</td></tr>');
    expect(div).toContain('9990000018 (https://fhir.nhs.uk/Id/nhs-number)');
    expect(div).toContain('<tr><th>Birth date</th><td>1980-04-05</td></tr>');
  });

  it('narrate the resources inside a Bundle, and respect no-narrative', async () => {
    const bundle = {
      resourceType: 'Bundle',
      id: 'b',
      type: 'collection',
      entry: [{ resource: { ...observation } }, { resource: { resourceType: 'Patient', id: 'p1', gender: 'male' } }]
    };
    const ctx = {
      config: { raw: { parameters: { 'no-narrative': ['Patient/*'] } } },
      compiled: { resources: [{ fileName: 'Bundle-b.json', resource: bundle }], counts: {} }
    } as unknown as BuildContext;
    await narrativeStage(ctx);
    const out = ctx.compiled!.resources[0]!.resource as unknown as { text?: unknown; entry: { resource: { text?: { status: string } } }[] };
    expect(out.text).toBeUndefined();
    expect(out.entry[0]!.resource.text?.status).toBe('generated');
    expect(out.entry[1]!.resource.text).toBeUndefined();
    expect(noNarrative({ 'no-narrative': 'Observation/bp' })({ resourceType: 'Observation', id: 'bp' })).toBe(true);
    expect(noNarrative({ 'no-narrative': 'Observation/bp' })({ resourceType: 'Observation', id: 'other' })).toBe(false);
  });
});
