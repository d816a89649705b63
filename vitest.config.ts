import { defineConfig } from 'vitest/config';

/**
 * Test files that compile a project with SUSHI, run the whole pipeline, start servers or write
 * the 4,480-file core package: seconds each. They form the `integration` project.
 */
const INTEGRATION = [
  'test/pipeline.test.ts',
  'test/stage-cache.test.ts',
  'test/compile/compile.test.ts',
  'test/compile/cache.test.ts',
  'test/compile/incremental.property.test.ts',
  'test/compile/sushi-speedups.test.ts',
  'test/dev/e2e.test.ts',
  'test/dev/session.test.ts',
  'test/fhir/core-package.test.ts',
  'test/fhir/resolution.test.ts',
  'test/guides/conventions.test.ts',
  'test/guides/rebuild.test.ts',
  'test/cli/author-experience.test.ts',
  'test/guides/standard.test.ts',
  'test/package/round-trip.test.ts',
  'test/project/config.test.ts',
  'test/render/checks.test.ts',
  'test/render/guide.test.ts',
  'test/render/qa-build-messages.test.ts',
  'test/render/rerender.test.ts',
  'test/render/safety.test.ts',
  'test/render/site.test.ts',
  'test/render/sql-cli.test.ts',
  'test/validate/command.test.ts',
  'test/validate/guide.test.ts',
  'test/validate/profiles.test.ts',
  'test/validate/invariants.test.ts',
  'test/render/check/hosts.test.ts',
  'test/render/check/page.test.ts',
  'test/security/site-sources.test.ts',
  'test/security/packages-fuzz.test.ts',
  'test/security/validator-input.test.ts',
  'test/snapshot/predefined.test.ts',
  // Seconds each (they compile guides, load the core package or start servers): out of the
  // unit project, which stays under a minute (npm run test:unit).
  'test/diff/guide.test.ts',
  'test/security/sandbox-round-two.test.ts',
  'test/validate/robustness.test.ts',
  'test/compile/package-db.test.ts',
  // Runs the CLI on this guide against a previous release.
  'test/diff/guide.test.ts',
  // CLI builds of hostile guides, and package commands killed midway.
  'test/security/hostile-guide.test.ts',
  'test/security/packages-staging.test.ts',
  // The sandbox and OpenAPI tests compile the real guide and start HTTP servers.
  'test/sandbox/**/*.test.ts',
  'test/openapi/**/*.test.ts'
];

// Projects: `unit` (fast, in-memory: npm run test:unit, under a minute), `integration`
// (npm run test:integration), `corpus` and `registry` (the slow ones: published guides and package
// registries); npm test runs all four, .ci/run each as a step of its own. `browser` (npm run
// test:browser: Debian chromium through playwright-core) runs apart.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', 'test/corpus/**', 'test/registry/**', 'node_modules/**', ...INTEGRATION],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000
        }
      },
      {
        test: {
          name: 'integration',
          include: INTEGRATION,
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000
        }
      },
      {
        // Published guides from ../shared/corpus built with the installed CLI (bin/vm-ig.js and dist/).
        test: {
          name: 'corpus',
          include: ['test/corpus/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false
        }
      },
      {
        // FHIR package registries: a real npm registry (Verdaccio) and stand-ins, on 127.0.0.1 only.
        test: {
          name: 'registry',
          include: ['test/registry/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false
        }
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false
        }
      }
    ]
  }
});
