/** Element trees: parents of slices, which rows each view shows, tree lines. */
import { describe, expect, it } from 'vitest';
import { parentId, toTreeRows, viewElements, type Element } from '../../scripts/stages/render/pages/element-model.ts';

const el = (id: string, extra: Partial<Element> = {}): Element => ({ id, path: id.replace(/:[^.]*/g, ''), ...extra });

describe('parentId', () => {
  it.each([
    ['Observation', undefined],
    ['Observation.code', 'Observation'],
    ['Observation.component:basic', 'Observation.component'],
    ['Observation.component:basic.value[x]', 'Observation.component:basic'],
    ['Observation.component:basic/re', 'Observation.component:basic'],
    ['Observation.extension:source.value[x]', 'Observation.extension:source']
  ])('%s -> %s', (id, parent) => expect(parentId(id)).toBe(parent));
});

describe('views', () => {
  const snapshot = [
    el('Observation'),
    el('Observation.id'),
    el('Observation.status', { min: 1 }),
    el('Observation.code', { mustSupport: true }),
    el('Observation.code.text'),
    el('Observation.note')
  ];
  const differential = [el('Observation.code.text', { max: '0' })];

  it('differential adds the ancestors it needs, marked implied', () => {
    expect(viewElements('differential', snapshot, differential).map(r => [r.element.id, r.implied])).toEqual([
      ['Observation', true],
      ['Observation.code', true],
      ['Observation.code.text', false]
    ]);
  });

  it('key elements are the differential, must-support and mandatory top-level elements', () => {
    expect(viewElements('key', snapshot, differential).map(r => r.element.id)).toEqual([
      'Observation',
      'Observation.status',
      'Observation.code',
      'Observation.code.text'
    ]);
  });

  it('tree rows carry depth, continuation lines and last-child flags', () => {
    const rows = toTreeRows(snapshot.map(element => ({ element, implied: false })));
    expect(rows.map(r => [r.element.id, r.depth, r.continues, r.last])).toEqual([
      ['Observation', 0, [], true],
      ['Observation.id', 1, [], false],
      ['Observation.status', 1, [], false],
      ['Observation.code', 1, [], false],
      ['Observation.code.text', 2, [true], true],
      ['Observation.note', 1, [], true]
    ]);
  });
});
