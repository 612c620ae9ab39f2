// The reasoned explanation (issue 23, point 1): golden texts in Dutch and English for every hit policy and a chain,
// with the Enschede tables of rules/ where they have the policy (UNIQUE, FIRST, PRIORITY, COLLECT, a SUM, a chain) and a
// small event table for the others; every fixture case of rules/ explained without FEEL syntax; a cell beyond words
// told neutrally. The texts were read for plain language; a change to them is a change of what residents read.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { compileTable, evaluateChain } from './index.ts';
import { explainDecision, type Explanation } from './explain.ts';
import type { Aggregation, DecisionTable, HitPolicy } from './types.ts';

const ROOT = new URL('../../', import.meta.url);
const text = (lines: string[]): string => lines.join('\n');

const rulesTable = (p: string): DecisionTable => JSON.parse(readFileSync(new URL(`rules/${p}.json`, ROOT), 'utf8')) as DecisionTable;

function explain(table: DecisionTable, input: Record<string, unknown>): Explanation {
  const result = compileTable(table).evaluate(input, { trace: true });
  return explainDecision([{ table, result }]);
}

/** A small event table, the same rules under each hit policy. */
function evenement(hitPolicy: HitPolicy, aggregation?: Aggregation): DecisionTable {
  return {
    id: 'test.evenement',
    version: 3,
    validFrom: '2025-03-01',
    title: 'Evenement',
    hitPolicy,
    ...(aggregation ? { aggregation } : {}),
    inputs: [
      { name: 'bezoekers', label: 'Aantal bezoekers', type: 'number' },
      { name: 'locatie', label: 'Locatie', type: 'string' },
      { name: 'datum', label: 'Datum van het evenement', type: 'date' },
    ],
    outputs: [{ name: 'maatregel', label: 'Maatregel', type: 'string', values: ['verbod', 'vergunning', 'melding'] }],
    rules: [
      { id: 'GROOT', when: { bezoekers: '>= 500' }, then: { maatregel: '"vergunning"' }, note: 'Vanaf 500 bezoekers is een vergunning nodig.' },
      { id: 'PARK', when: { locatie: '"park","plein"' }, then: { maatregel: '"melding"' } },
      { id: 'KLEIN', when: { bezoekers: '[100..499]', datum: '< date("2025-01-01")' }, then: { maatregel: '"melding"' } },
      { id: 'STRAAT', when: { locatie: 'not("straat")', bezoekers: '> 1000' }, then: { maatregel: '"verbod"' } },
    ],
    meta: { source: 'APV Enschede art. 2.25', sources: [{ kind: 'bwb', id: 'BWBR0005537', article: '3:46', title: 'Awb' }] },
  } as DecisionTable;
}

function termijn(aggregation: Aggregation): DecisionTable {
  return {
    id: 'test.termijn',
    title: 'Hersteltermijn',
    hitPolicy: 'COLLECT',
    aggregation,
    inputs: [
      { name: 'gevaar', label: 'Gevaar voor de omgeving', type: 'boolean' },
      { name: 'omvang', label: 'Omvang (m²)', type: 'number' },
    ],
    outputs: [{ name: 'dagen', label: 'Termijn (dagen)', type: 'number' }],
    rules: [
      { id: 'STANDAARD', when: {}, then: { dagen: '28' } },
      { id: 'GEVAAR', when: { gevaar: 'true' }, then: { dagen: '7' } },
      { id: 'GROOT', when: { omvang: '> 100' }, then: { dagen: '56' } },
    ],
  } as DecisionTable;
}

function chain(input: Record<string, unknown>): Explanation {
  const ladder = compileTable(rulesTable('handhaving/interventieladder/v1'));
  const matrix = compileTable(rulesTable('handhaving/interventiematrix/v1'));
  const r = evaluateChain(ladder, input, () => matrix, { trace: true });
  return explainDecision(r.steps.map((s) => ({ table: s.table.table, result: s.result })));
}

describe('the explanation of each hit policy (golden texts)', () => {
  it("UNIQUE: the fine of the Alcoholwet (drank-horeca.boete v2): one rule, its conditions as words, its note and the table's sources", () => {
    const e = explain(rulesTable("drank-horeca/boete/v2"), {categorie:"B",werknemers:12,eerdere_boetes:1});
    expect(e.nl).toBe(text([
      "Besluit: Bestuurlijke boete Alcoholwet (Drank- en Horecawet), versie 2, geldig vanaf 1 januari 2024.",
      "Uitkomst: Boete (euro): 1765,5.",
      "Van de regels is er precies één van toepassing: regel B-klein-1, omdat boetecategorie van het overtreden artikel B is, aantal werknemers van de overtreder minder dan 50 is (namelijk 12) en onherroepelijke boetes voor hetzelfde artikel in de 12 maanden ervoor 1 of meer en minder dan 2 is (namelijk 1).",
      "Toelichting: Categorie B, minder dan 50 werknemers, één eerdere boete binnen 12 maanden: +50% (€ 1.765,50).",
      "Grondslag:",
      "- BVTH-beleidsplan Enschede hfst. 5 (afwijkende strategie Drank en Horeca, nadere uitwerking hfst. 10); Alcoholbesluit (Stb. 2021, 268) bijlage I; indexering per 1-1-2024 (STAP); Alcoholwet art. 44a",
    ]));
    expect(e.en).toBe(text([
      "Decision: Bestuurlijke boete Alcoholwet (Drank- en Horecawet), version 2, valid from 1 January 2024.",
      "Outcome: Boete (euro): 1765.5.",
      "Exactly one rule applies: rule B-klein-1, because boetecategorie van het overtreden artikel is B, aantal werknemers van de overtreder is less than 50 (namely 12) and onherroepelijke boetes voor hetzelfde artikel in de 12 maanden ervoor is 1 or more and less than 2 (namely 1).",
      "Note: Categorie B, minder dan 50 werknemers, één eerdere boete binnen 12 maanden: +50% (€ 1.765,50).",
      "Legal basis:",
      "- BVTH-beleidsplan Enschede hfst. 5 (afwijkende strategie Drank en Horeca, nadere uitwerking hfst. 10); Alcoholbesluit (Stb. 2021, 268) bijlage I; indexering per 1-1-2024 (STAP); Alcoholwet art. 44a",
    ]));
  });

  it("FIRST: the sanction under the Alcoholwet (drank-horeca.sanctie): the first rule that applies, and that those before it did not", () => {
    const e = explain(rulesTable("drank-horeca/sanctie/v1"), { artikel: "3", type_verstrekker: "horeca", direct_gevaar: false, constateringen_12mnd: 1 });
    expect(e.nl).toBe(text([
      "Besluit: Sanctie bij een overtreding van de Alcoholwet (stappenplan), versie 1, geldig vanaf 1 januari 2019.",
      "Uitkomst: Maatregel: boete categorie C en last onder dwangsom of bestuursdwang om de verkoop te staken; Boetecategorie: C; Duur verbod of schorsing (weken): 0.",
      "De regels worden op volgorde bekeken; de eerste die van toepassing is, beslist: regel ART3, omdat overtreden artikel van de Alcoholwet 3 is.",
      "Toelichting: Art. 3: verkopen zonder vergunning (zonder aanvraag of na weigering): categorie C en de verkoop laten stoppen.",
      "De 2 regels ervoor zijn niet van toepassing.",
      "Grondslag:",
      "- BVTH-beleidsplan Enschede hfst. 5 (afwijkende strategie Drank en Horeca, nadere uitwerking hfst. 10); Alcoholwet art. 19a, 20, 24, 31, 32, 44a, 45; horecaloket.nl",
    ]));
    expect(e.en).toBe(text([
      "Decision: Sanctie bij een overtreding van de Alcoholwet (stappenplan), version 1, valid from 1 January 2019.",
      "Outcome: Maatregel: boete categorie C en last onder dwangsom of bestuursdwang om de verkoop te staken; Boetecategorie: C; Duur verbod of schorsing (weken): 0.",
      "The rules are considered in order; the first that applies decides: rule ART3, because overtreden artikel van de Alcoholwet is 3.",
      "Note: Art. 3: verkopen zonder vergunning (zonder aanvraag of na weigering): categorie C en de verkoop laten stoppen.",
      "The 2 rules before it do not apply.",
      "Legal basis:",
      "- BVTH-beleidsplan Enschede hfst. 5 (afwijkende strategie Drank en Horeca, nadere uitwerking hfst. 10); Alcoholwet art. 19a, 20, 24, 31, 32, 44a, 45; horecaloket.nl",
    ]));
  });

  it("PRIORITY: the priority of a report (toezicht.prioriteit-melding): of three rules that apply, the one whose outcome ranks highest", () => {
    const e = explain(rulesTable("toezicht/prioriteit-melding/v1"), {acuut_gevaar:true,onomkeerbare_schade:false,werk_zonder_vergunning_gaande:false,thema_risico:"hoog",ernstige_overlast:true,kwetsbare_personen:false});
    expect(e.nl).toBe(text([
      "Besluit: Prioriteit van een melding, versie 1, geldig vanaf 1 januari 2019.",
      "Uitkomst: Prioriteit: spoed; Reactietermijn: dezelfde dag, uiterlijk binnen 24 uur.",
      "Van toepassing zijn de regels SPOED-GEVAAR, HOOG-THEMA en HOOG-OVERLAST; de uitkomst met de hoogste voorrang beslist: regel SPOED-GEVAAR, omdat acuut gevaar voor veiligheid of gezondheid ja is.",
      "Toelichting: Acuut gevaar: dezelfde dag ter plaatse; zo nodig spoedbestuursdwang of stilleggen.",
      "Grondslag:",
      "- BVTH-beleidsplan Enschede hfst. 5 (Toezichtstrategie, nadere uitwerking hfst. 7; prioriteitenstelling klachten hfst. 8)",
    ]));
    expect(e.en).toBe(text([
      "Decision: Prioriteit van een melding, version 1, valid from 1 January 2019.",
      "Outcome: Prioriteit: spoed; Reactietermijn: dezelfde dag, uiterlijk binnen 24 uur.",
      "Rules SPOED-GEVAAR, HOOG-THEMA and HOOG-OVERLAST apply; the outcome with the highest priority decides: rule SPOED-GEVAAR, because acuut gevaar voor veiligheid of gezondheid is yes.",
      "Note: Acuut gevaar: dezelfde dag ter plaatse; zo nodig spoedbestuursdwang of stilleggen.",
      "Legal basis:",
      "- BVTH-beleidsplan Enschede hfst. 5 (Toezichtstrategie, nadere uitwerking hfst. 7; prioriteitenstelling klachten hfst. 8)",
    ]));
  });

  it("ANY: two rules that apply with the same outcome", () => {
    const e = explain(evenement("ANY"), {bezoekers:200,locatie:"park",datum:"2024-06-01"});
    expect(e.nl).toBe(text([
      "Besluit: Evenement, versie 3, geldig vanaf 1 maart 2025.",
      "Uitkomst: Maatregel: melding.",
      "Van toepassing zijn de regels PARK en KLEIN, die dezelfde uitkomst geven; regel PARK is van toepassing omdat locatie park of plein is (namelijk park).",
      "Grondslag:",
      "- APV Enschede art. 2.25",
      "- Awb, artikel 3:46 (https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=3:46)",
    ]));
    expect(e.en).toBe(text([
      "Decision: Evenement, version 3, valid from 1 March 2025.",
      "Outcome: Maatregel: melding.",
      "Rules PARK and KLEIN apply and give the same outcome; rule PARK applies because locatie is park or plein (namely park).",
      "Legal basis:",
      "- APV Enschede art. 2.25",
      "- Awb, article 3:46 (https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=3:46)",
    ]));
  });

  it("COLLECT: every rule that applies, with its outcome", () => {
    const e = explain(evenement("COLLECT"), {bezoekers:1500,locatie:"plein",datum:"2025-06-01"});
    expect(e.nl).toBe(text([
      "Besluit: Evenement, versie 3, geldig vanaf 1 maart 2025.",
      "Uitkomst (3):",
      "1. Maatregel: vergunning",
      "2. Maatregel: melding",
      "3. Maatregel: verbod",
      "Alle regels die van toepassing zijn tellen mee:",
      "- regel GROOT, omdat aantal bezoekers 500 of meer is (namelijk 1500). Toelichting: Vanaf 500 bezoekers is een vergunning nodig.",
      "- regel PARK, omdat locatie park of plein is (namelijk plein).",
      "- regel STRAAT, omdat aantal bezoekers meer dan 1000 is (namelijk 1500) en locatie iets anders dan straat is (namelijk plein).",
      "Grondslag:",
      "- APV Enschede art. 2.25",
      "- Awb, artikel 3:46 (https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=3:46)",
    ]));
    expect(e.en).toBe(text([
      "Decision: Evenement, version 3, valid from 1 March 2025.",
      "Outcome (3):",
      "1. Maatregel: vergunning",
      "2. Maatregel: melding",
      "3. Maatregel: verbod",
      "Every rule that applies counts:",
      "- rule GROOT, because aantal bezoekers is 500 or more (namely 1500). Note: Vanaf 500 bezoekers is een vergunning nodig.",
      "- rule PARK, because locatie is park or plein (namely plein).",
      "- rule STRAAT, because aantal bezoekers is more than 1000 (namely 1500) and locatie is something other than straat (namely plein).",
      "Legal basis:",
      "- APV Enschede art. 2.25",
      "- Awb, article 3:46 (https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=3:46)",
    ]));
  });

  it("COLLECT SUM: the aggravating circumstances (handhaving.verzwarende-omstandigheden): the sum, each rule with its value", () => {
    const e = explain(rulesTable("handhaving/verzwarende-omstandigheden/v1"), {financieel_voordeel:true,voorbeeldfunctie:false,belemmering_toezicht:false,meerdere_overtredingen:true,ondermijning:false,zelf_gemeld:true,volledige_medewerking:false,legalisatie_in_gang:false,maanden_sinds_vorige_overtreding:10});
    expect(e.nl).toBe(text([
      "Besluit: Verzwarende en verzachtende omstandigheden, versie 1, geldig vanaf 1 januari 2019.",
      "Uitkomst: Verschuiving op de gedragsas: 2.",
      "De uitkomst is de som van de waarden van de regels die van toepassing zijn (5):",
      "- regel BASIS (0), omdat deze regel altijd geldt. Toelichting: Startwaarde: zonder omstandigheden geen verschuiving.",
      "- regel VZ-VOORDEEL (1), omdat financieel voordeel of concurrentievoordeel ja is. Toelichting: Financieel of concurrentievoordeel werkt verzwarend (ILT).",
      "- regel VZ-RECIDIVE (1), omdat maanden sinds de vorige vergelijkbare overtreding 12 of minder is (namelijk 10). Toelichting: Recidive: vorige vergelijkbare overtreding ten hoogste 12 maanden geleden.",
      "- regel VZ-MEERDERE (1), omdat meerdere overtredingen tegelijk ja is. Toelichting: Meerdere overtredingen tegelijk werken verzwarend.",
      "- regel VM-ZELFGEMELD (-1), omdat overtreding zelf gemeld ja is. Toelichting: Zelf gemeld: verzachtend.",
      "Grondslag:",
      "- BVTH-beleidsplan Enschede hfst. 5 (Handhavingsstrategie), nadere uitwerking hfst. 9; Landelijke Handhavingsstrategie (LHS 2014) en LHSO (2022) (stap 2: verzwarende aspecten); ILT interventiestrategie",
    ]));
    expect(e.en).toBe(text([
      "Decision: Verzwarende en verzachtende omstandigheden, version 1, valid from 1 January 2019.",
      "Outcome: Verschuiving op de gedragsas: 2.",
      "The outcome is the sum of the values of the rules that apply (5):",
      "- rule BASIS (0), because this rule always applies. Note: Startwaarde: zonder omstandigheden geen verschuiving.",
      "- rule VZ-VOORDEEL (1), because financieel voordeel of concurrentievoordeel is yes. Note: Financieel of concurrentievoordeel werkt verzwarend (ILT).",
      "- rule VZ-RECIDIVE (1), because maanden sinds de vorige vergelijkbare overtreding is 12 or less (namely 10). Note: Recidive: vorige vergelijkbare overtreding ten hoogste 12 maanden geleden.",
      "- rule VZ-MEERDERE (1), because meerdere overtredingen tegelijk is yes. Note: Meerdere overtredingen tegelijk werken verzwarend.",
      "- rule VM-ZELFGEMELD (-1), because overtreding zelf gemeld is yes. Note: Zelf gemeld: verzachtend.",
      "Legal basis:",
      "- BVTH-beleidsplan Enschede hfst. 5 (Handhavingsstrategie), nadere uitwerking hfst. 9; Landelijke Handhavingsstrategie (LHS 2014) en LHSO (2022) (stap 2: verzwarende aspecten); ILT interventiestrategie",
    ]));
  });

  it("COLLECT MIN: the smallest value", () => {
    const e = explain(termijn("MIN"), {gevaar:true,omvang:150});
    expect(e.nl).toBe(text([
      "Besluit: Hersteltermijn.",
      "Uitkomst: Termijn (dagen): 7.",
      "De uitkomst is de kleinste van de waarden van de regels die van toepassing zijn (3):",
      "- regel STANDAARD (28), omdat deze regel altijd geldt.",
      "- regel GEVAAR (7), omdat gevaar voor de omgeving ja is.",
      "- regel GROOT (56), omdat omvang (m²) meer dan 100 is (namelijk 150).",
    ]));
    expect(e.en).toBe(text([
      "Decision: Hersteltermijn.",
      "Outcome: Termijn (dagen): 7.",
      "The outcome is the smallest of the values of the rules that apply (3):",
      "- rule STANDAARD (28), because this rule always applies.",
      "- rule GEVAAR (7), because gevaar voor de omgeving is yes.",
      "- rule GROOT (56), because omvang (m²) is more than 100 (namely 150).",
    ]));
  });

  it("COLLECT MAX: the largest value", () => {
    const e = explain(termijn("MAX"), {gevaar:true,omvang:150});
    expect(e.nl).toBe(text([
      "Besluit: Hersteltermijn.",
      "Uitkomst: Termijn (dagen): 56.",
      "De uitkomst is de grootste van de waarden van de regels die van toepassing zijn (3):",
      "- regel STANDAARD (28), omdat deze regel altijd geldt.",
      "- regel GEVAAR (7), omdat gevaar voor de omgeving ja is.",
      "- regel GROOT (56), omdat omvang (m²) meer dan 100 is (namelijk 150).",
    ]));
    expect(e.en).toBe(text([
      "Decision: Hersteltermijn.",
      "Outcome: Termijn (dagen): 56.",
      "The outcome is the largest of the values of the rules that apply (3):",
      "- rule STANDAARD (28), because this rule always applies.",
      "- rule GEVAAR (7), because gevaar voor de omgeving is yes.",
      "- rule GROOT (56), because omvang (m²) is more than 100 (namely 150).",
    ]));
  });

  it("COLLECT COUNT: the number of rules", () => {
    const e = explain(termijn("COUNT"), {gevaar:false,omvang:150});
    expect(e.nl).toBe(text([
      "Besluit: Hersteltermijn.",
      "Uitkomst: Termijn (dagen): 2.",
      "De uitkomst is het aantal regels dat van toepassing is (2):",
      "- regel STANDAARD, omdat deze regel altijd geldt.",
      "- regel GROOT, omdat omvang (m²) meer dan 100 is (namelijk 150).",
    ]));
    expect(e.en).toBe(text([
      "Decision: Hersteltermijn.",
      "Outcome: Termijn (dagen): 2.",
      "The outcome is the number of rules that apply (2):",
      "- rule STANDAARD, because this rule always applies.",
      "- rule GROOT, because omvang (m²) is more than 100 (namely 150).",
    ]));
  });

  it("RULE ORDER: the outcomes in the order of the rules", () => {
    const e = explain(evenement("RULE ORDER"), {bezoekers:1500,locatie:"plein",datum:"2025-06-01"});
    expect(e.nl).toBe(text([
      "Besluit: Evenement, versie 3, geldig vanaf 1 maart 2025.",
      "Uitkomst (3):",
      "1. Maatregel: vergunning",
      "2. Maatregel: melding",
      "3. Maatregel: verbod",
      "Alle regels die van toepassing zijn tellen mee, in de volgorde van de tabel:",
      "- regel GROOT, omdat aantal bezoekers 500 of meer is (namelijk 1500). Toelichting: Vanaf 500 bezoekers is een vergunning nodig.",
      "- regel PARK, omdat locatie park of plein is (namelijk plein).",
      "- regel STRAAT, omdat aantal bezoekers meer dan 1000 is (namelijk 1500) en locatie iets anders dan straat is (namelijk plein).",
      "Grondslag:",
      "- APV Enschede art. 2.25",
      "- Awb, artikel 3:46 (https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=3:46)",
    ]));
    expect(e.en).toBe(text([
      "Decision: Evenement, version 3, valid from 1 March 2025.",
      "Outcome (3):",
      "1. Maatregel: vergunning",
      "2. Maatregel: melding",
      "3. Maatregel: verbod",
      "Every rule that applies counts, in the order of the table:",
      "- rule GROOT, because aantal bezoekers is 500 or more (namely 1500). Note: Vanaf 500 bezoekers is een vergunning nodig.",
      "- rule PARK, because locatie is park or plein (namely plein).",
      "- rule STRAAT, because aantal bezoekers is more than 1000 (namely 1500) and locatie is something other than straat (namely plein).",
      "Legal basis:",
      "- APV Enschede art. 2.25",
      "- Awb, article 3:46 (https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=3:46)",
    ]));
  });

  it("OUTPUT ORDER: the outcomes by their priority, each with the rule that gave it", () => {
    const e = explain(evenement("OUTPUT ORDER"), {bezoekers:1500,locatie:"plein",datum:"2025-06-01"});
    expect(e.nl).toBe(text([
      "Besluit: Evenement, versie 3, geldig vanaf 1 maart 2025.",
      "Uitkomst (3):",
      "1. Maatregel: verbod",
      "2. Maatregel: vergunning",
      "3. Maatregel: melding",
      "Alle regels die van toepassing zijn tellen mee, de uitkomst met de hoogste voorrang eerst:",
      "- regel STRAAT, omdat aantal bezoekers meer dan 1000 is (namelijk 1500) en locatie iets anders dan straat is (namelijk plein).",
      "- regel GROOT, omdat aantal bezoekers 500 of meer is (namelijk 1500). Toelichting: Vanaf 500 bezoekers is een vergunning nodig.",
      "- regel PARK, omdat locatie park of plein is (namelijk plein).",
      "Grondslag:",
      "- APV Enschede art. 2.25",
      "- Awb, artikel 3:46 (https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=3:46)",
    ]));
    expect(e.en).toBe(text([
      "Decision: Evenement, version 3, valid from 1 March 2025.",
      "Outcome (3):",
      "1. Maatregel: verbod",
      "2. Maatregel: vergunning",
      "3. Maatregel: melding",
      "Every rule that applies counts, the outcome with the highest priority first:",
      "- rule STRAAT, because aantal bezoekers is more than 1000 (namely 1500) and locatie is something other than straat (namely plein).",
      "- rule GROOT, because aantal bezoekers is 500 or more (namely 1500). Note: Vanaf 500 bezoekers is een vergunning nodig.",
      "- rule PARK, because locatie is park or plein (namely plein).",
      "Legal basis:",
      "- APV Enschede art. 2.25",
      "- Awb, article 3:46 (https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=3:46)",
    ]));
  });

  it('a chain (handhaving.interventieladder requires handhaving.interventiematrix): each step, the required one first', () => {
    const e = chain({ stap: 'constatering', overtreding_opgeheven: false, spoed: false, recidive: false, gedrag: 'C', gevolgen: 4 });
    expect(e.nl).toBe(text([
      "Dit besluit is in 2 stappen genomen: eerst „Interventiematrix (Landelijke Handhavingsstrategie)”, waarvan de uitkomst is gebruikt in „Interventieladder (bestuursrechtelijk traject)”.",
      "",
      "Stap 1 van 2",
      "Besluit: Interventiematrix (Landelijke Handhavingsstrategie), versie 1, geldig vanaf 1 januari 2019.",
      "Uitkomst: Kwadrant: 4; Interventie: Direct herstel (spoedbestuursdwang, stilleggen, sluiten) en zo nodig intrekken vergunning; Strafrechtelijk optreden overwegen: ja; Overleg met het OM: ja.",
      "Van de regels is er precies één van toepassing: regel C4, omdat gedrag van de overtreder C is en gevolgen van de overtreding 4 is.",
      "Toelichting: Calculerend, aanzienlijke gevolgen: strafrecht altijd overwegen, overleg met het OM verplicht.",
      "Grondslag:",
      "- BVTH-beleidsplan Enschede hfst. 5 (Handhavingsstrategie), nadere uitwerking hfst. 9; Landelijke Handhavingsstrategie (LHS 2014) en LHSO (2022) (stap 1, 3 en 4; interventiematrix)",
      "",
      "Stap 2 van 2",
      "Besluit: Interventieladder (bestuursrechtelijk traject), versie 1, geldig vanaf 1 januari 2019.",
      "Uitkomst: Volgende stap: voornemen last onder dwangsom of bestuursdwang; Termijn: zienswijze 2 weken.",
      "De regels worden op volgorde bekeken; de eerste die van toepassing is, beslist: regel VOORNEMEN-DIRECT, omdat laatst gezette stap constatering is.",
      "Toelichting: Kwadrant 2-4 of recidive: geen waarschuwing, direct het voornemen met gelegenheid voor een zienswijze (Awb 4:8).",
      "De 3 regels ervoor zijn niet van toepassing.",
      "Grondslag:",
      "- BVTH-beleidsplan Enschede hfst. 5 (Handhavingsstrategie), nadere uitwerking hfst. 9; Landelijke Handhavingsstrategie (LHS 2014) en LHSO (2022); ILT interventieladder; Awb 4:8, 4:11, 5:24, 5:31, 5:35",
    ]));
    expect(e.en).toBe(text([
      "This decision was taken in 2 steps: first “Interventiematrix (Landelijke Handhavingsstrategie)”, whose outcome was used in “Interventieladder (bestuursrechtelijk traject)”.",
      "",
      "Step 1 of 2",
      "Decision: Interventiematrix (Landelijke Handhavingsstrategie), version 1, valid from 1 January 2019.",
      "Outcome: Kwadrant: 4; Interventie: Direct herstel (spoedbestuursdwang, stilleggen, sluiten) en zo nodig intrekken vergunning; Strafrechtelijk optreden overwegen: yes; Overleg met het OM: yes.",
      "Exactly one rule applies: rule C4, because gedrag van de overtreder is C and gevolgen van de overtreding is 4.",
      "Note: Calculerend, aanzienlijke gevolgen: strafrecht altijd overwegen, overleg met het OM verplicht.",
      "Legal basis:",
      "- BVTH-beleidsplan Enschede hfst. 5 (Handhavingsstrategie), nadere uitwerking hfst. 9; Landelijke Handhavingsstrategie (LHS 2014) en LHSO (2022) (stap 1, 3 en 4; interventiematrix)",
      "",
      "Step 2 of 2",
      "Decision: Interventieladder (bestuursrechtelijk traject), version 1, valid from 1 January 2019.",
      "Outcome: Volgende stap: voornemen last onder dwangsom of bestuursdwang; Termijn: zienswijze 2 weken.",
      "The rules are considered in order; the first that applies decides: rule VOORNEMEN-DIRECT, because laatst gezette stap is constatering.",
      "Note: Kwadrant 2-4 of recidive: geen waarschuwing, direct het voornemen met gelegenheid voor een zienswijze (Awb 4:8).",
      "The 3 rules before it do not apply.",
      "Legal basis:",
      "- BVTH-beleidsplan Enschede hfst. 5 (Handhavingsstrategie), nadere uitwerking hfst. 9; Landelijke Handhavingsstrategie (LHS 2014) en LHSO (2022); ILT interventieladder; Awb 4:8, 4:11, 5:24, 5:31, 5:35",
    ]));
  });
});

// What FEEL looks like in a text: ranges, comparison operators, quotes, `?`, `not(`, function calls on values.
const FEEL = [/\.\./, />=|<=|!=|[<>]/, /"/, /\?/, /\bnot\(/, /\b(date|duration|time|string length|count|sum)\(/, /\[|\]/];

/** The text the explanation builds itself: without the authors' title, notes and source text, which are theirs to word. */
function builtText(e: string, table: DecisionTable): string {
  let out = e.split(table.title).join('');
  for (const r of table.rules) if (r.note) out = out.split(r.note).join('');
  if (table.meta?.source) out = out.split(table.meta.source).join('');
  return out;
}

describe('no FEEL syntax in the text', () => {
  const fixtures = new URL('fixtures/', ROOT);
  const suites = readdirSync(fixtures, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json') && !f.startsWith('schema'));
  it.each(suites)('every case of fixtures/%s is explained in words', (file) => {
    const suite = JSON.parse(readFileSync(new URL(file, fixtures), 'utf8')) as { table: string; cases: { input: Record<string, unknown>; expectError?: string }[] };
    const dir = new URL(`rules/${suite.table.split('.').join('/')}/`, ROOT);
    const versions = readdirSync(dir).filter((f) => /^v\d+\.json$/.test(f));
    let explained = 0;
    for (const v of versions) {
      const table = JSON.parse(readFileSync(new URL(v, dir), 'utf8')) as DecisionTable;
      const compiled = compileTable(table);
      for (const c of suite.cases) {
        let result;
        try {
          result = compiled.evaluate(c.input, { trace: true });
        } catch {
          continue; // refused (a required table's input, a case for another version): nothing to explain
        }
        const e = explainDecision([{ table, result }]);
        for (const lang of ['nl', 'en'] as const) {
          const built = builtText(e[lang], table);
          for (const pattern of FEEL) expect(built, `${table.id} v${table.version} ${JSON.stringify(c.input)} (${lang}): ${built}`).not.toMatch(pattern);
        }
        explained++;
      }
    }
    expect(explained).toBeGreaterThan(0);
  });

  it('a cell beyond words is told neutrally, with the value read, and no operator leaks', () => {
    const table = {
      id: 'test.naam',
      title: 'Naam',
      inputs: [
        { name: 'naam', label: 'Naam van de aanvrager', type: 'string' },
        { name: 'leeftijd', label: 'Leeftijd', type: 'number' },
        { name: 'grens', label: 'Leeftijdsgrens', type: 'number' },
      ],
      outputs: [{ name: 'ok', label: 'Toegestaan', type: 'boolean' }],
      rules: [{ id: 'R1', when: { naam: 'string length(?) > 3', leeftijd: '>= grens' }, then: { ok: 'true' } }],
    } as DecisionTable;
    const e = explain(table, { naam: 'Anna', leeftijd: 20, grens: 18 });
    expect(e.nl).toContain('omdat naam van de aanvrager (Anna) voldoet aan de voorwaarde van deze regel en leeftijd de waarde van leeftijdsgrens of meer is (namelijk 20).');
    expect(e.en).toContain('because naam van de aanvrager (Anna) meets this rule’s condition and leeftijd is the value of leeftijdsgrens or more (namely 20).');
    for (const pattern of FEEL) {
      expect(e.nl).not.toMatch(pattern);
      expect(e.en).not.toMatch(pattern);
    }
  });
});

describe('words for cells, values and sources', () => {
  it('dates, date ranges, durations, lists and an empty value are spelled out', () => {
    const table = {
      id: 'test.woorden',
      title: 'Woorden',
      inputs: [
        { name: 'datum', label: 'Datum', type: 'date' },
        { name: 'soort', label: 'Soort', type: 'string' },
        { name: 'opmerking', label: 'Opmerking', type: 'string', optional: true },
      ],
      outputs: [{ name: 'termijn', label: 'Termijn', type: 'duration' }],
      rules: [{ id: 'R1', when: { datum: '[date("2024-01-01")..date("2024-12-31")]', soort: '"A","B","C"', opmerking: 'null' }, then: { termijn: 'duration("P14D")' } }],
    } as DecisionTable;
    const e = explain(table, { datum: '2024-03-05', soort: 'B', opmerking: null });
    expect(e.nl).toContain('Uitkomst: Termijn: 14 dagen.');
    expect(e.nl).toContain('omdat datum van 1 januari 2024 tot en met 31 december 2024 is (namelijk 5 maart 2024), soort A, B of C is (namelijk B) en opmerking niet ingevuld is.');
    expect(e.en).toContain('Outcome: Termijn: 14 days.');
    expect(e.en).toContain('because datum is from 1 January 2024 up to and including 31 December 2024 (namely 5 March 2024), soort is A, B or C (namely B) and opmerking is not given.');
  });

  it('PRIORITY names the rule whose outcome ranks highest, also when a lower one comes first', () => {
    const e = explain(evenement('PRIORITY'), { bezoekers: 1500, locatie: 'plein', datum: '2025-06-01' });
    expect(e.nl).toContain('Uitkomst: Maatregel: verbod.');
    expect(e.nl).toContain('Van toepassing zijn de regels GROOT, PARK en STRAAT; de uitkomst met de hoogste voorrang beslist: regel STRAAT, omdat');
    expect(e.en).toContain('Rules GROOT, PARK and STRAAT apply; the outcome with the highest priority decides: rule STRAAT, because');
  });

  it('no rule applies: the default outcome, said so', () => {
    const table = { ...evenement('FIRST'), outputs: [{ name: 'maatregel', label: 'Maatregel', type: 'string', default: '"geen"' }] } as DecisionTable;
    const e = explain(table, { bezoekers: 10, locatie: 'straat', datum: '2025-06-01' });
    expect(e.nl).toContain('Uitkomst: Maatregel: geen.\nGeen van de regels is van toepassing; daarom geldt de standaarduitkomst van de tabel.');
    expect(e.en).toContain('Outcome: Maatregel: geen.\nNone of the rules applies, so the table’s default outcome holds.');
  });

  it("the sources of the table, the deciding rule and its columns are listed once each, with their links", () => {
    const table = evenement('FIRST');
    table.rules[0]!.sources = [{ kind: 'cvdr', id: 'CVDR600000', article: '2:25', title: 'APV' }];
    table.inputs[0]!.sources = [{ kind: 'url', url: 'https://www.enschede.nl/evenementen', title: 'enschede.nl: evenementen' }];
    table.rules[1]!.sources = [{ kind: 'bwb', id: 'BWBR0002458', article: '3', title: 'Alcoholwet' }];
    const e = explain(table, { bezoekers: 800, locatie: 'straat', datum: '2025-06-01' });
    expect(e.nl.split('Grondslag:\n')[1]).toBe(
      text([
        '- APV Enschede art. 2.25',
        '- Awb, artikel 3:46 (https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=3:46)',
        '- APV, artikel 2:25 (https://lokaleregelgeving.overheid.nl/CVDR600000)',
        '- enschede.nl: evenementen (https://www.enschede.nl/evenementen)',
      ]),
    );
    expect(e.en).toContain('- Awb, article 3:46 (https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=3:46)');
    // The rule that did not apply does not cite its source.
    expect(e.nl).not.toContain('Alcoholwet');
  });
});
