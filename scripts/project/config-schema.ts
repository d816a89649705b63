/**
 * JSON Schema for the top level of sushi-config.yaml: the keys SUSHI 3.x accepts
 * (fsh-sushi's YAMLConfiguration type), with types for the ones the toolchain relies on.
 */
const SUSHI_TOP_LEVEL_KEYS = [
  'canonical',
  'id',
  'meta',
  'implicitRules',
  'language',
  'text',
  'contained',
  'extension',
  'modifierExtension',
  'url',
  'version',
  'name',
  'title',
  'status',
  'experimental',
  'date',
  'publisher',
  'contact',
  'description',
  'useContext',
  'jurisdiction',
  'copyright',
  'copyrightLabel',
  'versionAlgorithmString',
  'versionAlgorithmCoding',
  'packageId',
  'license',
  'fhirVersion',
  'dependencies',
  'global',
  'definition',
  'groups',
  'resources',
  'pages',
  'parameters',
  'templates',
  'template',
  'copyrightYear',
  'copyrightyear',
  'releaseLabel',
  'releaselabel',
  'menu',
  'history',
  'indexPageContent',
  'FSHOnly',
  'applyExtensionMetadataToRoot',
  'instanceOptions'
] as const;

const otherKeys = Object.fromEntries(
  SUSHI_TOP_LEVEL_KEYS.filter(k => !['id', 'canonical', 'fhirVersion', 'version', 'status', 'date', 'pages', 'menu', 'dependencies'].includes(k)).map(k => [
    k,
    {}
  ])
);

export const sushiConfigSchema = {
  type: 'object',
  // SUSHI's minimal configuration; `id`, `name` and `status` are also required unless FSHOnly (config.ts).
  required: ['canonical', 'fhirVersion'],
  additionalProperties: false,
  properties: {
    ...otherKeys,
    id: { type: 'string', pattern: '^[A-Za-z0-9\\-.]{1,64}$' },
    canonical: { type: 'string', pattern: '^https?://\\S+$' },
    fhirVersion: {
      anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }, { type: 'number' }]
    },
    version: { type: ['string', 'number'] },
    status: { enum: ['draft', 'active', 'retired', 'unknown'] },
    date: { type: 'string', pattern: '^\\d{4}(-\\d{2}(-\\d{2}(T.*)?)?)?$' },
    pages: { type: ['object', 'null'] },
    menu: { type: ['object', 'null'] },
    dependencies: { type: ['object', 'null'] }
  }
} as const;
