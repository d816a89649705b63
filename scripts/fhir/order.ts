/**
 * Sort orders that do not depend on the machine: `localeCompare` without a locale follows LANG,
 * so a build under another locale could order (and write) files differently.
 */

/** Text people read (titles, file names on a page): English collation whatever the locale. */
export function compareText(a: string, b: string): number {
  return a.localeCompare(b, 'en');
}
