import { describe, expect, it } from 'vitest';
import { generateNarrative } from '../../scripts/stages/narrative/generate.ts';
import { narrativeStage } from '../../scripts/stages/narrative/stage.ts';
import { narrativeProblems } from '../../scripts/lib/validator/narrative.ts';
import type { BuildContext } from '../../scripts/pipeline/context.ts';

const codeSystem = {
  resourceType: 'CodeSystem',
  id: 'cs',
  url: 'http://example.org/cs',
  name: 'Statuses',
  status: 'draft',
  description: 'Codes <script>alert(1)</script> & more',
  concept: [{ code: 'A', display: 'Alpha', concept: [{ code: 'A1', display: 'Alpha one <b>' }] }]
};

describe('generated narratives', () => {
  it('summarises a CodeSystem with every concept, escaped, as allowed XHTML', () => {
    const text = generateNarrative(codeSystem)!;
    expect(text.status).toBe('generated');
    expect(text.div).toMatch(/^<div xmlns="http:\/\/www.w3.org\/1999\/xhtml">/);
    expect(text.div).toContain('<td>A1</td><td>Alpha one &lt;b&gt;</td>');
    expect(text.div).toContain('Codes &lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
    expect(text.div).not.toContain('<script');
    expect(narrativeProblems(text.div)).toEqual([]);
  });

  it('lists ConceptMap mappings and CapabilityStatement resources', () => {
    const map = generateNarrative({
      resourceType: 'ConceptMap',
      id: 'm',
      group: [{ element: [{ code: 'NONE', target: [{ code: '9', equivalence: 'wider' }] }] }]
    })!;
    expect(map.div).toContain('<tr><td>NONE</td><td>wider</td><td>9</td></tr>');
    const cap = generateNarrative({
      resourceType: 'CapabilityStatement',
      id: 'c',
      rest: [{ resource: [{ type: 'Observation', interaction: [{ code: 'search-type' }], searchParam: [{ name: 'code' }] }] }]
    })!;
    expect(cap.div).toContain('<td>Observation</td><td>search-type</td><td>code</td>');
    expect(narrativeProblems(cap.div)).toEqual([]);
  });

  it('leaves resources that have a narrative, and the ImplementationGuide, alone', () => {
    expect(generateNarrative({ ...codeSystem, text: { status: 'additional', div: '<div>x</div>' } })).toBeUndefined();
    expect(generateNarrative({ resourceType: 'ImplementationGuide', id: 'ig' })).toBeUndefined();
    expect(generateNarrative({ resourceType: 'Bundle', id: 'b', type: 'searchset' })).toBeUndefined();
  });

  it('the stage adds text after id and meta, in memory only', async () => {
    const resource = {
      resourceType: 'ValueSet',
      id: 'vs',
      meta: { versionId: '1' },
      url: 'http://example.org/vs',
      compose: { include: [{ system: 'http://example.org/cs' }] }
    };
    const ctx = { compiled: { resources: [{ fileName: 'ValueSet-vs.json', resource }], counts: {} } } as unknown as BuildContext;
    const outcome = await narrativeStage(ctx);
    expect(outcome.summary).toBe('1 narratives generated');
    const out = ctx.compiled!.resources[0]!.resource;
    expect(Object.keys(out)).toEqual(['resourceType', 'id', 'meta', 'text', 'url', 'compose']);
    expect(JSON.stringify(out.text)).toContain('<td>include</td><td>http://example.org/cs</td><td>all codes</td>');
    expect(resource).not.toHaveProperty('text');
  });
});
