import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProjectConfig } from '../../scripts/project/config.ts';
import { applyHandwrittenIg } from '../../scripts/project/handwritten-ig.ts';
import { parseIgIni, readIgIni } from '../../scripts/project/ig-ini.ts';
import { dedent, makeProject } from '../helpers/project.ts';

describe('ig.ini, read as the IG Publisher reads it', () => {
  it('takes a Windows backslash path, comments and a template given as a URL', () => {
    const ini = parseIgIni(
      '; a comment\n[IG]\n#ig = old.json\nig = fsh-generated\\resources\\ImplementationGuide-x.json\ntemplate = https://github.com/org/template\n',
      '/p'
    );
    expect(ini).toEqual({ ig: 'fsh-generated/resources/ImplementationGuide-x.json', template: 'https://github.com/org/template', diagnostics: [] });
  });

  it('never names a file outside the project', () => {
    for (const bad of ['../../etc/passwd', '/etc/passwd', 'C:\\ig.json', '..\\..\\x.json']) {
      const ini = parseIgIni(`[IG]\nig = ${bad}\n`, '/p');
      expect(ini.ig, bad).toBeUndefined();
      expect(ini.diagnostics, bad).toEqual([expect.objectContaining({ severity: 'warning', rule: 'ig-ini', location: { file: 'ig.ini', line: 2 } })]);
    }
  });

  it('ignores keys of other sections', () => {
    expect(parseIgIni('[FSH]\nig = x.json\n', '/p').ig).toBeUndefined();
  });
});

describe('the hand-written ImplementationGuide of an FSHOnly guide', () => {
  const fshOnly = dedent(`
    FSHOnly: true
    canonical: http://example.org/fsh-only
    fhirVersion: 4.0.1
  `);
  const igXml = dedent(`
    <?xml version="1.0" encoding="UTF-8"?>
    <!-- notes for the author -->
    <ImplementationGuide xmlns="http://hl7.org/fhir">
      <id value="example.fsh.only"/>
      <url value="http://example.org/fsh-only/ImplementationGuide/example.fsh.only"/>
      <version value="1.2.0"/>
      <name value="FshOnly"/>
      <title value="An FSHOnly guide"/>
      <status value="draft"/>
      <packageId value="example.fsh.only.pkg"/>
      <fhirVersion value="4.0.1"/>
      <definition>
        <page>
          <nameUrl value="toc.html"/>
          <title value="Table of Contents"/>
          <generation value="html"/>
          <page>
            <nameUrl value="index.html"/>
            <title value="Home"/>
            <generation value="markdown"/>
            <page>
              <nameUrl value="usage.html"/>
              <title value="How to use it"/>
              <generation value="markdown"/>
            </page>
          </page>
        </page>
      </definition>
    </ImplementationGuide>
  `);

  it('gives the package id, title, version and the page tree (generated pages give their place to their children)', () => {
    const root = makeProject({
      'sushi-config.yaml': fshOnly,
      'ig.ini': '[IG]\nig = input\\guide.xml\ntemplate = hl7.fhir.template#current\n',
      'input/guide.xml': igXml,
      'input/pagecontent/index.md': '# Home\n',
      'input/pagecontent/usage.md': '# Usage\n'
    });
    const { config } = parseProjectConfig(fshOnly, 'sushi-config.yaml');
    expect(applyHandwrittenIg(root, config!)).toEqual([]);
    expect(config).toMatchObject({
      id: 'example.fsh.only',
      packageId: 'example.fsh.only.pkg',
      title: 'An FSHOnly guide',
      version: '1.2.0',
      handwrittenIg: 'input/guide.xml'
    });
    expect(config!.pages).toEqual([{ file: 'index.md', title: 'Home', children: [{ file: 'usage.md', title: 'How to use it', children: [] }] }]);
  });

  it('is a located warning, not a crash, when the file is not an ImplementationGuide or has a DOCTYPE', () => {
    const root = makeProject({
      'sushi-config.yaml': fshOnly,
      'ig.ini': '[IG]\nig = input/guide.xml\n',
      'input/guide.xml': '<Patient xmlns="http://hl7.org/fhir"><id value="p"/></Patient>'
    });
    const { config } = parseProjectConfig(fshOnly, 'sushi-config.yaml');
    expect(applyHandwrittenIg(root, config!)).toEqual([
      expect.objectContaining({ severity: 'warning', rule: 'ig-ini', message: 'input/guide.xml is not an ImplementationGuide resource' })
    ]);
    writeFileSync(join(root, 'input', 'guide.xml'), `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${igXml.replace(/^<\?xml[^>]*>\n/, '')}`);
    expect(applyHandwrittenIg(root, config!)[0]?.message).toMatch(/DOCTYPE is not allowed/);
    expect(config!.id).toBe('');
  });
});

describe('files outside the project', () => {
  const fshOnly = 'FSHOnly: true\ncanonical: http://example.org/fsh-only\nfhirVersion: 4.0.1\n';

  it('an IG file that links out of the project is refused, and nothing of it is shown', async () => {
    const { symlinkSync } = await import('node:fs');
    const outside = makeProject({ 'secret.json': '{"resourceType": "ImplementationGuide", "id": "stolen", "title": "SECRET-TITLE"}' });
    const root = makeProject({ 'sushi-config.yaml': fshOnly, 'ig.ini': '[IG]\nig = input/guide.json\n', 'input/.keep': '' });
    symlinkSync(join(outside, 'secret.json'), join(root, 'input', 'guide.json'));
    const { config } = parseProjectConfig(fshOnly, 'sushi-config.yaml');
    const diagnostics = applyHandwrittenIg(root, config!);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        rule: 'ig-ini',
        message: 'input/guide.json was not read: it is a symbolic link to something outside the project'
      })
    ]);
    expect(config!.id).toBe('');
    expect(JSON.stringify(diagnostics)).not.toContain('SECRET');
  });

  it('an ig.ini that links out of the project, or is not a regular file, is not read', async () => {
    const { mkdirSync, symlinkSync } = await import('node:fs');
    const outside = makeProject({ 'ig.ini': '[IG]\nig = input/x.json\n' });
    const root = makeProject({ 'sushi-config.yaml': fshOnly });
    symlinkSync(join(outside, 'ig.ini'), join(root, 'ig.ini'));
    expect(readIgIni(root)).toEqual({
      diagnostics: [expect.objectContaining({ rule: 'ig-ini', message: 'ig.ini was not read: it is a symbolic link to something outside the project' })]
    });
    const folder = makeProject({});
    mkdirSync(join(folder, 'ig.ini'));
    expect(readIgIni(folder).diagnostics[0]?.message).toMatch(/^ig\.ini was not read: not a regular file/);
  });
});
