/** input/data files as Jekyll's _data gives them to pages (project/data-files.ts). */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataFolders, parseTable, readProjectData } from '../../scripts/project/data-files.ts';

const made: string[] = [];
afterAll(() => made.forEach(d => rmSync(d, { recursive: true, force: true })));

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'vm-ig-data-'));
  made.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

describe('data files', () => {
  it('reads YAML, JSON, CSV and TSV under input/data by base name, sub-folders nested', () => {
    const root = project({
      'input/data/features.yml': 'activeTables: true\nlabels:\n  - one\n  - two\n',
      'input/data/team.json': '{"lead": "A. Author"}',
      'input/data/codes.csv': 'code,display\nY,"Chargeable, yes"\nN,"Says ""no"""\n',
      'input/data/rows.tsv': 'a\tb\n1\t2\n',
      'input/data/sub/more.yaml': 'x: 1\n',
      'input/data/notes.txt': 'not data'
    });
    const { data, files, diagnostics } = readProjectData(root);
    expect(diagnostics).toEqual([]);
    expect(data).toEqual({
      features: { activeTables: true, labels: ['one', 'two'] },
      team: { lead: 'A. Author' },
      codes: [
        { code: 'Y', display: 'Chargeable, yes' },
        { code: 'N', display: 'Says "no"' }
      ],
      rows: [{ a: '1', b: '2' }],
      sub: { more: { x: 1 } }
    });
    expect(files).toEqual(['input/data/codes.csv', 'input/data/features.yml', 'input/data/rows.tsv', 'input/data/sub/more.yaml', 'input/data/team.json']);
  });

  it('warns, with the file and line, about a file that does not parse, and keeps the others', () => {
    const root = project({ 'input/data/bad.yml': 'a: 1\n  b: [2\n', 'input/data/bad.json': '{"a": ', 'input/data/good.yml': 'ok: yes\n' });
    const { data, diagnostics } = readProjectData(root);
    expect(data).toEqual({ good: { ok: 'yes' } });
    expect(diagnostics.map(d => [d.severity, d.rule, d.location?.file])).toEqual([
      ['warning', 'data-file', 'input/data/bad.json'],
      ['warning', 'data-file', 'input/data/bad.yml']
    ]);
    expect(diagnostics[1]!.location?.line).toBeGreaterThan(0);
  });

  it('refuses names that would reach an object prototype, a second file for one name, and folders outside the project', () => {
    const root = project({ 'input/data/__proto__.json': '{"polluted": true}', 'input/data/x.yml': 'a: 1\n', 'input/data/x.json': '{"b": 2}' });
    const { data, diagnostics } = readProjectData(root, ['input/data', '../elsewhere', '/etc']);
    expect(Object.keys(data)).toEqual(['x']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(diagnostics.map(d => d.message)).toEqual([
      expect.stringContaining("'__proto__' cannot name a site.data entry"),
      expect.stringContaining('site.data.x is already given by another data file'),
      expect.stringContaining("'../elsewhere' is outside the project"),
      expect.stringContaining("'/etc' is outside the project")
    ]);
  });

  it('does not follow a link out of the project, and caps YAML aliases', () => {
    const outside = project({ 'secret.yml': 'password: hunter2\n' });
    const root = project({ 'input/data/ok.yml': 'a: 1\n' });
    symlinkSync(join(outside, 'secret.yml'), join(root, 'input/data/secret.yml'));
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 12 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`
      )
    ].join('\n');
    writeFileSync(join(root, 'input/data/bomb.yml'), bomb);
    const { data, diagnostics } = readProjectData(root);
    expect(Object.keys(data)).toEqual(['ok']);
    expect(diagnostics.map(d => d.location?.file).sort()).toEqual(['input/data/bomb.yml', 'input/data/secret.yml']);
  });

  it('reads the folders path-data names, from the configuration or the ImplementationGuide', () => {
    expect(dataFolders({ 'path-data': 'input/more-data/' })).toEqual(['input/data', 'input/more-data']);
    expect(
      dataFolders({ 'path-data': ['a', 'b\\c'] }, [
        { code: 'path-data', value: 'd' },
        { code: 'other', value: 'e' }
      ])
    ).toEqual(['input/data', 'a', 'b/c', 'd']);
    expect(dataFolders(undefined)).toEqual(['input/data']);
  });

  it('parses CSV line breaks inside quotes and CRLF rows', () => {
    expect(parseTable('a,b\r\n"x\ny",2\r\n', ',')).toEqual({ value: [{ a: 'x\ny', b: '2' }] });
    expect(parseTable('a,b\n"open,1\n', ',')).toEqual({ problem: 'a quoted field is not closed', at: { line: 2 } });
  });
});
