/**
 * Bundle rules the Java validator's BundleValidator applies beyond the basics: search sets
 * (search.mode, the resource, its id and type against the self link), a canonical resource's url
 * as its fullUrl, and a document's stylesheet link.
 */
import { describe, expect, it } from 'vitest';
import { issues, patient, observation } from './helpers.ts';

type Json = Record<string, unknown>;
const entry = (resource: Json, mode?: string, fullUrl = `https://example.org/fhir/${String(resource.resourceType)}/${String(resource.id)}`): Json => ({
  fullUrl,
  resource,
  ...(mode ? { search: { mode } } : {})
});
const searchset = (entries: Json[], self: string | null = 'https://example.org/fhir/Patient?name=smith'): Json => ({
  resourceType: 'Bundle',
  id: 's',
  type: 'searchset',
  ...(self ? { link: [{ relation: 'self', url: self }] } : {}),
  entry: entries
});
const bundleIssues = (bundle: Json) => issues(bundle).filter(i => / bundle-/.test(i));
const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational' }] };

describe('search sets', () => {
  it('accepts matches of the searched type, includes of any type and an outcome', () => {
    const ok = searchset([
      entry(patient(), 'match'),
      entry(observation(), 'include'),
      entry(outcome, 'outcome', 'urn:uuid:7a8b9c0d-1e2f-4a7b-8c9d-0e1f2a3b4c5d')
    ]);
    expect(bundleIssues(ok)).toEqual([]);
  });

  it('with modes: a match of another type, an outcome that is not an OperationOutcome, an entry without a mode', () => {
    expect(bundleIssues(searchset([entry(patient(), 'match'), entry(observation(), 'match')]))).toEqual([
      'error bundle-search-entry-type Bundle.entry[1].resource'
    ]);
    expect(bundleIssues(searchset([entry(patient(), 'match'), entry(patient({ id: 'q' }), 'outcome')]))).toEqual([
      'error bundle-search-outcome Bundle.entry[1].resource'
    ]);
    expect(bundleIssues(searchset([entry(patient(), 'match'), entry(observation())]))).toEqual(['warning bundle-search-mode Bundle.entry[1]']);
  });

  it('reads the searched types from the self link path or its _type parameter', () => {
    const typed = (self: string) => bundleIssues(searchset([entry(observation(), 'match')], self));
    expect(typed('https://example.org/fhir/Observation?code=x')).toEqual([]);
    expect(typed('https://example.org/fhir/?_type=Patient,Observation')).toEqual([]);
    expect(typed('https://example.org/fhir/?_type=Patient')).toEqual(['error bundle-search-entry-type Bundle.entry[0].resource']);
    // A self link naming no type: the types cannot be checked.
    expect(typed('https://example.org/fhir/Patient/p/$everything')).toEqual([]);
  });

  it('a match or an include needs an id: an error with modes, a warning without', () => {
    const noId = { ...patient() } as Json;
    delete noId.id;
    const urn = 'urn:uuid:3c4d5e6f-7a8b-4c3d-9e4f-5a6b7c8d9e0f';
    expect(bundleIssues(searchset([entry(noId, 'match', urn)]))).toEqual(['error bundle-search-entry-id Bundle.entry[0].resource']);
    expect(bundleIssues(searchset([entry(patient(), 'match'), entry({ ...noId, resourceType: 'Patient' }, 'include', urn)]))).toEqual([
      'error bundle-search-entry-id Bundle.entry[1].resource'
    ]);
    expect(bundleIssues(searchset([entry(noId, undefined, urn)]))).toEqual(['warning bundle-search-entry-id Bundle.entry[0].resource']);
  });

  it('without modes: entries of one searched type pass; other types are warned about', () => {
    expect(bundleIssues(searchset([entry(patient()), entry(patient({ id: 'q' }))]))).toEqual([]);
    expect(bundleIssues(searchset([entry(patient()), entry(observation())]))).toEqual([
      'warning bundle-search-entry-type Bundle.entry[1]',
      'warning bundle-search-mode Bundle'
    ]);
    expect(bundleIssues(searchset([entry(patient())], 'https://example.org/fhir/Patient/p/$everything'))).toEqual(['warning bundle-search-mode Bundle']);
  });

  it('an entry must hold a resource; the self link is wanted only when there are entries', () => {
    expect(bundleIssues(searchset([entry(patient(), 'match'), { fullUrl: 'https://example.org/fhir/Patient/q', search: { mode: 'match' } }]))).toEqual([
      'error bundle-search-entry-resource Bundle.entry[1]'
    ]);
    expect(bundleIssues(searchset([entry(patient(), 'match')], null))).toEqual(['warning bundle-search-self Bundle']);
    expect(bundleIssues({ resourceType: 'Bundle', id: 's', type: 'searchset', total: 0 })).toEqual([]);
  });

  it('entry.search outside a search set is bdl-2', () => {
    expect(issues({ resourceType: 'Bundle', id: 'c', type: 'collection', entry: [entry(patient(), 'match')] })).toContain('error bdl-2 Bundle');
  });
});

describe("a canonical resource's url as its fullUrl", () => {
  const valueSet = (url: string, id = 'vs-1') => ({ resourceType: 'ValueSet', id, url, status: 'draft' });
  const collection = (fullUrl: string, resource: Json) => ({ resourceType: 'Bundle', id: 'c', type: 'collection', entry: [{ fullUrl, resource }] });

  it('is allowed when it is the RESTful address ending in the id, or when they differ', () => {
    const restful = 'https://example.org/fhir/ValueSet/vs-1';
    expect(bundleIssues(collection(restful, valueSet(restful)))).toEqual([]);
    expect(bundleIssues(collection(restful, valueSet('https://example.org/fhir/vs/smoking')))).toEqual([]);
  });

  it('is an error otherwise', () => {
    const plain = 'https://example.org/fhir/vs-1';
    expect(bundleIssues(collection(plain, valueSet(plain)))).toEqual(['error bundle-fullurl-canonical Bundle.entry[0].fullUrl']);
  });
});

describe('document stylesheets', () => {
  const document = (link: string, extra: Json[] = []) => ({
    resourceType: 'Bundle',
    id: 'd',
    type: 'document',
    identifier: { system: 'https://example.org/docs', value: 'd1' },
    timestamp: '2026-01-02T10:00:00Z',
    link: [{ relation: 'stylesheet', url: link }],
    entry: [
      {
        fullUrl: 'urn:uuid:0f5b4c1e-2d3a-4b5c-8d9e-0a1b2c3d4e5f',
        resource: {
          resourceType: 'Composition',
          id: 'c',
          status: 'final',
          type: { text: 'summary' },
          date: '2026-01-02',
          title: 'Summary',
          author: [{ reference: 'urn:uuid:1a2b3c4d-5e6f-4a1b-9c2d-3e4f5a6b7c8d' }]
        }
      },
      { fullUrl: 'urn:uuid:1a2b3c4d-5e6f-4a1b-9c2d-3e4f5a6b7c8d', resource: patient() },
      ...extra
    ]
  });
  const css = { fullUrl: 'urn:uuid:8b9c0d1e-2f3a-4b8c-9d0e-1f2a3b4c5d6e', resource: { resourceType: 'Binary', id: 'style-1', contentType: 'text/css' } };

  it('a relative stylesheet is an entry, and that entry is part of the document', () => {
    expect(bundleIssues(document('Binary/style-1', [css]))).toEqual([]);
    expect(bundleIssues(document('Binary/other', [css]))).toEqual([
      'error bundle-link-stylesheet Bundle.link[0].url',
      'error bundle-entry-orphan Bundle.entry[2]'
    ]);
  });

  it("the spec's own stylesheet is fine; any other external one is warned about", () => {
    expect(bundleIssues(document('https://hl7.org/fhir/fhir.css'))).toEqual([]);
    expect(bundleIssues(document('https://example.org/style.css'))).toEqual(['warning bundle-link-stylesheet Bundle.link[0].url']);
    expect(bundleIssues(document('http://example.org/style.css'))).toEqual([
      'warning bundle-link-stylesheet Bundle.link[0].url',
      'warning bundle-link-stylesheet Bundle.link[0].url'
    ]);
  });
});
