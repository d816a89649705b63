import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StageRun } from '../../scripts/pipeline/context.ts';
import { classifyChange } from '../../scripts/apps/dev/classify.ts';
import { DevSession } from '../../scripts/apps/dev/session.ts';
import { makeProject, SHARED_PACKAGE_CACHE } from '../helpers/project.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'small');

/** A stand-in renderer: one index.html listing the compiled resources and the home page text. */
function stubRenderer(calls: string[]): StageRun {
  return async ctx => {
    calls.push(ctx.pagesChanged ? `pages ${ctx.pagesChanged.join(',')}` : 'site');
    if (process.env.STUB_RENDER_THROWS) throw new Error('renderer bug');
    const home = readFileSync(join(ctx.paths.pagecontent, 'index.md'), 'utf8');
    const ids = (ctx.compiled?.resources ?? []).map(r => `${r.resource.resourceType}-${r.resource.id}`);
    mkdirSync(ctx.paths.site, { recursive: true });
    writeFileSync(join(ctx.paths.site, 'index.html'), `<body><pre>${home}</pre><ul>${ids.map(i => `<li>${i}</li>`).join('')}</ul></body>`);
    return { diagnostics: [], summary: `1 page, ${ids.length} resources` };
  };
}

describe('dev session: rebuilds what changed and recovers from errors', () => {
  let root: string;
  let session: DevSession;
  const calls: string[] = [];
  const served = () => readFileSync(join(root, 'build', 'site', 'index.html'), 'utf8');
  const write = (rel: string, text: string) => writeFileSync(join(root, rel), text);

  beforeAll(async () => {
    root = makeProject({}, FIXTURE);
    session = new DevSession(root, { packageCache: SHARED_PACKAGE_CACHE, runners: { site: stubRenderer(calls) } });
    const first = await session.start();
    expect(first?.diagnostics).toEqual([]);
  });
  afterAll(async () => {
    await session.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('builds everything first and writes fsh-generated', () => {
    expect(served()).toContain('<li>CodeSystem-dev-colours</li>');
    expect(readFileSync(join(root, 'fsh-generated', 'resources', 'CodeSystem-dev-colours.json'), 'utf8')).toContain('"Dev colours"');
  });

  it('re-renders without compiling on a page edit', async () => {
    write('input/pagecontent/index.md', '### Welcome\n\nEdited home page.\n');
    const before = calls.length;
    const outcome = await session.apply([classifyChange('input/pagecontent/index.md')]);
    expect(outcome?.kind).toBe('page');
    expect(outcome?.steps.some(s => s.startsWith('compile'))).toBe(false);
    expect(calls.length).toBe(before + 1);
    expect(outcome?.siteChanged).toBe(true);
    expect(served()).toContain('Edited home page.');
  });

  it('keeps the last good site and reports located diagnostics on an FSH error', async () => {
    write('fsh/broken.fsh', 'Profile: Broken\nParent: NoSuchParent\n');
    const outcome = await session.apply([classifyChange('fsh/broken.fsh', 'add')]);
    expect(outcome?.siteChanged).toBe(false);
    const errors = outcome!.diagnostics.filter(d => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain('NoSuchParent');
    expect(errors[0]!.location).toMatchObject({ file: 'fsh/broken.fsh', line: 1 });
    expect(session.overlayState()).toMatchObject({ errors: 1, lines: [expect.stringContaining('fsh/broken.fsh:1')] });
    expect(served()).toContain('<li>CodeSystem-dev-colours</li>');
  });

  it('recovers when the error is fixed', async () => {
    write('fsh/broken.fsh', 'CodeSystem: Fixed\nId: fixed-codes\n* #a "A"\n');
    const outcome = await session.apply([classifyChange('fsh/broken.fsh')]);
    expect(outcome?.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
    expect(outcome?.siteChanged).toBe(true);
    expect(session.overlayState()).toEqual({ errors: 0, warnings: 0, lines: [] });
    expect(served()).toContain('<li>CodeSystem-fixed-codes</li>');
  });

  it('reports a broken sushi-config.yaml and recovers from it', async () => {
    const good = readFileSync(join(root, 'sushi-config.yaml'), 'utf8');
    write('sushi-config.yaml', good.replace(/^status:.*$/m, 'status: bogus'));
    const bad = await session.apply([classifyChange('sushi-config.yaml')]);
    expect(bad?.diagnostics.find(d => d.rule === 'config-value')?.location?.file).toBe('sushi-config.yaml');
    expect(bad?.siteChanged).toBe(false);
    write('sushi-config.yaml', good);
    const fixed = await session.apply([classifyChange('sushi-config.yaml')]);
    expect(fixed?.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
    expect(fixed?.siteChanged).toBe(true);
  });

  it('survives a renderer that throws, and recovers on the next change', async () => {
    process.env.STUB_RENDER_THROWS = '1';
    try {
      const outcome = await session.apply([classifyChange('site/layouts/page.hbs')]);
      expect(outcome?.diagnostics).toEqual([
        expect.objectContaining({ severity: 'error', rule: 'internal', message: expect.stringContaining('renderer bug') })
      ]);
    } finally {
      await session.close();
      delete process.env.STUB_RENDER_THROWS;
    }
    const again = await session.apply([classifyChange('site/layouts/page.hbs')]);
    expect(again?.diagnostics).toEqual([]);
  });
});

describe('dev session: which stages a change runs', () => {
  it('runs every stage first, the site stage for just the edited pages on a page edit, and the whole site on a theme edit', async () => {
    const root = makeProject({}, FIXTURE);
    const calls: string[] = [];
    const session = new DevSession(root, { packageCache: SHARED_PACKAGE_CACHE, runners: { site: stubRenderer(calls) } });
    try {
      const first = await session.start();
      expect(first?.steps.map(s => s.split(':')[0])).toEqual(['config read', 'compile', 'narrative', 'diff', 'validate', 'package', 'site']);
      expect(existsSync(join(root, 'build', 'package.tgz'))).toBe(true);
      const pages = await session.apply([classifyChange('input/pagecontent/notes.md'), classifyChange('input/pagecontent/index.md')]);
      expect(pages?.steps.map(s => s.split(':')[0])).toEqual(['site']);
      await session.apply([classifyChange('site/layouts/page.hbs')]);
      expect(calls).toEqual(['site', 'pages index.md,notes.md', 'site']);
    } finally {
      await session.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('dev session before any site is rendered', () => {
  it('serves compiled resources and escaped page sources from memory when the renderer fails', async () => {
    const root = makeProject({ 'input/pagecontent/notes.md': 'Notes with <script>alert(1)</script>\n' }, FIXTURE);
    process.env.STUB_RENDER_THROWS = '1';
    const session = new DevSession(root, { packageCache: SHARED_PACKAGE_CACHE, runners: { site: stubRenderer([]) } });
    try {
      const first = await session.start();
      expect(first?.siteChanged).toBe(false);
      const index = String(session.virtualFile('/index.html')?.body);
      expect(index).toContain('href="CodeSystem-dev-colours.json"');
      expect(index).toContain('No site has been rendered yet');
      expect(JSON.parse(String(session.virtualFile('/ValueSet-dev-colour-set.json')?.body))).toMatchObject({ resourceType: 'ValueSet', id: 'dev-colour-set' });
      const notes = String(session.virtualFile('/notes.html')?.body);
      expect(notes).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(notes).not.toContain('<script>alert');
    } finally {
      await session.close();
      delete process.env.STUB_RENDER_THROWS;
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('dev session: work left for after the reload', () => {
  it("waits while changes keep coming, runs after the last rebuild, and its messages replace its stage's", async () => {
    const root = makeProject({}, FIXTURE);
    const order: string[] = [];
    const refreshed: string[][] = [];
    let n = 0;
    const site: StageRun = async ctx => {
      const build = ++n;
      order.push(`site ${build}`);
      ctx.afterReload?.push(() => {
        order.push(`after ${build}`);
        return { stage: 'site', diagnostics: [{ severity: 'warning', rule: 'site-broken-link', message: `found after build ${build}` }], pages: ['qa.html'] };
      });
      return { diagnostics: [], summary: 'stand-in' };
    };
    const session = new DevSession(root, { packageCache: SHARED_PACKAGE_CACHE, runners: { site }, afterReloadDelayMs: 300 });
    session.onRefreshed(pages => refreshed.push(pages));
    try {
      await session.start();
      expect(order).toEqual(['site 1', 'after 1']);
      // A second page edit arrives while the first one's after-reload work waits: it is built first.
      const first = session.apply([classifyChange('input/pagecontent/index.md')]);
      await new Promise(r => setTimeout(r, 100));
      const second = session.apply([classifyChange('input/pagecontent/index.md')]);
      await Promise.all([first, second]);
      expect(order).toEqual(['site 1', 'after 1', 'site 2', 'site 3', 'after 2', 'after 3']);
      expect(refreshed).toEqual([['qa.html'], ['qa.html'], ['qa.html']]);
      expect(session.currentDiagnostics().map(d => d.message)).toEqual(['found after build 3']);
    } finally {
      await session.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('stops between steps of that work when a change comes, and takes up the rest after the rebuild', async () => {
    const root = makeProject({}, FIXTURE);
    const order: string[] = [];
    let n = 0;
    // The session, once it is made: the stand-in renderer saves a change through it.
    let saveChange = () => {};
    const site: StageRun = async ctx => {
      const build = ++n;
      order.push(`site ${build}`);
      ctx.afterReload?.push(
        async () => {
          order.push(`step 1 of ${build}`);
          // A change is saved while this step runs.
          if (build === 2) saveChange();
          await new Promise(r => setTimeout(r, 50));
        },
        () => void order.push(`step 2 of ${build}`)
      );
      return { diagnostics: [], summary: 'stand-in' };
    };
    const session = new DevSession(root, { packageCache: SHARED_PACKAGE_CACHE, runners: { site }, afterReloadDelayMs: 10 });
    saveChange = () => void session.apply([classifyChange('input/pagecontent/index.md')]);
    try {
      await session.start();
      await session.apply([classifyChange('input/pagecontent/index.md')]);
      expect(order).toEqual(['site 1', 'step 1 of 1', 'step 2 of 1', 'site 2', 'step 1 of 2', 'site 3', 'step 2 of 2', 'step 1 of 3', 'step 2 of 3']);
    } finally {
      await session.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
