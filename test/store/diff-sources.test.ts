// A rule whose only change is its sources is a changed rule in the diff (issue 23): the reviewer approves the
// references too, so a draft that only re-cites the law is not "no change".
import { describe, expect, it } from 'vitest';
import type { DecisionTable } from '../../server/engine/types.ts';
import { diffTables } from '../../server/store/diff.ts';

const table = (sources?: DecisionTable['rules'][number]['sources']): DecisionTable => ({
  id: 'test.bron',
  title: 'Bron',
  inputs: [{ name: 'x', type: 'number' }],
  outputs: [{ name: 'y', type: 'string' }],
  rules: [{ id: 'R1', when: { x: '> 1' }, then: { y: '"a"' }, note: 'Toelichting', ...(sources ? { sources } : {}) }],
});

describe('the diff of a rule’s sources', () => {
  it('names the change, each reference in words with its link', () => {
    const d = diffTables(table(), table([{ kind: 'bwb', id: 'BWBR0005537', article: '5:31', title: 'Awb' }]));
    expect(d.summary.same).toBe(false);
    expect(d.rules.changed).toEqual([
      { id: 'R1', fromIndex: 0, toIndex: 0, cells: [{ kind: 'sources', from: null, to: 'Awb, artikel 5:31 (https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=5:31)' }] },
    ]);
  });

  it('the same references are no change', () => {
    const refs = [{ kind: 'cvdr' as const, id: 'CVDR600000' }];
    expect(diffTables(table(refs), table(structuredClone(refs))).summary.same).toBe(true);
  });
});
