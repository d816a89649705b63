/**
 * Which theme renders the site: the project's own `site/` folder when it has one (this guide's
 * NHS theme), otherwise the toolchain's neutral default theme (scripts/render/default-theme/),
 * which is never copied into the user's project.
 */
import { existsSync, statSync } from 'node:fs';
import { TOOLCHAIN_FILES } from '../../util/toolchain-files.ts';

export const DEFAULT_THEME_DIR = TOOLCHAIN_FILES.defaultTheme;

export interface ThemeChoice {
  dir: string;
  /** True for the built-in default theme. */
  builtIn: boolean;
}

export function chooseTheme(projectTheme: string): ThemeChoice {
  const own = existsSync(projectTheme) && statSync(projectTheme).isDirectory();
  return own ? { dir: projectTheme, builtIn: false } : { dir: DEFAULT_THEME_DIR, builtIn: true };
}
