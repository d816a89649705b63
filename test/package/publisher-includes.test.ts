import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompiledResource } from '../../scripts/model/resources.ts';
import { publisherIncludes, writePublisherIncludes } from '../../scripts/lib/publisher/includes.ts';
import { tempDir } from '../helpers/project.ts';

const phases: CompiledResource = {
  fileName: 'CodeSystem-vm-maturity-phase.json',
  resource: {
    resourceType: 'CodeSystem',
    id: 'vm-maturity-phase',
    concept: [
      { code: '1', display: 'Data feed', definition: 'A feed | with a pipe\nand a line break.', property: [{ code: 'status', valueCode: 'delivered' }] },
      { code: '3', display: 'The API', definition: 'Spine API.', property: [{ code: 'status', valueCode: 'current-focus' }] }
    ]
  }
};

const errors: CompiledResource = {
  fileName: 'CodeSystem-vm-spine-error-code.json',
  resource: {
    resourceType: 'CodeSystem',
    id: 'vm-spine-error-code',
    concept: [
      {
        code: 'PATIENT_NOT_FOUND',
        definition: 'No patient.',
        property: [
          { code: 'httpStatus', valueInteger: 404 },
          { code: 'issueType', valueCode: 'not-found' },
          { code: 'issueSeverity', valueCode: 'error' }
        ]
      }
    ]
  }
};

describe('publisherIncludes', () => {
  it('renders the maturity phases as a markdown table, escaping pipes and line breaks', () => {
    const md = publisherIncludes([phases])['maturity-model.md']!;
    expect(md.split('\n').slice(1, 5)).toEqual([
      '| Phase | Name | What it delivers | Status |',
      '| --- | --- | --- | --- |',
      '| 1 | Data feed | A feed \\| with a pipe and a line break. | delivered |',
      '| 3 | The API | Spine API. | current focus |'
    ]);
    expect(md).toContain('(CodeSystem-vm-maturity-phase.html)');
  });

  it('renders the error codes with their HTTP status, issue type and severity', () => {
    const md = publisherIncludes([errors])['error-table.md']!;
    expect(md).toContain('| 404 | `PATIENT_NOT_FOUND` | not-found | error | No patient. |');
  });

  it('writes only the tables whose CodeSystem the guide has', () => {
    const dir = tempDir();
    expect(writePublisherIncludes(dir, [errors])).toEqual(['error-table.md']);
    expect(readFileSync(join(dir, 'includes', 'error-table.md'), 'utf8')).toContain('PATIENT_NOT_FOUND');
    expect(existsSync(join(dir, 'includes', 'maturity-model.md'))).toBe(false);
  });
});
