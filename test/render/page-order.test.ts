import { describe, expect, it } from 'vitest';
import { comparePageFiles, titleOf } from '../../scripts/stages/render/pages/content.ts';

describe('pages no pages: entry lists, ordered and titled as SUSHI does', () => {
  it('puts index first, numeric prefixes next by number (not text), then the rest by name', () => {
    const files = ['zeta.md', '10_later.md', 'alpha.xml', '2_second.md', 'index.md', '1_first.md'];
    expect([...files].sort(comparePageFiles)).toEqual(['index.md', '1_first.md', '2_second.md', '10_later.md', 'alpha.xml', 'zeta.md']);
  });

  it('titles a page by its words without the prefix', () => {
    expect(titleOf('ProfileConsumers.md')).toBe('Profile Consumers');
    expect(titleOf('2_how-to-use.md')).toBe('How to Use');
    expect(titleOf('the_basics.md')).toBe('The Basics');
    expect(titleOf('FHIRServer2Setup.xml')).toBe('FHIR Server 2 Setup');
  });
});
