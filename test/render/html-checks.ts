/** Checks on built HTML shared by the render tests: live script and page structure. */

const OUR_INLINE_SCRIPT = "document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '');";
/** The 404 page's base (site/partials/head.hbs): the site's root path, then fixed code. */
const BASE_SCRIPT =
  /^\(function \(\) \{ var root = '\/[\w/.%-]*'; if \(location\.protocol === 'file:'\) return; var base = document\.createElement\('base'\); base\.href = location\.pathname\.indexOf\(root\) === 0 \? root : '\/'; document\.head\.appendChild\(base\); \}\)\(\);$/;

/** Markup in `html` that could run script: unexpected <script>, on* handlers, javascript:/data: URLs. */
export function liveScriptProblems(html: string): string[] {
  const problems: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const src = /\ssrc="assets\/js\/[\w.-]+\.js"/.test(m[1]!);
    if (!(src && m[2] === '') && m[2] !== OUR_INLINE_SCRIPT && !BASE_SCRIPT.test(m[2]!)) problems.push(`script: ${m[0].slice(0, 80)}`);
  }
  for (const m of html.matchAll(/<[a-z][^>]*?\son[a-z]+\s*=/gi)) problems.push(`event handler: ${m[0].slice(0, 80)}`);
  for (const m of html.matchAll(/\s(?:href|src|action|formaction)\s*=\s*"\s*(?:javascript|data|vbscript):[^"]*"/gi)) problems.push(`url: ${m[0]}`);
  for (const m of html.matchAll(/<(iframe|object|embed|form)\b[^>]*>/gi))
    if (!/class="(nhsuk-header__search-form|vm-search)"/.test(m[0])) problems.push(`tag: ${m[0]}`);
  return problems;
}

/** One h1, no heading level skipped on the way down, alt text on every image. */
export function structureProblems(html: string): string[] {
  const problems: string[] = [];
  const body = html.replace(/<script\b[\s\S]*?<\/script>/gi, '');
  const levels = [...body.matchAll(/<h([1-6])\b/g)].map(m => Number(m[1]));
  const h1s = levels.filter(l => l === 1).length;
  if (h1s !== 1) problems.push(`${h1s} h1 elements`);
  levels.forEach((level, i) => {
    const previous = i === 0 ? 0 : levels[i - 1]!;
    if (level > previous + 1) problems.push(`h${level} follows h${previous || 'nothing'}`);
  });
  for (const m of body.matchAll(/<img\b[^>]*>/g)) if (!/\salt="[^"]*"/.test(m[0])) problems.push(`img without alt: ${m[0]}`);
  return problems;
}
