/** markdown-it-attrs ships no types: the plugin and the options this toolchain passes it. */
declare module 'markdown-it-attrs' {
  import type MarkdownIt from 'markdown-it';
  interface MarkdownItAttrsOptions {
    leftDelimiter?: string;
    rightDelimiter?: string;
    allowedAttributes?: (string | RegExp)[];
  }
  const markdownItAttrs: (md: MarkdownIt, options?: MarkdownItAttrsOptions) => void;
  export default markdownItAttrs;
}
