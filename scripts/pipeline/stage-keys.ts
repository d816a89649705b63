/**
 * The keys of the stages' cache entries that later stages name too: a compile's inputs (its
 * sources and the FHIR packages on disk) and a validation's. Here rather than in each stage so
 * that a stage keys on another's inputs without importing it (the site names the validation
 * report by the validate stage's key, the package and site name the compile's inputs).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildContext } from './context.ts';
import type { ProjectConfig } from '../project/config.ts';
import type { ProjectPaths } from '../project/paths.ts';
import { networkOptions, registryUrls } from '../fhir/network.ts';
import { compiledDigest, KeyHash, statLine, toolchainFingerprint } from './stage-cache.ts';

/** Packages the compile may load besides the configured ones (see stages/compile/definitions.ts). */
const IMPLICIT_PACKAGES = ['hl7.fhir.r4.core', 'hl7.fhir.uv.tools.r4', 'hl7.terminology.r4', 'hl7.fhir.uv.extensions.r4'];

/** The key of a compile of the project as it is now: its sources (`compileSourcesKey`) and the packages on disk. */
export function compileKey(paths: ProjectPaths, config: ProjectConfig, sources = compileSourcesKey(paths, config)): string {
  return new KeyHash().add('sources', sources).add('packages', packagesFingerprint(paths, config)).digest();
}

/**
 * What a compile reads besides the FHIR packages: the toolchain, the configuration, the FSH and
 * input/ folders, and where missing packages would come from. A compile that writes or downloads
 * packages (the first one writes the core package) changes the packages, not this: it is stored
 * under the key of the packages as they are after it, which is what the next run computes.
 */
export function compileSourcesKey(paths: ProjectPaths, _config?: ProjectConfig): string {
  const hash = new KeyHash().add('toolchain', toolchainFingerprint()).add('config', readFileSync(paths.config));
  hash.addTree(paths.fsh, paths.root).addTree(paths.input, paths.root);
  // Where missing packages would come from: an offline compile, or one against another registry,
  // may load other packages (SUSHI's automatic ones) than this one would.
  const network = networkOptions();
  hash.add('registry', network.offline ? 'offline' : registryUrls().urls.join(' '));
  return hash.digest();
}

/**
 * The FHIR packages a project may load, as they are on disk: each cached copy's manifest and
 * index, by size and time, in both caches (a package added, removed or replaced changes it).
 */
export function packagesFingerprint(paths: ProjectPaths, config: ProjectConfig): string {
  const hash = new KeyHash().add('caches', `${paths.packageCache}\u0000${paths.userPackageCache}`);
  const wanted = new Set([...IMPLICIT_PACKAGES, ...config.dependencies.map(d => d.packageId)]);
  for (const dir of [paths.packageCache, paths.userPackageCache]) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir).sort()) {
      if (!wanted.has(entry.split('#')[0]!)) continue;
      for (const file of ['package.json', '.index.json']) hash.add(`package ${dir}/${entry}/${file}`, statLine(join(dir, entry, 'package', file)));
    }
  }
  return hash.digest();
}

/**
 * The validate stage's key: the toolchain, the FHIR packages and the compiled guide as the
 * stages after the compile see it. Undefined for a run that validates extra files or against a
 * given profile (`vm-ig validate --load / --profile`), which is never cached.
 */
export function validationKey(ctx: BuildContext): string | undefined {
  if (ctx.validationRequest || !ctx.compiled) return undefined;
  return new KeyHash()
    .add('toolchain', toolchainFingerprint())
    .add('packages', packagesFingerprint(ctx.paths, ctx.config))
    .add('compiled', compiledDigest(ctx))
    .digest();
}
