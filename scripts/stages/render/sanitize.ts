/**
 * The sanitize-html adapter for author HTML: raw HTML in pages (as the IG Publisher allows it)
 * and inline SVG images pass an allow-list. Kept: structure, tables, figures, images, anchors,
 * ids and classes. Removed: script, style, iframes, forms, event handlers, and any URL that is
 * not http(s), mailto, a fragment or relative (so no javascript: or data:).
 */
import sanitizeHtml from 'sanitize-html';

const PAGE_TAGS = [
  'a',
  'abbr',
  'b',
  'blockquote',
  'br',
  'caption',
  'cite',
  'code',
  'col',
  'colgroup',
  'dd',
  'del',
  'details',
  'dfn',
  'div',
  'dl',
  'dt',
  'em',
  'figcaption',
  'figure',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'img',
  'ins',
  'kbd',
  'li',
  'mark',
  'ol',
  'p',
  'pre',
  'q',
  's',
  'samp',
  'section',
  'small',
  'span',
  'strong',
  'sub',
  'summary',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'time',
  'tr',
  'u',
  'ul',
  'var',
  'article',
  'aside',
  'nav',
  'header',
  'footer',
  'main'
];

const COMMON_ATTRS = ['id', 'class', 'title', 'lang', 'dir', 'role', 'aria-label', 'aria-describedby', 'aria-hidden'];

const PAGE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: PAGE_TAGS,
  allowedAttributes: {
    '*': COMMON_ATTRS,
    a: ['href', 'name', 'rel'],
    img: ['src', 'alt', 'width', 'height'],
    td: ['colspan', 'rowspan', 'headers'],
    th: ['colspan', 'rowspan', 'scope', 'headers'],
    ol: ['start', 'type'],
    col: ['span'],
    time: ['datetime'],
    details: ['open']
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'template']
};

const SVG_TAGS = [
  'svg',
  'g',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'title',
  'desc',
  'defs',
  'marker',
  'lineargradient',
  'radialgradient',
  'stop',
  'clippath',
  'symbol',
  'use'
];

const SVG_ATTRS = [
  'id',
  'class',
  'role',
  'aria-label',
  'aria-hidden',
  'xmlns',
  'viewbox',
  'viewBox',
  'width',
  'height',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'd',
  'points',
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'transform',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'offset',
  'stop-color',
  'markerwidth',
  'markerheight',
  'refx',
  'refy',
  'orient',
  'preserveaspectratio',
  'clip-path',
  'marker-end',
  'marker-start',
  'dx',
  'dy'
];

const SVG_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...SVG_TAGS, 'a'],
  allowedAttributes: { '*': SVG_ATTRS, a: ['href'] },
  allowedSchemes: ['http', 'https'],
  allowProtocolRelative: false,
  parser: { lowerCaseTags: false, lowerCaseAttributeNames: false },
  nonTextTags: ['script', 'style', 'foreignObject', 'foreignobject']
};

/** Author HTML (from a page, after markdown) through the page allow-list. */
export function sanitizePageHtml(html: string): string {
  return sanitizeHtml(html, PAGE_OPTIONS);
}

/** An SVG image inlined by `{% include image.svg %}`, through the SVG allow-list. */
export function sanitizeSvg(svg: string): string {
  const start = svg.search(/<svg[\s>]/i);
  return start < 0 ? '' : sanitizeHtml(svg.slice(start), SVG_OPTIONS);
}

const NARRATIVE_TAGS = [
  'div',
  'p',
  'br',
  'hr',
  'span',
  'b',
  'strong',
  'i',
  'em',
  'ul',
  'ol',
  'li',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'h3',
  'h4',
  'h5',
  'h6',
  'pre',
  'code',
  'a',
  'dl',
  'dt',
  'dd',
  'sub',
  'sup'
];

const NARRATIVE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: NARRATIVE_TAGS,
  allowedAttributes: { a: ['href'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'], '*': ['class'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  transformTags: { h1: 'h3', h2: 'h3' },
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'template']
};

/** A resource's narrative (`text.div`) through the narrative allow-list (FHIR's narrative XHTML, less ids and styles). */
export function sanitizeNarrative(div: string): string {
  return sanitizeHtml(div, NARRATIVE_OPTIONS);
}
