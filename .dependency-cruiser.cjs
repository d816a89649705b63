/**
 * The toolchain's layers, enforced by dependency-cruiser (`npm run check:layers`, part of
 * `npm run check`). docs/architecture.md explains them; `npm run graph` redraws its picture.
 *
 * From the bottom up, each layer may import only the layers below it and itself:
 *   util      general utilities (atomic writes, memo, archives, threads, errors, runtime files)
 *   model     the data every layer shares (diagnostics, compiled resources, validation reports)
 *   fhir      FHIR knowledge: JSON/XML, packages and their cache, registries, R4 tables
 *   project   reading the author's project (config, ig.ini, pages, paths)
 *   lib       engines the stages and apps share (validator, snapshot, diff, OpenAPI, Spine model)
 *   pipeline  the pipeline's model (context, stage cache and keys); its sequencer sits above the stages
 *   stages    one folder per stage; a stage never imports another
 *   apps      dev server, sandbox, the in-page check's browser code
 *   commands  the CLI's command handlers
 *   cli.ts    the one entry
 */
const LAYERS = ['util', 'model', 'fhir', 'project', 'lib'];
const below = index =>
  LAYERS.slice(0, index + 1)
    .map(l => `${l}/`)
    .join('|');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'An import cycle (type-only imports count): split the shared part into a lower layer.',
      from: { path: '^scripts/' },
      to: { circular: true }
    },
    ...LAYERS.map((layer, index) => ({
      name: `${layer}-imports-only-lower-layers`,
      severity: 'error',
      comment: `scripts/${layer}/ may import only ${below(index)} (the layers below it and itself).`,
      from: { path: `^scripts/${layer}/` },
      to: { path: '^scripts/', pathNot: `^scripts/(${below(index)})` }
    })),
    {
      name: 'pipeline-model-below-stages',
      severity: 'error',
      comment: "The pipeline's model (context, stage cache, keys) is what stages import: it may not import the stages, apps or the sequencer.",
      from: { path: '^scripts/pipeline/', pathNot: '^scripts/pipeline/sequencer\\.ts$' },
      to: { path: '^scripts/(stages/|apps/|commands/|cli\\.ts$|pipeline/sequencer\\.ts$)' }
    },
    {
      name: 'stages-never-import-each-other',
      severity: 'error',
      comment: "A stage reads what another produced from the pipeline's context, never from its modules.",
      from: { path: '^scripts/stages/([^/]+)/' },
      to: { path: '^scripts/stages/', pathNot: '^scripts/stages/$1/' }
    },
    {
      name: 'stages-below-the-sequencer',
      severity: 'error',
      comment: 'Stages are run by the sequencer; they never import it, the apps, the commands or the CLI.',
      from: { path: '^scripts/stages/' },
      to: { path: '^scripts/(apps/|commands/|cli\\.ts$|pipeline/sequencer\\.ts$)' }
    },
    {
      name: 'sequencer-below-apps',
      severity: 'error',
      from: { path: '^scripts/pipeline/sequencer\\.ts$' },
      to: { path: '^scripts/(apps/|commands/|cli\\.ts$)' }
    },
    {
      name: 'apps-below-commands',
      severity: 'error',
      comment: 'The apps (dev server, sandbox, browser code) are started by commands, never the other way round.',
      from: { path: '^scripts/apps/' },
      to: { path: '^scripts/(commands/|cli\\.ts$)' }
    },
    {
      name: 'apps-never-import-each-other',
      severity: 'error',
      from: { path: '^scripts/apps/([^/]+)/' },
      to: { path: '^scripts/apps/', pathNot: '^scripts/apps/$1/' }
    },
    {
      name: 'commands-below-cli',
      severity: 'error',
      from: { path: '^scripts/commands/' },
      to: { path: '^scripts/cli\\.ts$' }
    },
    {
      name: 'nothing-loose-in-scripts',
      severity: 'error',
      comment: 'Every module lives in a layer folder; cli.ts is the only file at the top of scripts/.',
      from: { path: '^scripts/[^/]+\\.ts$', pathNot: '^scripts/cli\\.ts$' },
      to: {}
    },
    {
      name: 'nothing-imports-a-loose-module',
      severity: 'error',
      comment: 'Every module lives in a layer folder; cli.ts is the only file at the top of scripts/.',
      from: { path: '^scripts/' },
      to: { path: '^scripts/[^/]+\\.ts$', pathNot: '^scripts/cli\\.ts$' }
    },
    {
      name: 'no-unresolvable-imports',
      severity: 'error',
      from: { path: '^scripts/' },
      to: { couldNotResolve: true }
    },
    {
      name: 'only-declared-packages',
      severity: 'error',
      comment: 'The toolchain may import only packages package.json declares (dependencies, or devDependencies for development-only modules).',
      from: { path: '^scripts/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] }
    }
  ],
  options: {
    includeOnly: '^scripts/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: {
      dot: { collapsePattern: '^scripts/(util|model|fhir|project|commands|lib/[^/]+|stages/[^/]+|apps/[^/]+)/' },
      archi: { collapsePattern: '^scripts/(util|model|fhir|project|commands|lib/[^/]+|stages/[^/]+|apps/[^/]+)/' }
    }
  }
};
