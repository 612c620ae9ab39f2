// Structured source references (issue 23, point 2): the links they make, and the schema's word on a wrong one.
import { describe, expect, it } from 'vitest';
import { schemaProblems } from './schema.ts';
import { sourceLine, sourceText, sourceUrl } from './sources.ts';
import type { SourceRef } from './types.ts';

describe('links and words', () => {
  it('a BWB article links to wetten.overheid.nl in the Juriconnect form, a paragraph as lid', () => {
    const ref: SourceRef = { kind: 'bwb', id: 'BWBR0005537', article: '5:24', paragraph: '2', title: 'Awb' };
    expect(sourceUrl(ref)).toBe('https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=5:24&lid=2');
    expect(sourceText(ref, 'nl')).toBe('Awb, artikel 5:24 lid 2');
    expect(sourceText(ref, 'en')).toBe('Awb, article 5:24(2)');
    expect(sourceUrl({ kind: 'bwb', id: 'BWBR0002458' })).toBe('https://wetten.overheid.nl/jci1.3:c:BWBR0002458');
  });

  it('a CVDR id links to lokaleregelgeving.overheid.nl; a URL is itself', () => {
    expect(sourceLine({ kind: 'cvdr', id: 'CVDR600000', article: '2:25', title: 'APV Enschede' }, 'nl')).toBe('APV Enschede, artikel 2:25 (https://lokaleregelgeving.overheid.nl/CVDR600000)');
    expect(sourceLine({ kind: 'url', url: 'https://www.enschede.nl/' }, 'en')).toBe('https://www.enschede.nl/');
    expect(sourceLine({ kind: 'url', url: 'https://www.enschede.nl/', title: 'enschede.nl' }, 'en')).toBe('enschede.nl (https://www.enschede.nl/)');
  });
});

describe('the table schema checks references, naming the field', () => {
  const base = { id: 'a.b', title: 't', inputs: [{ name: 'x', type: 'string' }], outputs: [{ name: 'y', type: 'string' }], rules: [{ id: 'R1', when: {}, then: { y: '"z"' } }] };

  it('accepts references on the table, a rule, an input and an output', () => {
    const bwb = { kind: 'bwb', id: 'BWBR0005537', article: '5:31', title: 'Awb' };
    const table = {
      ...base,
      meta: { source: 'Awb 5:31', sources: [bwb, { kind: 'cvdr', id: 'CVDR600000_2' }, { kind: 'url', url: 'https://example.org/a' }] },
      inputs: [{ ...base.inputs[0], sources: [bwb] }],
      outputs: [{ ...base.outputs[0], sources: [bwb] }],
      rules: [{ ...base.rules[0], sources: [bwb] }],
    };
    expect(schemaProblems(table)).toEqual([]);
  });

  it.each([
    [{ kind: 'bwb', id: 'BWB5537' }, '/meta/sources/0/id', 'a BWB id is BWBR and 7 digits (BWBR0005537, the Awb); a CVDR id is CVDR and digits (CVDR123456)'],
    [{ kind: 'cvdr' }, '/meta/sources/0/id', "'id' is missing"],
    [{ kind: 'url', url: 'wetten.nl' }, '/meta/sources/0/url', 'must be a web address starting with https:// or http://'],
    [{ kind: 'bwb', id: 'BWBR0005537', url: 'https://x.nl' }, '/meta/sources/0/url', "'url' is not used in a source reference of this kind"],
    [{ kind: 'bwb', id: 'BWBR0005537', article: '5:31 <script>' }, '/meta/sources/0/article', 'an article is written like 5:31 or 2.25 (digits, letters, . : / -)'],
    [{ kind: 'wet' }, '/meta/sources/0/kind', 'must be one of "bwb", "cvdr", "url"'],
    [{ kind: 'bwb', id: 'BWBR0005537', artikel: '5:31' }, '/meta/sources/0/artikel', "unknown field 'artikel' (check the spelling)"],
  ])('%j is refused at its field', (ref, path, message) => {
    expect(schemaProblems({ ...base, meta: { sources: [ref] } })).toMatchObject([{ path, message }]);
  });

  it('a rule reference is located under its rule', () => {
    expect(schemaProblems({ ...base, rules: [{ ...base.rules[0], sources: [{ kind: 'cvdr', id: 'X1' }] }] })).toMatchObject([
      { path: '/rules/0/sources/0/id', message: 'a BWB id is BWBR and 7 digits (BWBR0005537, the Awb); a CVDR id is CVDR and digits (CVDR123456)' },
    ]);
  });
});
