/**
 * The Handlebars adapter: the only module that touches Handlebars. Only the theme's own files
 * (site/layouts/*.hbs, site/partials/*.hbs) are compiled, once per theme folder; user text reaches
 * templates as data and is escaped by `{{ }}`, or as `SafeHtml` already built by the renderer.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { SafeHtml } from './html.ts';
import { errorMessage } from '../../util/errors.ts';

/** A problem in a theme's own files (a user error, reported with its location, never a crash). */
export class ThemeError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    readonly column?: number
  ) {
    super(message);
  }
}

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
  for (const [name, text] of readTemplates(join(themeDir, 'partials')))
    hb.registerPartial(name, checked(hb, text, join(themeDir, 'partials', `${name}.hbs`), { strict: false }));
  const layouts = new Map<string, Handlebars.TemplateDelegate>();
  for (const [name, text] of readTemplates(join(themeDir, 'layouts'))) layouts.set(name, checked(hb, text, join(themeDir, 'layouts', `${name}.hbs`)));
  if (!layouts.has('page'))
    throw new ThemeError(
      `the theme has no layout 'page': add layouts/page.hbs, or remove the folder to use the built-in default theme`,
      join(themeDir, 'layouts', 'page.hbs')
    );
  return {
    render(layout, data) {
      // A theme need not have every layout: the ones it lacks fall back to its page layout.
      const template = layouts.get(layout) ?? layouts.get('page')!;
      try {
        return template(data, { allowProtoPropertiesByDefault: false });
      } catch (e) {
        throw new ThemeError(`layout '${layout}' failed: ${errorMessage(e).split('\n')[0]}`, join(themeDir, 'layouts', `${layout}.hbs`));
      }
    }
  };
}

/** Parse a template now (Handlebars parses lazily), so a syntax error names its file and line. */
function checked(hb: typeof Handlebars, text: string, file: string, options?: CompileOptions): Handlebars.TemplateDelegate {
  try {
    hb.parse(text);
  } catch (e) {
    const message = errorMessage(e);
    const line = /line (\d+)/.exec(message)?.[1];
    throw new ThemeError(`template syntax: ${message.split('\n')[0]}`, file, line ? Number(line) : undefined);
  }
  return hb.compile(text, options);
}

type CompileOptions = Parameters<typeof Handlebars.compile>[1];

function readTemplates(dir: string): [string, string][] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter(f => f.endsWith('.hbs'))
    .sort()
    .map(f => [basename(f, '.hbs'), readFileSync(join(dir, f), 'utf8')]);
}
