/**
 * The Handlebars adapter: the only module that touches Handlebars. Only the theme's own files
 * (site/layouts/*.hbs, site/partials/*.hbs) are compiled, once per theme folder; user text reaches
 * templates as data and is escaped by `{{ }}`, or as `SafeHtml` already built by the renderer.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { SafeHtml } from './html.ts';

export interface Theme {
  /** Render `layout` (a file name in layouts/ without `.hbs`) with `data`. */
  render(layout: string, data: Record<string, unknown>): string;
}

const themes = new Map<string, Theme>();

export function loadTheme(themeDir: string, options: { reload?: boolean } = {}): Theme {
  const cached = themes.get(themeDir);
  if (cached && !options.reload) return cached;
  const theme = compileTheme(themeDir);
  themes.set(themeDir, theme);
  return theme;
}

function compileTheme(themeDir: string): Theme {
  const hb = Handlebars.create();
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('or', (a: unknown, b: unknown) => Boolean(a) || Boolean(b));
  hb.registerHelper('html', (value: unknown) => new hb.SafeString(value instanceof SafeHtml ? value.value : ''));
  for (const [name, text] of readTemplates(join(themeDir, 'partials'))) hb.registerPartial(name, hb.compile(text, { strict: false }));
  const layouts = new Map<string, Handlebars.TemplateDelegate>();
  for (const [name, text] of readTemplates(join(themeDir, 'layouts'))) layouts.set(name, hb.compile(text));
  return {
    render(layout, data) {
      const template = layouts.get(layout);
      if (!template) throw new Error(`theme ${themeDir} has no layout '${layout}'`);
      return template(data, { allowProtoPropertiesByDefault: false });
    }
  };
}

function readTemplates(dir: string): [string, string][] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter(f => f.endsWith('.hbs'))
    .sort()
    .map(f => [basename(f, '.hbs'), readFileSync(join(dir, f), 'utf8')]);
}
