/**
 * Theme edits in the dev loop. The renderer compiles the theme's templates and reads its assets
 * once per process (right for a build); the dev loop asks it to recompile the templates before
 * a re-render, and copies edited files of site/assets/ over the rendered site afterwards (the
 * renderer publishes site/assets/x as assets/x).
 */
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadTheme } from '../../stages/render/templates.ts';
import type { ProjectPaths } from '../../project/paths.ts';
import type { Change } from './classify.ts';

export interface ThemeHooks {
  /** Before a render that follows theme changes. */
  beforeRender(paths: ProjectPaths): void;
  /** After that render: bring the edited theme assets into the served site. */
  afterRender(paths: ProjectPaths, changes: readonly Change[]): void;
}

export const themeHooks: ThemeHooks = {
  beforeRender: paths => void loadTheme(paths.theme, { reload: true }),
  afterRender: (paths, changes) => {
    for (const c of changes) {
      if (!c.path.startsWith('site/assets/')) continue;
      const from = join(paths.root, c.path);
      const to = join(paths.site, 'assets', c.path.slice('site/assets/'.length));
      if (!existsSync(from)) {
        rmSync(to, { force: true });
        continue;
      }
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(from, to);
    }
  }
};
