/** Render-test helpers: compile a fixture project once and build the context the site stage reads. */
import { join } from 'node:path';
import { compileFsh } from '../../scripts/stages/compile/compile.ts';
import type { BuildContext } from '../../scripts/pipeline/context.ts';
import { newContext } from '../../scripts/pipeline/sequencer.ts';
import { readProjectConfig } from '../../scripts/project/config.ts';
import { projectPaths } from '../../scripts/project/paths.ts';
import { makeProject, SHARED_PACKAGE_CACHE, tempDir } from '../helpers/project.ts';

export const MINI_FIXTURE = join(import.meta.dirname, 'fixtures', 'mini');

/** Copy the mini fixture (plus overrides), compile it, and return a context ready for rendering. */
export async function compiledContext(files: Record<string, string> = {}, fixture = MINI_FIXTURE): Promise<BuildContext> {
  const root = makeProject(files, fixture);
  const paths = projectPaths(root, { packageCache: SHARED_PACKAGE_CACHE });
  const { config, diagnostics } = readProjectConfig(paths.config);
  if (!config) throw new Error(`fixture config: ${diagnostics.map(d => d.message).join('; ')}`);
  const compiled = await compileFsh(paths, config, { stagingDir: tempDir('vm-ig-ig-') });
  const errors = compiled.diagnostics.filter(d => d.severity === 'error');
  if (errors.length) throw new Error(`fixture does not compile: ${errors.map(d => d.message).join('; ')}`);
  return { ...newContext(paths, config), compiled: compiled.result };
}
