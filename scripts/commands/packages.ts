/**
 * `vm-ig packages install [id#version...]` and `vm-ig packages list`.
 *
 * `install` with no argument installs what the guide's build loads: its `dependencies:` and
 * SUSHI's automatic packages (a failure of those is a warning, as in SUSHI); with arguments,
 * those packages (`id#version`, `id#latest`, `id#1.0.x`, `id#current`, or `id` for the latest).
 * It asks the registry about `latest`, wildcards and `current` even when a cached copy fits, so
 * it is also how a cached `latest` is brought up to date. Downloads go into the FHIR package
 * cache shared with SUSHI and the IG Publisher (`~/.fhir/packages`).
 *
 * `list` shows every package in the caches a build reads, where, and its size on disk.
 */
import { existsSync } from 'node:fs';
import { CORE_PACKAGE } from '../fhir/core-package.ts';
import { LayeredPackageCache } from '../fhir/package-cache.ts';
import { PackageResolver, type PackageRequest, type ResolvedPackage } from '../fhir/resolve.ts';
import { downloadReporter, formatBytes } from '../fhir/network.ts';
import { packageNameProblem } from '../fhir/package-id.ts';
import { projectPaths } from '../project/paths.ts';
import { readProjectConfig } from '../project/config.ts';
import { errorMessage } from '../util/errors.ts';
import { formatDiagnostic } from '../model/diagnostics.ts';

export interface InstallCommandOptions {
  root: string;
  specs: string[];
  offline: boolean;
  quiet: boolean;
}

interface Wanted extends PackageRequest {
  automatic: boolean;
}

/** Exit code: 0 all installed (automatic packages may warn), 1 one could not be had, 2 usage. */
export async function packagesInstallCommand(options: InstallCommandOptions): Promise<number> {
  const paths = projectPaths(options.root);
  let wanted: Wanted[];
  if (options.specs.length) {
    wanted = [];
    for (const parsed of options.specs.map(parseSpec)) {
      if (typeof parsed === 'string') {
        console.error(`vm-ig packages install: ${parsed}`);
        return 2;
      }
      wanted.push(parsed);
    }
  } else {
    if (!existsSync(paths.config)) {
      console.error(`vm-ig packages install: no sushi-config.yaml in ${paths.root}; name the packages to install (id#version)`);
      return 2;
    }
    const { config, diagnostics } = readProjectConfig(paths.config);
    if (!config) {
      for (const d of diagnostics) console.error(formatDiagnostic(d));
      return 2;
    }
    const { dependencyPlan } = await import('../stages/compile/definitions.ts');
    const plan = dependencyPlan(config.dependencies);
    // FHIR core is the toolchain's own copy (never downloaded into the shared cache).
    wanted = [...plan.low, ...plan.configured, ...plan.high].filter(p => !(p.packageId === CORE_PACKAGE.name && p.version === CORE_PACKAGE.version));
  }
  const cache = new LayeredPackageCache(paths.packageCache, [paths.userPackageCache]);
  const resolver = new PackageResolver({
    cache,
    downloadDir: paths.userPackageCache,
    offline: options.offline,
    refresh: true,
    onEvent: downloadReporter(options.quiet)
  });
  const outcomes = await Promise.all(
    wanted.map(w =>
      resolver.resolve(w).then(
        resolved => ({ wanted: w, resolved }),
        (e: unknown) => ({ wanted: w, error: errorMessage(e) })
      )
    )
  );
  let failed = 0;
  const installed: ResolvedPackage[] = [];
  for (const o of outcomes) {
    const label = `${o.wanted.packageId}#${o.wanted.version}`;
    if ('error' in o) {
      if (o.wanted.automatic) console.log(`warning ${label} (added automatically, as SUSHI does): ${o.error}`);
      else {
        console.error(`error ${o.error}`);
        failed++;
      }
      continue;
    }
    const r = o.resolved;
    const name = `${r.packageId}#${r.version}`;
    const via = name === label ? '' : ` (for ${label})`;
    if (r.from === 'download') installed.push(r);
    if (!options.quiet || r.from === 'download') console.log(`${r.from === 'download' ? 'installed' : 'cached   '} ${name}${via}: ${r.path}`);
  }
  const bytes = installed.reduce((n, r) => n + (r.bytes ?? 0), 0);
  const cached = outcomes.filter(o => 'resolved' in o && o.resolved.from === 'cache').length;
  console.log(
    `${installed.length} installed (${formatBytes(bytes)} downloaded), ${cached} already cached, ${outcomes.length - installed.length - cached} unavailable; cache: ${paths.userPackageCache}`
  );
  return failed ? 1 : 0;
}

/** `id#version`, `id@version` or `id` (latest). */
function parseSpec(spec: string): Wanted | string {
  const m = /^([^#@]+)(?:[#@](.+))?$/.exec(spec);
  const packageId = m?.[1] ?? '';
  const problem = packageNameProblem(packageId);
  if (!m || problem) return `'${spec}' is not a package: give id#version, as in hl7.fhir.us.core#6.1.0 (the package ${problem ?? 'is malformed'})`;
  return { packageId, version: m[2] ?? 'latest', automatic: false };
}

export function packagesListCommand(root: string): number {
  const paths = projectPaths(root);
  const cache = new LayeredPackageCache(paths.packageCache, [paths.userPackageCache]);
  const all = cache.list();
  for (const [i, dir] of cache.directories.entries()) {
    const role =
      i === 0 ? "vm-ig's own cache (FHIR core as vm-ig writes it, packages add)" : 'the FHIR package cache shared with SUSHI and the IG Publisher (downloads)';
    const here = all.filter(p => p.dir.startsWith(`${dir}/`) || p.dir.startsWith(`${dir}\\`));
    console.log(`${dir}: ${role}${existsSync(dir) ? '' : ' (does not exist yet)'}`);
    for (const p of here)
      console.log(`  ${`${p.name}#${p.version}`.padEnd(44)} ${formatBytes(p.bytes).padStart(9)}${p.problem ? `  not used: ${p.problem}` : ''}`);
    if (!here.length) console.log('  (no packages)');
  }
  const total = all.reduce((n, p) => n + p.bytes, 0);
  console.log(`${all.length} packages, ${formatBytes(total)}`);
  return 0;
}
