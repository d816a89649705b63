/**
 * The Liquid variables pages see, named as the IG Publisher names them (Jekyll's `site.data`):
 * `site.data.fhir` (the guide's id, name, title, version, canonical, packageId, the FHIR version
 * and the path of the base specification), `site.data.pages` (title of every page by file name)
 * `site.data.resources` (every artifact by `Type/id`) and `site.data.structuredefinitions`
 * (pages/structure-data.ts), the author's data files (`input/data`, project/data-files.ts) under
 * their own names, plus `page` for the current page.
 */
import type { SiteContext } from '../page.ts';
import { R4_SPEC_PATH, structureDefinitionsData } from './structure-data.ts';

const memo = new WeakMap<SiteContext, Record<string, unknown>>();

export function siteData(site: SiteContext): Record<string, unknown> {
  const hit = memo.get(site);
  if (hit) return hit;
  const c = site.config;
  const ig = {
    id: c.id,
    name: c.name,
    title: c.title,
    version: c.version,
    status: c.status,
    url: `${c.canonical}/ImplementationGuide/${c.id}`,
    publisher: c.publisher,
    description: c.description,
    date: c.date
  };
  const fhir = {
    path: R4_SPEC_PATH,
    canonical: c.canonical,
    version: c.fhirVersion,
    versionFull: c.fhirVersion,
    packageId: c.packageId,
    igId: c.id,
    igName: c.name,
    igVer: c.version,
    genDate: c.date ?? '',
    errorCount: 0,
    ver: site.dependencyPaths ?? {},
    ig
  };
  const pages = Object.fromEntries((site.pageTitles ? [...site.pageTitles] : []).map(([path, title]) => [path, { title, label: title }]));
  const resources = Object.fromEntries(
    site.index.artifacts.map(a => [
      `${a.resource.resourceType}/${a.resource.id}`,
      {
        url: a.resource.url,
        name: a.resource.name ?? a.title,
        title: a.title,
        description: a.description,
        version: a.resource.version,
        status: a.resource.status,
        path: a.page
      }
    ])
  );
  // `site.data.ig`: the ImplementationGuide resource, as the IG Publisher writes it for templates.
  // The author's data files come first: the IG Publisher's own data files take their names.
  const data = { ...site.data, fhir, pages, resources, ig: site.implementationGuide ?? ig, structuredefinitions: structureDefinitionsData(site) };
  memo.set(site, data);
  return data;
}

/** The Liquid variables every page sees: `site.data`, `site.title`, `page.path`, `page.title`. */
export type LiquidVariables = { site: { data: Record<string, unknown>; title: string }; page: { path: string; title: string } };

export function liquidVariables(site: SiteContext, name: string): LiquidVariables {
  const path = name.replace(/\.(md|xml|html)$/, '.html');
  return { site: { data: siteData(site), title: site.config.title }, page: { path, title: site.pageTitles?.get(path) ?? '' } };
}
