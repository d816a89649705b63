/**
 * The audit trail: every look-up recorded as an AuditEvent that conforms to the guide's look-up
 * audit profile, answered by GET /AuditEvent?entity:identifier=...|{NHS Number}, newest first,
 * and holding nothing of the status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledResource, FhirResource } from '../../scripts/model/resources.ts';
import { AuditLog } from '../../scripts/apps/sandbox/audit.ts';
import type { RunningSandbox } from '../../scripts/apps/sandbox/start.ts';
import type { ValidatorContext } from '../../scripts/lib/validator/validator.ts';
import { claims, example, get, headers, jwt, searchQuery, startGuideSandbox } from './fixture.ts';

let sandbox: RunningSandbox;
let resources: CompiledResource[];
let validator: ValidatorContext;

beforeAll(async () => {
  ({ sandbox, resources, validator } = await startGuideSandbox());
});

afterAll(() => sandbox?.close());

const AUDIT = 'urn:nhs:names:services:visitorsandmigrants:fhir:rest:search:auditevent';
/** The audit search, with the headers and a token for that patient (who looked is the patient's to know). */
const auditOf = (nhs: string, query = '') =>
  get(
    `${sandbox.url}/AuditEvent?entity:identifier=${encodeURIComponent(`https://fhir.nhs.uk/Id/nhs-number|${nhs}`)}${query}`,
    headers(jwt(claims(resources, nhs)), AUDIT)
  );
const trace = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('the audit trail', () => {
  it('records each look-up, conforming to the look-up audit profile, newest first', async () => {
    const nhs = '9990316767';
    expect((await auditOf(nhs)).json!.total).toBe(0);
    await get(`${sandbox.url}/Observation?${searchQuery(nhs)}`, headers(jwt(claims(resources, nhs)), undefined, { 'Ssp-TraceID': trace(1) }));
    const local = example(resources, 'Practitioner', 'vm-audit-practitioner-local');
    const { text: _t, meta: _m, ...practitioner } = local;
    void [_t, _m];
    await get(
      `${sandbox.url}/Observation?${searchQuery(nhs)}`,
      headers(jwt(claims(resources, '9990554331', { sub: practitioner.id, requesting_practitioner: practitioner })), undefined, { 'Ssp-TraceID': trace(2) })
    );
    const a = await auditOf(nhs);
    expect(a.status).toBe(200);
    const events = (a.json!.entry as { resource: FhirResource }[]).map(e => e.resource);
    expect(events).toHaveLength(2);
    for (const e of events) {
      const errors = validator
        .validateResource(e, { profiles: ['https://fhir.nhs.uk/vm/StructureDefinition/vm-lookup-audit-event'] })
        .filter(i => i.severity === 'error');
      expect(errors).toEqual([]);
    }
    type Audit = { outcomeDesc: string; outcome: string; entity: { detail: { valueString: string }[] }[]; agent: { name: string; altId?: string }[] };
    const [unmatched, found] = events as unknown as [Audit, Audit];
    expect(found.outcomeDesc).toBe('FOUND');
    expect(found.outcome).toBe('0');
    expect(found.entity[0]!.detail[0]!.valueString).toBe(trace(1));
    expect(found.agent.map(g => g.name)).toEqual(['Ms Adaeze Okafor', 'Example Hospitals NHS Foundation Trust', 'Example Patient Administration System 4.2.1']);
    expect(found.agent[0]!.altId).toBe('555021936103');
    expect(unmatched.outcomeDesc).toBe('REQUEST_UNMATCHED');
    expect(unmatched.outcome).toBe('4');
    // Nothing of the status itself: no category, source or date of the Observation.
    expect(JSON.stringify(found)).not.toMatch(/OVM_ASSESSMENT|CATEGORY|2025-08-21/);
  });

  it('does not record a look-up whose token or NHS Number could not be read', async () => {
    const before = sandbox.handler.audit.size;
    await get(`${sandbox.url}/Observation?${searchQuery('9990554331')}`, headers('bad'));
    await get(`${sandbox.url}/Observation?${searchQuery('9990554332')}`, headers(jwt(claims(resources, '9990554331'))));
    expect(sandbox.handler.audit.size).toBe(before);
  });

  it('answers only the NHS Number search', async () => {
    for (const q of ['', 'entity:identifier=9990554331', 'entity:identifier=https://example.org|9990554331', 'patient=1']) {
      const a = await get(`${sandbox.url}/AuditEvent?${q}`, headers(jwt(claims(resources, '9990554331')), AUDIT));
      expect(a.status, q).toBe(400);
      expect(a.json!.resourceType).toBe('OperationOutcome');
    }
  });

  it('is bounded: the oldest records go first', () => {
    const log = new AuditLog('p', 's', 3);
    const c = claims(resources, '9990554331') as never;
    for (let i = 0; i < 5; i++) log.record({ claims: c, nhsNumber: '9990554331', traceId: trace(i), spineAsid: '1', status: 200, outcomeCode: 'FOUND' });
    const kept = log.forNhsNumber('9990554331').map(e => (e.entity as { detail: { valueString: string }[] }[])[0]!.detail[0]!.valueString);
    expect(kept).toEqual([trace(4), trace(3), trace(2)]);
  });
});
