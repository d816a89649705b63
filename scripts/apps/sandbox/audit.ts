/**
 * The sandbox's audit trail: one AuditEvent, conforming to the guide's look-up audit profile, for
 * every look-up whose token named who asked and whose NHS Number was valid. Kept in memory only,
 * bounded in records and in bytes (the oldest records go first), and gone when the sandbox stops.
 */
import { randomUUID } from 'node:crypto';
import type { Device, Identifier, Practitioner } from '../../fhir/r4.ts';
import type { FhirResource } from '../../model/resources.ts';
import type { Claims } from './jwt.ts';
import { escapeXml, instant } from '../../lib/spine/responses.ts';
import { NHS_NUMBER_SYSTEM } from '../../fhir/nhs-number.ts';
import { ODS_CODE_SYSTEM, SDS_ROLE_PROFILE_ID_SYSTEM, SDS_USER_ID_SYSTEM, SPINE_ASID_SYSTEM } from '../../lib/spine/spine.ts';

export interface LookUp {
  claims: Claims;
  nhsNumber: string;
  traceId: string;
  /** The Spine ASID the request was addressed to (Ssp-To). */
  spineAsid: string;
  status: number;
  outcomeCode: string;
  at?: Date;
}

/** What the trail keeps of one look-up: the event, its NHS Number and its size as JSON. */
interface Kept {
  event: FhirResource;
  nhsNumber: string;
  bytes: number;
}

/**
 * The trail, bounded both in records and in bytes (the JSON of the events kept): the oldest
 * records go first. Tokens may carry long names, so a count alone does not bound the memory a
 * trail holds, or the size of an answer listing it.
 */
export class AuditLog {
  private events: Kept[] = [];
  /** Index of the oldest record still kept (records before it are dropped in batches). */
  private head = 0;
  private bytesKept = 0;

  constructor(
    private readonly profile: string,
    private readonly agentTypeSystem: string,
    readonly limit = 10_000,
    readonly maxBytes = 16 * 1024 * 1024
  ) {}

  record(lookUp: LookUp): FhirResource {
    const event = auditEvent(lookUp, this.profile, this.agentTypeSystem);
    const bytes = JSON.stringify(event).length;
    this.events.push({ event, nhsNumber: lookUp.nhsNumber, bytes });
    this.bytesKept += bytes;
    while (this.events.length - this.head > this.limit || (this.bytesKept > this.maxBytes && this.events.length - this.head > 1)) {
      this.bytesKept -= this.events[this.head]!.bytes;
      this.head++;
    }
    // Compacted in batches: shifting one record off a full log on every look-up is linear each time.
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
    return event;
  }

  /** Every recorded look-up of this NHS Number, newest first. */
  forNhsNumber(nhsNumber: string): FhirResource[] {
    const out: FhirResource[] = [];
    for (let i = this.events.length - 1; i >= this.head; i--) if (this.events[i]!.nhsNumber === nhsNumber) out.push(this.events[i]!.event);
    return out;
  }

  get size(): number {
    return this.events.length - this.head;
  }

  /** The JSON size of the records kept. */
  get bytes(): number {
    return this.bytesKept;
  }
}

export function auditEvent(l: LookUp, profile: string, agentTypeSystem: string): FhirResource {
  const c = l.claims;
  const practitionerIds = c.requesting_practitioner.identifier ?? [];
  const deviceIds = c.requesting_device.identifier ?? [];
  const orgIds = c.requesting_organization.identifier ?? [];
  const agent = (code: string, display: string, requestor: boolean, who: Identifier | undefined, name: string, altId?: string) => ({
    type: { coding: [{ system: agentTypeSystem, code, display }] },
    ...(altId ? { altId } : {}),
    name,
    requestor,
    who: { identifier: { system: who?.system, value: who?.value } }
  });
  return {
    resourceType: 'AuditEvent',
    id: randomUUID(),
    meta: { profile: [profile] },
    text: { status: 'generated', div: narrative(l) },
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'RESTful Operation' },
    subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: 'search-type', display: 'search-type' }],
    action: 'E',
    recorded: instant(l.at ?? new Date()),
    outcome: l.status < 400 ? '0' : '4',
    outcomeDesc: l.outcomeCode,
    purposeOfEvent: [{ text: c.reason_for_request }],
    agent: [
      agent(
        'requesting_practitioner',
        'Requesting practitioner',
        true,
        practitionerIds.find(i => i.system === SDS_USER_ID_SYSTEM),
        personName(c.requesting_practitioner),
        practitionerIds.find(i => i.system === SDS_ROLE_PROFILE_ID_SYSTEM)?.value
      ),
      agent(
        'requesting_organization',
        'Requesting organisation',
        false,
        orgIds.find(i => i.system === ODS_CODE_SYSTEM),
        String(c.requesting_organization.name ?? '')
      ),
      agent('requesting_device', 'Requesting device', false, deviceIds[0], deviceName(c.requesting_device))
    ],
    source: { observer: { identifier: { system: SPINE_ASID_SYSTEM, value: l.spineAsid }, display: 'Visitors and Migrants sandbox' } },
    entity: [
      {
        what: { identifier: { system: NHS_NUMBER_SYSTEM, value: l.nhsNumber } },
        type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
        role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
        detail: [{ type: 'Ssp-TraceID', valueString: l.traceId }]
      }
    ]
  };
}

function personName(p: Practitioner): string {
  const n = p.name?.[0];
  if (!n) return 'unknown';
  return n.text ?? [...(n.prefix ?? []), ...(n.given ?? []), n.family ?? ''].filter(Boolean).join(' ');
}

function deviceName(d: Device): string {
  const name = d.deviceName?.[0]?.name ?? 'unknown device';
  const version = d.version?.[0]?.value;
  return version ? `${name} ${version}` : name;
}

function narrative(l: LookUp): string {
  return `<div xmlns="http://www.w3.org/1999/xhtml"><p>${escapeXml(`Look-up of NHS Number ${l.nhsNumber} by ${personName(l.claims.requesting_practitioner)}, ${String(l.claims.requesting_organization.name ?? '')}, for ${l.claims.reason_for_request}: ${l.outcomeCode}`)}</p></div>`;
}
