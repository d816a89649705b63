/**
 * Response bodies, all made from the guide's examples: the searchset Bundle (shaped like the
 * example search responses) around a scenario's Observation or the NO_RECORD_FOUND outcome, the
 * Spine OperationOutcome of an error code (the guide's example, with diagnostics saying what was
 * wrong with this request), and plain FHIR OperationOutcomes for what lies outside the API
 * (unknown paths and methods).
 */
import { randomUUID } from 'node:crypto';
import type { FhirResource } from '../../model/resources.ts';
import { isJsonObject } from '../../fhir/json.ts';
import { resourceOf } from '../../fhir/r4.ts';
import { spineCodeOf, type SandboxGuide, type Scenario } from './guide.ts';

export interface Reply {
  status: number;
  body: FhirResource;
  headers?: Record<string, string>;
  /** What the audit log records as the outcome: FOUND, or the Spine code returned. */
  outcomeCode?: string;
}

/** The HTTP 200 searchset for a scenario whose response is an Observation or NO_RECORD_FOUND. */
export function searchset(
  guide: SandboxGuide,
  resource: FhirResource,
  base: string,
  selfUrl: string,
  stamp: { id?: string; lastUpdated?: string } = {}
): FhirResource {
  const isMatch = resource.resourceType === 'Observation';
  const template = isMatch ? guide.bundleTemplates.match : guide.bundleTemplates.noRecord;
  const { resourceType, meta, link: _link, entry: _entry, total: _total, text: _text, id: _id, type: _type, ...rest } = template;
  void [_link, _entry, _total, _text, _id, _type];
  return {
    resourceType,
    id: stamp.id ?? randomUUID(),
    meta: { ...(isJsonObject(meta) ? meta : {}), lastUpdated: stamp.lastUpdated ?? instant(new Date()) },
    ...rest,
    type: 'searchset',
    total: isMatch ? 1 : 0,
    link: [{ relation: 'self', url: selfUrl }],
    entry: [{ fullUrl: `${base}/${resource.resourceType}/${resource.id}`, resource, search: { mode: isMatch ? 'match' : 'outcome' } }]
  };
}

/** The reply of a scenario keyed on its NHS Number or ASID. */
export function scenarioReply(guide: SandboxGuide, s: Scenario, base: string, selfUrl: string): Reply {
  const code = s.resource.resourceType === 'Observation' ? 'FOUND' : codeOf(s.resource);
  if (s.httpStatus === 200) return { status: 200, body: searchset(guide, s.resource, base, selfUrl), outcomeCode: code };
  return { status: s.httpStatus, body: s.resource, outcomeCode: code };
}

/** The guide's example OperationOutcome for `code`, with this request's diagnostics when given. */
export function spineError(guide: SandboxGuide, code: string, diagnostics?: string): Reply {
  const error = guide.errors.get(code);
  if (!error) throw new Error(`sandbox: no Spine error code ${code} in the guide`);
  const example = error.example;
  if (diagnostics === undefined) return { status: error.httpStatus, body: example, outcomeCode: code };
  const issue = { ...resourceOf(example, 'OperationOutcome')?.issue?.[0], diagnostics };
  const text = { status: 'generated', div: narrative(`${code} (${error.severity}, issue type ${error.issueType}): ${diagnostics}`) };
  const { id: _id, ...rest } = example;
  void _id;
  return { status: error.httpStatus, body: { ...rest, text, issue: [issue] }, outcomeCode: code };
}

/** A base FHIR OperationOutcome, for requests outside the API (no Spine code applies). */
export function plainOutcome(status: number, issueCode: string, diagnostics: string, headers?: Record<string, string>): Reply {
  return {
    status,
    headers,
    body: {
      resourceType: 'OperationOutcome',
      text: { status: 'generated', div: narrative(`${issueCode}: ${diagnostics}`) },
      issue: [{ severity: 'error', code: issueCode, diagnostics }]
    }
  };
}

function codeOf(outcome: FhirResource): string {
  return spineCodeOf(outcome) ?? 'UNKNOWN';
}

function narrative(text: string): string {
  return `<div xmlns="http://www.w3.org/1999/xhtml"><p>${escapeXml(text)}</p></div>`;
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An instant with seconds and an explicit zone, as FHIR requires. */
export function instant(d: Date): string {
  return `${d.toISOString().slice(0, 19)}+00:00`;
}
