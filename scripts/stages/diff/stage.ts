/**
 * The diff stage of `vm-ig build`: when the configuration names a previous release (the IG
 * parameter `vm-previous-release` in sushi-config.yaml: a package .tgz, relative to the project,
 * or `id#version`), the compiled guide is compared with it and the report kept in the context for
 * the site's "Changes since" page. Without one it does nothing. A previous release that cannot be
 * read is an error at sushi-config.yaml (the rest of the build goes on, without the page).
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { StageRun } from '../../pipeline/context.ts';
import type { ProjectConfig } from '../../project/config.ts';
import { networkOptions } from '../../fhir/network.ts';
import { isJsonObject } from '../../fhir/json.ts';
import { compareReleases } from '../../lib/diff/compare.ts';
import { PREVIOUS_RELEASE_PARAMETER, releaseName, type DiffReport } from '../../lib/diff/model.ts';
import { loadRelease, releaseOfCompiled, ReleaseUnavailable, type Release } from '../../lib/diff/load.ts';

/** The previous release the configuration names, if it names one. */
export function previousReleaseOf(config: ProjectConfig): string | undefined {
  const parameters = config.raw.parameters;
  if (!isJsonObject(parameters)) return undefined;
  const value = parameters[PREVIOUS_RELEASE_PARAMETER];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() ? first.trim() : undefined;
}

/** Releases read in this process, by what was read (a dev session reads its previous release once). */
const loaded = new Map<string, Release>();

async function cachedRelease(spec: string, root: string, offline: boolean): Promise<Release> {
  const path = resolve(root, spec);
  let key = `${root}\n${spec}`;
  try {
    const s = statSync(path);
    key = `${path}\n${s.size}\n${s.mtimeMs}`;
  } catch {
    // An id#version: its cached package does not change.
  }
  const hit = loaded.get(key);
  if (hit) return hit;
  const release = await loadRelease(spec, root, { offline });
  loaded.set(key, release);
  return release;
}

export const diffStage: StageRun = async ctx => {
  ctx.changes = undefined;
  const spec = previousReleaseOf(ctx.config);
  if (!spec) return { diagnostics: [], summary: `no previous release named (parameters: ${PREVIOUS_RELEASE_PARAMETER})` };
  if (!ctx.compiled) return { diagnostics: [], summary: 'nothing compiled, nothing compared' };
  let previous: Release;
  try {
    previous = await cachedRelease(spec, ctx.paths.root, networkOptions().offline);
  } catch (e) {
    if (!(e instanceof ReleaseUnavailable)) throw e;
    return {
      diagnostics: [
        { severity: 'error', rule: 'diff-previous-release', message: `${PREVIOUS_RELEASE_PARAMETER}: ${e.message}`, location: { file: 'sushi-config.yaml' } }
      ],
      summary: 'the previous release could not be read'
    };
  }
  const current = releaseOfCompiled({ source: '.', packageId: ctx.config.packageId, version: ctx.config.version }, ctx.compiled.resources);
  const report: DiffReport = compareReleases(previous, current);
  ctx.changes = report;
  const c = report.counts;
  return { diagnostics: [], summary: `${c.breaking} breaking, ${c.compatible} compatible changes since ${releaseName(report.previous)} (changes.html)` };
};
