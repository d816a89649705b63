/**
 * Synthetic guides for the scaling bench: N times the artifacts of the real guide (profiles,
 * code systems, value sets, examples, pages), as FSH and markdown in a temp project that uses
 * the real theme. Generated text is synthetic; example NHS Numbers come from the 999 range with
 * a valid modulus-11 check digit.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './child.ts';
import { tempDir } from './workspace.ts';

export interface GuideShape {
  profiles: number;
  codeSystems: number;
  valueSets: number;
  instances: number;
  pages: number;
}

export function artifactCount(shape: GuideShape): number {
  return shape.profiles + shape.codeSystems + shape.valueSets + shape.instances + shape.pages;
}

/** The real guide's shape, from its compiled resources (fsh-generated of a build) and pages. */
export function shapeOf(resourcesDir: string, pagecontent: string): GuideShape {
  const files = existsSync(resourcesDir) ? readdirSync(resourcesDir) : [];
  const count = (prefix: string) => files.filter(f => f.startsWith(prefix)).length;
  const definitions = ['StructureDefinition-', 'CodeSystem-', 'ValueSet-', 'ImplementationGuide-'];
  const pages = existsSync(pagecontent) ? readdirSync(pagecontent).filter(f => f.endsWith('.md')).length : 1;
  return {
    profiles: Math.max(1, count('StructureDefinition-')),
    codeSystems: Math.max(1, count('CodeSystem-')),
    valueSets: Math.max(1, count('ValueSet-')),
    instances: Math.max(1, files.filter(f => f.endsWith('.json') && !definitions.some(p => f.startsWith(p))).length),
    pages: Math.max(1, pages)
  };
}

export function scaled(shape: GuideShape, factor: number): GuideShape {
  const k = (n: number) => Math.max(1, Math.round(n * factor));
  return {
    profiles: k(shape.profiles),
    codeSystems: k(shape.codeSystems),
    valueSets: k(shape.valueSets),
    instances: k(shape.instances),
    pages: k(shape.pages)
  };
}

/** Write a synthetic project with this shape; returns its root. */
export function writeSyntheticGuide(shape: GuideShape): string {
  const root = tempDir('vm-ig-bench-synth-');
  mkdirSync(join(root, 'fsh'), { recursive: true });
  mkdirSync(join(root, 'input', 'pagecontent'), { recursive: true });
  if (existsSync(join(REPO, 'site'))) cpSync(join(REPO, 'site'), join(root, 'site'), { recursive: true });
  writeFileSync(join(root, 'fsh', 'terminology.fsh'), terminologyFsh(shape));
  writeFileSync(join(root, 'fsh', 'profiles.fsh'), profilesFsh(shape));
  writeFileSync(join(root, 'fsh', 'examples.fsh'), examplesFsh(shape));
  const pages = Array.from({ length: shape.pages }, (_, i) => (i === 0 ? 'index.md' : `topic-${i}.md`));
  pages.forEach((p, i) => writeFileSync(join(root, 'input', 'pagecontent', p), pageMarkdown(i)));
  writeFileSync(join(root, 'sushi-config.yaml'), configYaml(pages));
  return root;
}

function terminologyFsh(shape: GuideShape): string {
  const out: string[] = [];
  for (let i = 0; i < shape.codeSystems; i++) {
    out.push(
      `CodeSystem: SynthCodes${i}`,
      `Id: synth-codes-${i}`,
      `Title: "Synthetic codes ${i}"`,
      `Description: "Synthetic code system number ${i}."`,
      '* ^caseSensitive = true'
    );
    for (let c = 0; c < 6; c++) out.push(`* #code-${c} "Code ${c} of system ${i}" "Definition of code ${c}."`);
    out.push('');
  }
  for (let i = 0; i < shape.valueSets; i++) {
    out.push(`ValueSet: SynthValues${i}`, `Id: synth-values-${i}`, `Title: "Synthetic values ${i}"`, `Description: "Synthetic value set number ${i}."`);
    out.push(`* include codes from system SynthCodes${i % shape.codeSystems}`, '');
  }
  return out.join('\n');
}

function profilesFsh(shape: GuideShape): string {
  const out: string[] = [];
  for (let i = 0; i < shape.profiles; i++) {
    out.push(
      `Profile: SynthObservation${i}`,
      'Parent: Observation',
      `Id: synth-observation-${i}`,
      `Title: "Synthetic observation ${i}"`,
      `Description: "Synthetic observation profile number ${i}."`
    );
    out.push(
      '* status = #final',
      '* code 1..1 MS',
      '* subject 1..1 MS',
      '* identifier 0..0',
      '* effective[x] only dateTime',
      '* value[x] only CodeableConcept'
    );
    out.push(`* valueCodeableConcept from SynthValues${i % shape.valueSets} (required)`, '* note 0..1', '');
  }
  return out.join('\n');
}

function examplesFsh(shape: GuideShape): string {
  const out: string[] = [];
  for (let i = 0; i < shape.instances; i++) {
    const p = i % shape.profiles;
    const system = (p % shape.valueSets) % shape.codeSystems;
    out.push(`Instance: synth-example-${i}`, `InstanceOf: SynthObservation${p}`, 'Usage: #example', `Title: "Synthetic example ${i}"`);
    // Not a vital-sign code: those Observations are checked against R4's vital-signs profiles
    // (a coded value and no category would be errors there, as in the Java validator).
    out.push(
      '* code = http://loinc.org#72166-2 "Tobacco smoking status"',
      `* subject.identifier.system = "https://fhir.nhs.uk/Id/nhs-number"`,
      `* subject.identifier.value = "${nhsNumber(i)}"`
    );
    out.push('* effectiveDateTime = "2026-01-15T10:00:00Z"', `* valueCodeableConcept = SynthCodes${system}#code-${i % 6}`, '');
  }
  return out.join('\n');
}

/** A 999-range NHS Number with a valid check digit (skipping stems whose check would be 10). */
export function nhsNumber(seed: number): string {
  for (let n = seed; ; n++) {
    const stem = `999${String(n % 1_000_000).padStart(6, '0')}`;
    const sum = [...stem].reduce((s, d, k) => s + Number(d) * (10 - k), 0);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    return `${stem}${check === 11 ? 0 : check}`;
  }
}

function pageMarkdown(i: number): string {
  const para = `Page ${i} explains part of a synthetic guide. It links to [the home page](index.html) and has a list and a table.`;
  return [
    `### Topic ${i}`,
    '',
    para,
    '',
    '- first point',
    '- second point',
    '',
    '| Code | Meaning |',
    '| --- | --- |',
    '| a | first |',
    '| b | second |',
    '',
    para,
    ''
  ].join('\n');
}

function configYaml(pages: string[]): string {
  const pageLines = pages.flatMap((p, i) => [`  ${p}:`, `    title: ${i === 0 ? 'Home' : `Topic ${i}`}`]);
  return [
    'id: synth.guide',
    'canonical: http://example.org/synth',
    'name: SynthGuide',
    'title: Synthetic scaling guide',
    'description: A generated guide for the scaling benchmark.',
    'status: draft',
    'version: 0.1.0',
    'fhirVersion: 4.0.1',
    'releaseLabel: ci-build',
    'copyrightYear: 2026+',
    'date: 2026-01-01',
    'publisher:',
    '  name: Bench',
    'pages:',
    ...pageLines,
    'menu:',
    '  Home: index.html',
    '  Artifacts: artifacts.html',
    ''
  ].join('\n');
}
