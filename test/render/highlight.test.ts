/**
 * The JSON and XML fast paths of the highlighter give exactly what highlight.js gives, on every
 * JSON fixture of the repository (as written and as the renderer pretty-prints it), on the XML the
 * renderer writes for each of them and on the XML fixtures, and on edge cases; what they do not
 * recognise they leave to highlight.js.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { highlightCode, hljsMarkup, jsonMarkup, xmlMarkup } from '../../scripts/stages/render/highlight.ts';
import { toFhirXml } from '../../scripts/fhir/xml-writer.ts';
import { REPO_ROOT } from '../helpers/project.ts';

function jsonFiles(dir: string, ext = '.json'): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter(f => f.endsWith(ext)).map(f => join(dir, f));
}

const FIXTURES = [join(REPO_ROOT, 'test', 'fixtures'), join(REPO_ROOT, 'input')];

describe('JSON highlighting', () => {
  it('matches highlight.js on every JSON fixture, as written and pretty-printed', () => {
    let fast = 0;
    for (const file of [...jsonFiles(join(REPO_ROOT, 'test', 'fixtures')), ...jsonFiles(join(REPO_ROOT, 'input'))]) {
      const text = readFileSync(file, 'utf8');
      const texts = [text];
      try {
        texts.push(JSON.stringify(JSON.parse(text), null, 2));
      } catch {
        // not JSON: only as written
      }
      for (const t of texts) {
        const mine = jsonMarkup(t);
        if (mine === undefined) continue;
        fast++;
        expect(mine, file).toBe(hljsMarkup(t, 'json'));
      }
    }
    expect(fast).toBeGreaterThan(200);
  });

  it('matches highlight.js on strings, numbers and literals that need care', () => {
    const value = {
      html: `<div class="a">it's & "quoted"</div>`,
      escapes: 'line\nbreak\ttab \\ back \u2028 \u00e9 \ud83d\ude00',
      colon: 'a: b',
      numbers: [0, -1, 1.5, -0.25, 1e21, 1e-7, 123456789012],
      literals: [true, false, null],
      nested: { '': '', 'key with space': [[], {}] }
    };
    for (const text of [JSON.stringify(value, null, 2), JSON.stringify(value), JSON.stringify(value, null, '\t')]) {
      expect(jsonMarkup(text)).toBe(hljsMarkup(text, 'json'));
    }
  });

  it('leaves what is not strict JSON to highlight.js', () => {
    for (const text of ["{ 'a': 1 }", '{ "a": NaN }', '// comment\n{}', '{ "a": 0x1F }', '{ "a": 1 } <b>', 'truely']) {
      expect(jsonMarkup(text), text).toBeUndefined();
      expect(highlightCode(text, 'json')).toBe(hljsMarkup(text, 'json'));
    }
  });
});

describe('XML highlighting', () => {
  it('matches highlight.js on the XML the renderer writes for every JSON fixture, and on the XML fixtures', () => {
    let fast = 0;
    const texts: [string, string][] = [];
    for (const file of FIXTURES.flatMap(d => jsonFiles(d))) {
      try {
        const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
        if (typeof value === 'object' && value !== null && 'resourceType' in value) texts.push([file, toFhirXml(value as never)]);
      } catch {
        // not a resource the renderer would show
      }
    }
    for (const file of FIXTURES.flatMap(d => jsonFiles(d, '.xml'))) texts.push([file, readFileSync(file, 'utf8')]);
    for (const [file, text] of texts) {
      const mine = xmlMarkup(text);
      if (mine === undefined) continue;
      fast++;
      expect(mine, file).toBe(hljsMarkup(text, 'xml'));
    }
    expect(fast).toBeGreaterThan(200);
  });

  it('matches highlight.js on narrative, references and escapes', () => {
    const text = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<Patient xmlns="http://hl7.org/fhir">',
      '  <text>',
      '    <div xmlns="http://www.w3.org/1999/xhtml"><p>Tom &amp; Jerry &lt;b&gt; \'q\' "d" &#169; &#xA9; &AMP; a > b</p><br/></div>',
      '  </text>',
      '  <name>',
      '    <family value="O&apos;Brien &amp; co &quot;x&quot; &lt; a &amp b &#x1F600;"/>',
      '  </name>',
      '  <extension url="http://example.org/a-b.c_d" xmlns:xlink="http://www.w3.org/1999/xlink"/>',
      '</Patient>',
      ''
    ].join('\n');
    expect(xmlMarkup(text)).toBe(hljsMarkup(text, 'xml'));
  });

  it('leaves what the renderer does not write to highlight.js', () => {
    for (const text of [
      '<a><!-- TODO: later --></a>',
      '<a><![CDATA[x < y]]></a>',
      '<!DOCTYPE html><a/>',
      "<a b='1'/>",
      '<a b="1" />',
      '<a>Tom & Jerry</a>',
      '<?xml version="1.0"?><a/>',
      '<?XML VERSION="1.0" ENCODING="UTF-8"?><a/>',
      '<div><script>alert(1)</script></div>',
      '<div><STYLE>p { color: red }</STYLE></div>',
      '<a:b/>'
    ]) {
      expect(xmlMarkup(text), text).toBeUndefined();
      expect(highlightCode(text, 'xml')).toBe(hljsMarkup(text, 'xml'));
    }
  });
});
