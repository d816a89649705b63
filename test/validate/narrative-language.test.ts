/**
 * A resource's language against its narrative's lang / xml:lang, as the HL7 Java validator's
 * checkLang: warnings only (LANGUAGE_XHTML_LANG_MISSING1/2/3, LANGUAGE_XHTML_LANG_DIFFERENT1/2).
 */
import { describe, expect, it } from 'vitest';
import { issues, patient, validator } from './helpers.ts';

const withDiv = (div: string, language = 'en-GB') => patient({ language, text: { status: 'generated', div } });

describe('narrative language (checkLang)', () => {
  it('no language, or both attributes equal to it, is fine', () => {
    expect(issues(patient()).filter(i => i.includes('narrative-language'))).toEqual([]);
    expect(issues(withDiv('<div xmlns="http://www.w3.org/1999/xhtml" lang="en-GB" xml:lang="en-GB"><p>p</p></div>'))).toEqual([]);
  });

  it('a language without lang or xml:lang on the div is one warning (LANGUAGE_XHTML_LANG_MISSING1)', () => {
    expect(issues(withDiv('<div xmlns="http://www.w3.org/1999/xhtml"><p>p</p></div>'))).toEqual(['warning narrative-language Patient']);
  });

  it('one attribute missing and the other different are two warnings (MISSING3, DIFFERENT1)', () => {
    expect(issues(withDiv('<div xmlns="http://www.w3.org/1999/xhtml" lang="fr"><p>p</p></div>'))).toEqual([
      'warning narrative-language Patient',
      'warning narrative-language Patient'
    ]);
  });

  it("the messages are Java's", () => {
    const messages = validator()
      .validateResource(withDiv('<div xmlns="http://www.w3.org/1999/xhtml" lang="fr"><p>p</p></div>'))
      .filter(i => i.rule === 'narrative-language')
      .map(i => i.message);
    expect(messages).toEqual([
      'Resource has a language (en-GB), and the XHTML has a lang (fr), but they differ',
      'Resource has a language, but the XHTML does not have an xml:lang tag (needs both lang and xml:lang - see https://www.w3.org/TR/i18n-html-tech-lang/#langvalues)'
    ]);
  });

  it('a div whose content is all in language divs is judged by the first of them (allChildrenAreLangDivs)', () => {
    const both = (l: string) => `<div lang="${l}" xml:lang="${l}"><p>${l}</p></div>`;
    const ns = 'xmlns="http://www.w3.org/1999/xhtml"';
    expect(issues(withDiv(`<div ${ns}>\n  ${both('en-GB')}\n  <!-- c -->\n  ${both('fr')}\n</div>`))).toEqual([]);
    // the first language div differs from the resource's language: judged by it
    expect(issues(withDiv(`<div ${ns}>${both('fr')}${both('en-GB')}</div>`))).toEqual([
      'warning narrative-language Patient',
      'warning narrative-language Patient'
    ]);
    // text beside the language divs: the root div is judged, and has neither attribute
    const mixed = validator().validateResource(withDiv(`<div ${ns}><p>beside</p>${both('en-GB')}</div>`));
    expect(mixed.filter(i => i.rule === 'narrative-language').map(i => i.message)).toEqual([
      'Resource has a language, but the XHTML does not have an lang or an xml:lang tag (needs both - see https://www.w3.org/TR/i18n-html-tech-lang/#langvalues)'
    ]);
  });

  it('contained resources are checked too, at their own path', () => {
    const inner = {
      resourceType: 'Organization',
      id: 'o1',
      language: 'en-GB',
      text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>o</p></div>' },
      name: 'o'
    };
    const p = patient({ contained: [inner], managingOrganization: { reference: '#o1' } });
    expect(issues(p)).toEqual(['warning narrative-language Patient.contained[0]']);
  });
});

describe('narrative language location', () => {
  it("is the resource's path, on the div's line (as Java reports it)", () => {
    const text = JSON.stringify(withDiv('<div xmlns="http://www.w3.org/1999/xhtml"><p>p</p></div>'), null, 2);
    const report = validator().validateText(text, 'p.json');
    const lang = report.diagnostics.filter(d => d.rule === 'narrative-language');
    const divLine = text.split('\n').findIndex(l => l.includes('"div"')) + 1;
    expect(lang.map(d => [d.location?.expression, d.location?.line])).toEqual([['Patient', divLine]]);
  });
});
