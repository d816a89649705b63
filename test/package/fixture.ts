/** A small hand-made compiled guide (no SUSHI run) for the package tests. */
import { parseProjectConfig, type ProjectConfig } from '../../scripts/project/config.ts';
import type { CompiledResource } from '../../scripts/model/resources.ts';
import type { ValidationReport } from '../../scripts/model/validation.ts';
import type { PackageInput } from '../../scripts/stages/package/contents.ts';
import { dedent } from '../helpers/project.ts';

export const CONFIG_YAML = dedent(`
  id: example.guide
  canonical: http://example.org/guide
  name: ExampleGuide
  title: Example guide
  description: A guide for tests.
  status: draft
  version: 1.2.3
  fhirVersion: 4.0.1
  date: 2026-03-04
  license: CC0-1.0
  jurisdiction: urn:iso:std:iso:3166#GB "United Kingdom of Great Britain and Northern Ireland"
  publisher:
    name: Test Publisher
    email: test@example.org
  dependencies:
    hl7.fhir.uv.extensions.r4: 5.2.0
`);

export function fixtureConfig(yaml = CONFIG_YAML): ProjectConfig {
  const { config, diagnostics } = parseProjectConfig(yaml, 'sushi-config.yaml');
  if (!config) throw new Error(diagnostics.map(d => d.message).join('; '));
  return config;
}

const canonical = 'http://example.org/guide';

export const RESOURCES: CompiledResource[] = [
  {
    fileName: 'StructureDefinition-status-observation.json',
    resource: {
      resourceType: 'StructureDefinition',
      id: 'status-observation',
      url: `${canonical}/StructureDefinition/status-observation`,
      version: '1.2.3',
      kind: 'resource',
      type: 'Observation'
    }
  },
  {
    fileName: 'CodeSystem-status.json',
    resource: { resourceType: 'CodeSystem', id: 'status', url: `${canonical}/CodeSystem/status`, version: '1.2.3', content: 'complete' }
  },
  {
    fileName: 'CapabilityStatement-server.json',
    resource: { resourceType: 'CapabilityStatement', id: 'server', url: `${canonical}/CapabilityStatement/server`, kind: 'requirements' },
    usage: 'definition'
  },
  {
    fileName: 'Observation-status-example.json',
    resource: { resourceType: 'Observation', id: 'status-example', status: 'final' },
    usage: 'example',
    instanceOf: `${canonical}/StructureDefinition/status-observation`
  },
  {
    fileName: 'Patient-patient-example.json',
    resource: { resourceType: 'Patient', id: 'patient-example' },
    usage: 'example'
  }
];

export const IG: CompiledResource = {
  fileName: 'ImplementationGuide-example.guide.json',
  resource: {
    resourceType: 'ImplementationGuide',
    id: 'example.guide',
    url: `${canonical}/ImplementationGuide/example.guide`,
    version: '1.2.3',
    jurisdiction: [{ coding: [{ system: 'urn:iso:std:iso:3166', code: 'GB' }] }]
  }
};

export const VALIDATION: ValidationReport = {
  files: [
    { file: 'fsh-generated/resources/Patient-patient-example.json', diagnostics: [] },
    {
      file: 'fsh-generated/resources/Observation-status-example.json',
      diagnostics: [
        { severity: 'error', rule: 'cardinality-min', message: 'Observation.code: minimum 1', location: { expression: 'Observation.code', line: 3, column: 5 } }
      ]
    }
  ]
};

export function fixtureInput(overrides: Partial<PackageInput> = {}): PackageInput {
  return { config: fixtureConfig(), resources: RESOURCES, implementationGuide: IG, validation: VALIDATION, ...overrides };
}
