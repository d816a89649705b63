/**
 * The repository stays publishable by the HL7 IG Publisher: ig.ini points at the IG resource
 * SUSHI writes and names a template; sushi-config.yaml carries what the publisher needs; pages,
 * images and the menu live where the publisher looks.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProjectConfig, type MenuItem, type PageConfig } from '../../scripts/project/config.ts';
import { REPO_ROOT } from '../helpers/project.ts';

const { config } = readProjectConfig(join(REPO_ROOT, 'sushi-config.yaml'));

/** The key = value lines of one [section] of an ini file (the IG Publisher's `ig.ini`). */
function iniSection(text: string, section: string): Record<string, string> {
  const out: Record<string, string> = {};
  let current = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[(.+)\]$/.exec(line);
    if (header) current = header[1]!;
    else if (current === section && line && !line.startsWith(';')) {
      const eq = line.indexOf('=');
      if (eq > 0) out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
  }
  return out;
}

function pageFiles(pages: readonly PageConfig[]): string[] {
  return pages.flatMap(p => [p.file, ...pageFiles(p.children)]);
}

describe('IG Publisher compatibility', () => {
  it('has a sushi-config.yaml the toolchain accepts', () => {
    expect(config).toBeDefined();
  });

  it('points ig.ini at the ImplementationGuide SUSHI writes, with a template package', () => {
    const ig = iniSection(readFileSync(join(REPO_ROOT, 'ig.ini'), 'utf8'), 'IG');
    expect(ig.ig).toBe(`fsh-generated/resources/ImplementationGuide-${config!.id}.json`);
    expect(ig.template).toMatch(/^[a-z][\w-]*(\.[\w-]+)+(#[\w.-]+)?$/);
  });

  it('declares what the IG Publisher requires of a SUSHI project', () => {
    for (const key of ['copyrightYear', 'releaseLabel', 'publisher', 'status', 'version', 'name', 'title']) {
      expect(config!.raw[key], key).toBeDefined();
    }
    expect(config!.raw.FSHOnly).not.toBe(true);
  });

  it('keeps every page in input/pagecontent and lists every page there under pages:', () => {
    const listed = pageFiles(config!.pages).sort();
    expect(listed).toContain('index.md');
    const onDisk = readdirSync(join(REPO_ROOT, 'input', 'pagecontent'))
      .filter(f => /\.(md|xml)$/.test(f))
      .sort();
    expect(listed).toEqual(onDisk);
  });

  it('has one menu: the menu key or input/includes/menu.xml, not both', () => {
    const hasKey = config!.menu.length > 0;
    const hasXml = existsSync(join(REPO_ROOT, 'input', 'includes', 'menu.xml'));
    expect(hasKey !== hasXml).toBe(true);
  });

  it('links the menu only to pages the publication has', () => {
    const pages = new Set([...pageFiles(config!.pages).map(f => f.replace(/\.[^.]+$/, '.html')), 'toc.html', 'artifacts.html', 'qa.html', 'index.html']);
    const urls = (items: MenuItem[]): string[] => items.flatMap(i => [...(i.url ? [i.url] : []), ...urls(i.children)]);
    for (const url of urls(config!.menu).filter(u => !/^https?:/.test(u))) expect(pages, url).toContain(url.replace(/#.*$/, ''));
  });

  it('keeps images in input/images, and every image a page shows is there', () => {
    const images = readdirSync(join(REPO_ROOT, 'input', 'images'));
    expect(images.length).toBeGreaterThan(0);
    const pages = readdirSync(join(REPO_ROOT, 'input', 'pagecontent')).filter(f => f.endsWith('.md'));
    const shown = pages.flatMap(p =>
      [...readFileSync(join(REPO_ROOT, 'input', 'pagecontent', p), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map(m => m[1]!)
    );
    expect(shown.length).toBeGreaterThan(0);
    for (const src of shown.filter(s => !/^[a-z]+:/i.test(s))) expect(images).toContain(src);
  });
});
