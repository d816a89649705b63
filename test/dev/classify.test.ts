import { describe, expect, it } from 'vitest';
import { classifyChange, planChanges, widerChange } from '../../scripts/apps/dev/classify.ts';

describe('classifyChange', () => {
  it.each([
    ['input/pagecontent/index.md', 'page'],
    ['input/pagecontent/privacy.md', 'page'],
    ['fsh/profiles/observation.fsh', 'compile'],
    ['fsh/aliases.fsh', 'compile'],
    ['sushi-config.yaml', 'reload'],
    ['input/resources/Patient-x.json', 'reload'],
    ['site/layouts/page.hbs', 'site'],
    ['site/partials/header.hbs', 'site'],
    ['site/assets/css/guide.css', 'site'],
    ['input/images/diagram.svg', 'site'],
    ['input/includes/maturity-model.md', 'site'],
    ['input/pagecontent/images/figure.png', 'site'],
    ['fsh/notes.txt', 'ignore'],
    ['README.md', 'ignore'],
    ['fsh-generated/resources/CodeSystem-x.json', 'ignore'],
    ['build/site/index.html', 'ignore'],
    ['input/pagecontent/.index.md.swp', 'ignore'],
    ['input/pagecontent/index.md~', 'ignore'],
    ['fsh/.#profile.fsh', 'ignore']
  ])('%s -> %s', (path, kind) => {
    expect(classifyChange(path).kind).toBe(kind);
  });

  it('recompiles on an FSH edit in input/fsh/ (SUSHI layout) as in fsh/', () => {
    expect(classifyChange('input/fsh/profiles/patient.fsh').kind).toBe('compile');
    expect(classifyChange('input/fsh/notes.txt').kind).toBe('ignore');
    expect(classifyChange('input/pages/background.md').kind).toBe('site');
  });

  it('names the page a markdown edit touches', () => {
    expect(classifyChange('input/pagecontent/privacy.md')).toEqual({ kind: 'page', path: 'input/pagecontent/privacy.md', page: 'privacy.md' });
  });

  it('treats adding or removing a page as a compile: the IG page list changes', () => {
    expect(classifyChange('input/pagecontent/new.md', 'add').kind).toBe('compile');
    expect(classifyChange('input/pagecontent/old.md', 'unlink').kind).toBe('compile');
  });

  it('accepts Windows separators and a leading ./', () => {
    expect(classifyChange('fsh\\profiles\\a.fsh').kind).toBe('compile');
    expect(classifyChange('./input/pagecontent/index.md').page).toBe('index.md');
  });
});

describe('planChanges', () => {
  it('takes the widest kind and collects the pages', () => {
    const plan = planChanges([classifyChange('input/pagecontent/b.md'), classifyChange('input/pagecontent/a.md'), classifyChange('input/pagecontent/b.md')]);
    expect(plan).toMatchObject({ kind: 'page', pages: ['a.md', 'b.md'] });
    expect(plan.changes).toHaveLength(3);
    expect(planChanges([classifyChange('input/pagecontent/a.md'), classifyChange('fsh/x.fsh')]).kind).toBe('compile');
    expect(planChanges([]).kind).toBe('ignore');
  });

  it('orders kinds from ignore to reload', () => {
    expect(widerChange('page', 'site')).toBe('site');
    expect(widerChange('reload', 'compile')).toBe('reload');
    expect(widerChange('ignore', 'page')).toBe('page');
  });
});
