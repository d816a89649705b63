/** What the search index holds for a page: its text, without the resource's JSON and XML views. */
import { describe, expect, it } from 'vitest';
import { html } from '../../scripts/stages/render/html.ts';
import { codeView } from '../../scripts/stages/render/page.ts';
import { searchDocs } from '../../scripts/stages/render/search-docs.ts';

describe('search documents', () => {
  it('index the page text and leave out the code views', () => {
    const json = JSON.stringify({ resourceType: 'Observation', id: 'jsononlytoken' }, null, 2);
    const xml = '<Observation xmlns="http://hl7.org/fhir"><id value="xmlonlytoken"/></Observation>';
    const body = html`<p>Visible prose about chargeable status.</p>${codeView('json-code', json, 'json', 'x.json')}${codeView('xml-code', xml, 'xml', 'x.xml')}<p>After the views.</p>`;
    const [doc] = searchDocs([{ path: 'Observation-x.html', title: 'An example', body }]);
    expect(doc!.text).toContain('Visible prose about chargeable status.');
    expect(doc!.text).toContain('After the views.');
    expect(doc!.text).toContain('Download JSON');
    expect(doc!.text).not.toContain('jsononlytoken');
    expect(doc!.text).not.toContain('xmlonlytoken');
    expect(doc!.snippet).not.toContain('jsononlytoken');
  });
});
