/**
 * Every core invariant must evaluate: one that cannot is a tool bug, not a skipped check. The
 * sweep fills every core resource type (and every core profile) with synthetic data of every
 * shape and collects the evaluation failures; the two the sweep found (decimals handed to
 * fhirpath with a base path, and resolve()) each have a case that fails and one that passes.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_PACKAGE_CACHE } from '../helpers/project.ts';
import { issues, validator, DIV } from './helpers.ts';
import { SyntheticInstances } from './synthetic.ts';

const unevaluated = (found: { message: string; rule: string; location?: { expression?: string } }[]) =>
  found.filter(i => i.message.includes('could not be evaluated')).map(i => `${i.rule} ${i.location?.expression ?? ''}: ${i.message}`);

describe('the core invariants on synthetic instances', () => {
  const synthetic = new SyntheticInstances(join(SHARED_PACKAGE_CACHE, 'hl7.fhir.r4.core#4.0.1', 'package'));

  it('evaluates every invariant of every resource type, for each type of every choice element', () => {
    const failures: string[] = [];
    let instances = 0;
    let violated = 0;
    for (const variant of [0, 1, 2, 3]) {
      for (const [type, sd] of synthetic.types) {
        if (sd.kind !== 'resource' || sd.abstract) continue;
        const found = validator().validateResource(synthetic.resource(type, variant));
        instances++;
        failures.push(...unevaluated(found).map(f => `${type}: ${f}`));
        if (found.some(i => i.message.startsWith('Constraint failed'))) violated++;
      }
    }
    expect(instances).toBeGreaterThan(500);
    // Made-up data breaks invariants too: proof that they ran.
    expect(violated).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  });

  it('evaluates the invariants of every core profile and extension definition', () => {
    const failures: string[] = [];
    let checked = 0;
    for (const p of synthetic.profiles) {
      let resource: Record<string, unknown>;
      if (p.kind === 'resource' && synthetic.types.has(p.type)) resource = synthetic.resource(p.type, 1);
      else if (p.type === 'Extension') {
        const ext: Record<string, unknown> = { url: p.url };
        const type = p.snapshot.element.find(e => e.path === 'Extension.value[x]' && e.max !== '0')?.type?.[0]?.code;
        const value = type ? synthetic.value(type, 1) : undefined;
        if (type && value !== undefined) ext[`value${type[0]!.toUpperCase()}${type.slice(1)}`] = value;
        resource = { resourceType: 'Basic', id: 'x1', code: { text: 'x' }, extension: [ext] };
      } else continue;
      checked++;
      const found = validator().validateResource(resource, { profiles: p.kind === 'resource' ? [p.url] : [] });
      failures.push(...unevaluated(found).map(f => `${p.url}: ${f}`));
    }
    expect(checked).toBeGreaterThan(400);
    expect(failures).toEqual([]);
  });
});

describe('invariants the sweep found unevaluable', () => {
  const risk = (probability: Record<string, unknown>) => ({
    resourceType: 'RiskAssessment',
    id: 'r',
    text: { status: 'generated', div: DIV('r') },
    status: 'final',
    subject: { reference: 'Patient/p' },
    prediction: [probability]
  });

  it('ras-1 runs on a decimal probability (fhirpath had no decimal factory for a number given with a base path)', () => {
    const all = validator().validateResource(risk({ probabilityDecimal: 12.5 }));
    expect(unevaluated(all)).toEqual([]);
    expect(issues(risk({ probabilityDecimal: 12.5 }))).toEqual([]);
    const range = (code: string) => ({ probabilityRange: { low: { value: 5, unit: '%', system: 'http://unitsofmeasure.org', code } } });
    expect(issues(risk(range('%')))).toEqual([]);
    expect(issues(risk(range('mg')))).toContain('error ras-1 RiskAssessment.prediction[0].probabilityRange');
  });

  it('ras-2 compares a decimal probability with 100', () => {
    expect(issues(risk({ probabilityDecimal: 100 }))).toEqual([]);
    expect(issues(risk({ probabilityDecimal: 100.5 }))).toContain('error ras-2 RiskAssessment.prediction[0]');
  });

  it('ctm-1 resolves a member to a contained resource, as the Java validator does', () => {
    const team = (member: Record<string, unknown>) => ({
      resourceType: 'CareTeam',
      id: 't',
      text: { status: 'generated', div: DIV('t') },
      contained: [member],
      participant: [{ member: { reference: `#${String(member.id)}` }, onBehalfOf: { reference: '#org' } }]
    });
    const org = { resourceType: 'Organization', id: 'org', name: 'Leeds GP' };
    const withOrg = (member: Record<string, unknown>) => ({ ...team(member), contained: [member, org] });
    const practitioner = { resourceType: 'Practitioner', id: 'pr', name: [{ family: 'Jones' }] };
    const relative = { resourceType: 'RelatedPerson', id: 'rp', patient: { reference: 'Patient/p' } };
    const found = validator().validateResource(withOrg(relative));
    expect(unevaluated(found)).toEqual([]);
    expect(issues(withOrg(practitioner))).toEqual([]);
    expect(issues(withOrg(relative))).toContain('error ctm-1 CareTeam.participant[0]');
  });

  it('ctm-1 resolves inside a Bundle, and an unresolvable member cannot fail it', () => {
    const bundle = (memberType: string) => ({
      resourceType: 'Bundle',
      id: 'b',
      type: 'collection',
      entry: [
        {
          fullUrl: 'https://example.org/fhir/CareTeam/t',
          resource: {
            resourceType: 'CareTeam',
            id: 't',
            text: { status: 'generated', div: DIV('t') },
            participant: [{ member: { reference: `${memberType}/m` }, onBehalfOf: { reference: 'Organization/o' } }]
          }
        },
        { fullUrl: `https://example.org/fhir/${memberType}/m`, resource: { resourceType: memberType, id: 'm', text: { status: 'generated', div: DIV('m') } } },
        {
          fullUrl: 'https://example.org/fhir/Organization/o',
          resource: { resourceType: 'Organization', id: 'o', name: 'x', text: { status: 'generated', div: DIV('o') } }
        }
      ]
    });
    expect(issues(bundle('Practitioner')).filter(i => i.includes('ctm-1'))).toEqual([]);
    expect(issues(bundle('Patient'))).toContain('error ctm-1 Bundle.entry[0].resource.participant[0]');
    const loose = bundle('Patient');
    loose.entry.splice(1, 1);
    expect(issues(loose).filter(i => i.includes('ctm-1'))).toEqual([]);
  });
});
