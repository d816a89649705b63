/** Grouping, FHIRPath -> FSH rule mapping and FSH slip recognition, without a compile. */
import { describe, expect, it } from 'vitest';
import { fhirPathSteps, fshLocationOf } from '../../scripts/stages/compile/fsh-locations.ts';
import type { FshRuleLocation } from '../../scripts/model/resources.ts';
import { nearest, stringsPastTheirLine, unclosedStringBefore } from '../../scripts/stages/compile/fsh-hints.ts';
import { diagnosticLines, plural } from '../../scripts/model/diagnostic-groups.ts';
import type { CompiledResource } from '../../scripts/model/resources.ts';
import type { Diagnostic } from '../../scripts/model/diagnostics.ts';

const info = (file: string, expression: string): Diagnostic => ({
  severity: 'information',
  rule: 'binding-unknown-system',
  message: 'The code system urn:iso:std:iso:3166 cannot be expanded offline',
  location: { file, expression }
});

describe('grouped diagnostics', () => {
  it('prints a repeated message once with its count and first places; information only when verbose', () => {
    const many = Array.from({ length: 31 }, (_, i) => info(`fsh-generated/resources/R-${i}.json`, 'X.jurisdiction[0]'));
    const warning: Diagnostic = { severity: 'warning', rule: 'w', message: 'a warning' };
    expect(diagnosticLines([...many, warning]).lines.map(l => l.text)).toEqual(['warning a warning']);
    expect(diagnosticLines([...many, warning]).hidden).toBe(31);
    const verbose = diagnosticLines([...many, warning], { verbose: true }).lines.map(l => l.text);
    expect(verbose).toHaveLength(2);
    expect(verbose[0]).toBe(
      'fsh-generated/resources/R-0.json: information X.jurisdiction[0]: The code system urn:iso:std:iso:3166 cannot be expanded offline [31 times; also fsh-generated/resources/R-1.json X.jurisdiction[0], fsh-generated/resources/R-2.json X.jurisdiction[0], fsh-generated/resources/R-3.json X.jurisdiction[0], and 27 more]'
    );
    expect([plural(1, 'error'), plural(2, 'error'), plural(0, 'warning')]).toEqual(['1 error', '2 errors', '0 warnings']);
  });
});

describe('FHIRPath to FSH rule', () => {
  const rule = (path: string, line: number, extra: Partial<FshRuleLocation> = {}): FshRuleLocation => ({ path, file: 'fsh/x.fsh', line, column: 1, ...extra });
  const instance: CompiledResource = {
    fileName: 'Observation-x.json',
    resource: { resourceType: 'Observation', component: [{}, {}] },
    source: { file: 'fsh/x.fsh', startLine: 1, endLine: 20 },
    rules: [
      rule('status', 4),
      rule('code', 5),
      rule('component[0].code', 6),
      rule('component[1].code', 7),
      rule('component[1].valueQuantity.value', 8),
      rule('extension[foo].valueString', 9)
    ]
  };

  it('reads the validator FHIRPaths', () => {
    expect(fhirPathSteps('Observation.component[1].code.coding[0]')).toEqual([{ name: 'component', index: 1 }, { name: 'code' }, { name: 'coding' }]);
  });

  it('finds the rule that set the value, an enclosing one, one inside, or the definition', () => {
    expect(fshLocationOf(instance, 'Observation.status')?.line).toBe(4);
    expect(fshLocationOf(instance, 'Observation.code.coding[0].system')?.line).toBe(5);
    expect(fshLocationOf(instance, 'Observation.component[1].code.coding[0]')?.line).toBe(7);
    expect(fshLocationOf(instance, 'Observation.component[1].valueQuantity')?.line).toBe(8);
    expect(fshLocationOf(instance, 'Observation.component[1]')?.line).toBe(7);
    expect(fshLocationOf(instance, 'Observation.extension[2].valueString')?.line).toBe(9);
    expect(fshLocationOf(instance, 'Observation.subject')).toEqual({ file: 'fsh/x.fsh', line: 1 });
  });

  it('maps profiles, value sets and code systems through their elements, components and concepts', () => {
    const profile: CompiledResource = {
      fileName: 'StructureDefinition-p.json',
      resource: { resourceType: 'StructureDefinition', snapshot: { element: [{ id: 'Observation' }, { id: 'Observation.code' }] } },
      source: { file: 'fsh/p.fsh', startLine: 1, endLine: 9 },
      rules: [rule('', 3, { caret: 'status' }), rule('code', 4), rule('code', 5, { caret: 'short' })]
    };
    expect(fshLocationOf(profile, 'StructureDefinition.status')?.line).toBe(3);
    expect(fshLocationOf(profile, 'StructureDefinition.snapshot.element[1].short')?.line).toBe(5);
    expect(fshLocationOf(profile, 'StructureDefinition.snapshot.element[1].binding')?.line).toBe(4);
    const vs: CompiledResource = {
      fileName: 'ValueSet-v.json',
      resource: { resourceType: 'ValueSet' },
      source: { file: 'fsh/v.fsh', startLine: 1, endLine: 9 },
      rules: [rule('', 2, { kind: 'include' }), rule('', 3, { kind: 'exclude' }), rule('', 4, { kind: 'include' })]
    };
    expect(fshLocationOf(vs, 'ValueSet.compose.include[1].system')?.line).toBe(4);
    const cs: CompiledResource = {
      fileName: 'CodeSystem-c.json',
      resource: { resourceType: 'CodeSystem', concept: [{ code: 'a', concept: [{ code: 'b' }] }] },
      source: { file: 'fsh/c.fsh', startLine: 1, endLine: 9 },
      rules: [rule('', 2, { kind: 'concept', codes: ['a'] }), rule('', 3, { kind: 'concept', codes: ['a', 'b'] })]
    };
    expect(fshLocationOf(cs, 'CodeSystem.concept[0].concept[0].display')?.line).toBe(3);
  });
});

describe('FSH slips', () => {
  it('finds the string left open, not the ones it pushed along', () => {
    const lines = ['* a = "x', '* b = #c', '* d = "e"', '* f = "g"'];
    expect(stringsPastTheirLine(lines)[0]).toEqual({ line: 1, column: 7, closedAt: 3 });
    expect(unclosedStringBefore(lines, 3)).toEqual({ line: 1, column: 7, closedAt: 3 });
    expect(unclosedStringBefore(['* a = "fine"', '* b = """', 'multi "quoted"', '"""'], 2)).toBeUndefined();
    expect(nearest('Instanse', ['Instance', 'InstanceOf', 'Invariant'])).toEqual(['Instance']);
  });
});
