// A DMN model that imports another (DMN 1.5 6.3.3), evaluated in memory: the imported model's BKMs are functions
// under the import's name, found by namespace among the .dmn files of the TCK folder.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DmnModel, importDmn } from '../../server/dmn/index.ts';
import { runTckFolder } from '../../server/dmn/tck-runner.ts';

const NS = 'https://www.omg.org/spec/DMN/20230324/MODEL/';
const LIB = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="${NS}" id="lib" name="lib" namespace="https://beslis.test/lib">
  <businessKnowledgeModel id="bkm_fine" name="fine amount">
    <variable name="fine amount"/>
    <encapsulatedLogic>
      <formalParameter name="base" typeRef="number"/>
      <literalExpression><text>base * 1.5</text></literalExpression>
    </encapsulatedLogic>
  </businessKnowledgeModel>
</definitions>`;
const MAIN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="${NS}" id="main" name="main" namespace="https://beslis.test/main">
  <import namespace="https://beslis.test/lib" name="rates" importType="${NS}"/>
  <inputData id="i_base" name="base"><variable name="base" typeRef="number"/></inputData>
  <decision id="d_fine" name="fine"><variable name="fine"/>
    <informationRequirement><requiredInput href="#i_base"/></informationRequirement>
    <knowledgeRequirement><requiredKnowledge href="https://beslis.test/lib#bkm_fine"/></knowledgeRequirement>
    <context>
      <contextEntry><variable name="amount"/><literalExpression><text>rates.fine amount(base)</text></literalExpression></contextEntry>
      <contextEntry><literalExpression><text>amount + 1</text></literalExpression></contextEntry>
    </context>
  </decision>
</definitions>`;

describe('a model importing another', () => {
  const work = mkdtempSync(join(tmpdir(), 'beslis-import-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('calls the imported BKM by the import’s name', async () => {
    const lib = new DmnModel(await importDmn(LIB));
    const model = new DmnModel(await importDmn(MAIN), { rates: lib.knowledgeContext() });
    expect(model.evaluate('fine', { base: 100 })).toBe(151);
    // Without the import its names are unknown: the decision does not compile, and says so.
    const alone = new DmnModel(await importDmn(MAIN));
    expect(() => alone.evaluate('fine', { base: 100 })).toThrow(/decision 'fine'/);
  });

  it('finds the imported model by namespace among the folder’s .dmn files in a TCK run', async () => {
    writeFileSync(join(work, 'main.dmn'), MAIN);
    writeFileSync(join(work, 'lib.dmn'), LIB);
    writeFileSync(
      join(work, 'main-test-01.xml'),
      `<?xml version="1.0" encoding="UTF-8"?>
<testCases xmlns="http://www.omg.org/spec/DMN/20160719/testcase" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <modelName>main.dmn</modelName>
  <testCase id="001">
    <inputNode name="base"><value xsi:type="xsd:decimal">10</value></inputNode>
    <resultNode name="fine" type="decision"><expected><value xsi:type="xsd:decimal">16</value></expected></resultNode>
  </testCase>
</testCases>`,
    );
    const report = await runTckFolder(work);
    expect(report.outcomes.map((o) => [o.caseId, o.passed, o.actual])).toEqual([['001', true, '16']]);
  });
});
