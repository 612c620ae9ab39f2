// One decision (a public table and the tables its `requires` chain decides first) as one entry of the Algoritmeregister
// (publication standard 1.0): the register's fields filled from the tables' metadata, and every field the tables
// cannot tell named in `teVoltooien` for the owner to complete before submitting the entry. Pure: the caller chooses
// the tables (collect.ts) and the settings (settings.ts).
import { sourceText, sourceUrl } from '../engine/sources.ts';
import type { DecisionTable } from '../engine/types.ts';
import { chainSources, dataText, lawfulBasisText, methodText } from './describe.ts';
import { field, STANDARD } from './fields.ts';

export interface RegisterSettings {
  /** The organisation's full name as on the TOOI list, e.g. "Gemeente Enschede". */
  organisation: string;
  /** The e-mail address or https:// page for questions about the algorithm; absent: left for the owner. */
  contact?: string;
}

/** A table version in force today, with what the store knows of it. */
export interface TableInForce {
  table: DecisionTable;
  hash: string;
  /** The earliest validFrom of any version of the table: when it was first in use. */
  firstValidFrom: string;
}

export interface ToComplete {
  /** The field's JSON name in the standard. */
  veld: string;
  /** Its Dutch title in the standard. */
  titel: string;
  /** The register does not publish an entry without it. */
  verplicht: boolean;
  /** Why it is on the list: not in the tables, or filled but to be checked. */
  reden: string;
}

export interface RegisterEntry {
  /** The id of the decision's own table (also the entry's `source_id`). */
  algoritme: string;
  /** The table versions the entry describes, the required tables first. */
  tabellen: { id: string; versie: number; geldigVanaf: string; hash: string }[];
  eigenaar: string | null;
  /** The entry in the standard's own field names and values. */
  registratie: Record<string, unknown>;
  teVoltooien: ToComplete[];
}

export interface RegisterDocument {
  publicatiestandaard: { naam: string; versie: string; bron: string };
  organisatie: string;
  /** The day (Europe/Amsterdam) whose versions in force were exported. */
  datum: string;
  algoritmes: RegisterEntry[];
}

const NOT_IN_TABLES = 'niet af te leiden uit de beslistabel: door de eigenaar in te vullen';

/** The reasons an owner completes a field, by field: what the tables cannot know. */
const OWNER_FIELDS: Record<string, string> = {
  category: 'kies het beleidsterrein (thema) uit de waardelijst van de standaard',
  website: NOT_IN_TABLES,
  publication_category: 'kies de categorie volgens de handreiking (hoog-risico AI-systeem, impactvol of overig)',
  url: NOT_IN_TABLES,
  goal: 'beschrijf het doel en hoe inwoners en bedrijven ermee te maken krijgen (B1-taalniveau)',
  proportionality: 'beschrijf de afweging van voor- en nadelen en de overwogen alternatieven (zie IAMA en DPIA)',
  human_intervention: 'beschrijf wie de uitkomst gebruikt, controleert en kan bijstellen',
  risks: 'beschrijf de risico’s en hoe ermee wordt omgegaan',
  process_index_url: NOT_IN_TABLES,
  impacttoetsen_grouping: 'noem de uitgevoerde impacttoetsen (DPIA, IAMA, …) met een link',
  impacttoetsen: 'licht toe waarom een impacttoets niet is gedaan, als dat zo is',
  source_data_grouping: NOT_IN_TABLES,
  provider: 'de leverancier, of "Intern ontwikkeld"',
  publiccode: NOT_IN_TABLES,
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HTTPS = /^https:\/\/[^\s]+$/;

/** Whether `text` is what the standard takes as contact details: an e-mail address or an https:// address. */
export function isContact(text: string): boolean {
  return EMAIL.test(text) || HTTPS.test(text);
}

/**
 * `text` within `max` characters; a longer one is cut after its last whole sentence that fits, else at a word (the
 * caller names the field to be checked).
 */
function fit(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  const sentence = text.slice(0, max + 1).search(/[.!?](?=\s)[^.!?]*$/);
  if (sentence > max / 3) return { text: text.slice(0, sentence + 1), cut: true };
  const room = text.slice(0, max - 1);
  const space = room.lastIndexOf(' ');
  return { text: `${(space > max / 2 ? room.slice(0, space) : room).trimEnd()}…`, cut: true };
}

/** The entry for one decision; `chain` holds the required tables first and the decision's own table last. */
export function registerEntry(chain: readonly TableInForce[], settings: RegisterSettings): RegisterEntry {
  const own = chain[chain.length - 1]!;
  const tables = chain.map((c) => c.table);
  const top = own.table;
  const registratie: Record<string, unknown> = {};
  const teVoltooien: ToComplete[] = [];
  const todo = (name: string, reden: string) => {
    const f = field(name);
    teVoltooien.push({ veld: name, titel: f.title, verplicht: f.required, reden });
  };
  const text = (name: string, value: string | null | undefined, missing = NOT_IN_TABLES, check?: string) => {
    if (value === null || value === undefined || value.trim() === '') {
      registratie[name] = null;
      todo(name, missing);
      return;
    }
    const max = field(name).maxLength;
    const { text: fitted, cut } = max === undefined ? { text: value, cut: false } : fit(value, max);
    registratie[name] = fitted;
    if (cut) todo(name, `ingekort tot ${max} tekens: controleer de tekst`);
    else if (check) todo(name, check);
  };

  text('name', top.title);
  text('description_short', top.description, 'de tabel heeft geen beschrijving: schrijf twee of drie zinnen over wat het algoritme doet');
  text('organization', settings.organisation);
  registratie.category = [];
  todo('category', OWNER_FIELDS.category!);
  // Only versions in force today are exported, so the algorithm is in use; it began when its first version did.
  registratie.status = 'In gebruik';
  registratie.begin_date = own.firstValidFrom.slice(0, 7);
  registratie.end_date = null;
  text('contact_email', settings.contact, 'geen contactadres ingesteld (--contact of BESLIS_ALGORITMEREGISTER_CONTACT): een algemeen e-mailadres of https://-pagina');
  for (const name of ['website', 'url']) text(name, null, OWNER_FIELDS[name]);
  registratie.publication_category = null;
  todo('publication_category', OWNER_FIELDS.publication_category!);
  for (const name of ['goal', 'proportionality', 'human_intervention', 'risks']) text(name, null, OWNER_FIELDS[name]);
  text('lawful_basis', lawfulBasisText(tables), 'de tabellen noemen geen bronnen: beschrijf de wettelijke basis', 'geschreven uit de bronnen van de tabellen: vul aan met het doel van de wet, begrijpelijk voor niet-juristen');
  const links = field('lawful_basis_grouping').items!;
  registratie.lawful_basis_grouping = chainSources(tables).map((ref) => ({
    title: fit(sourceText(ref, 'nl'), links.title!.maxLength!).text,
    link: sourceUrl(ref),
  }));
  if ((registratie.lawful_basis_grouping as unknown[]).length === 0) todo('lawful_basis_grouping', 'de tabellen hebben geen gestructureerde bronnen (meta.sources): voeg links naar de wettelijke grondslag toe');
  text('process_index_url', null, OWNER_FIELDS.process_index_url);
  registratie.impacttoetsen_grouping = [];
  todo('impacttoetsen_grouping', OWNER_FIELDS.impacttoetsen_grouping!);
  text('impacttoetsen', null, OWNER_FIELDS.impacttoetsen);
  text('source_data', dataText(tables), 'de tabel leest geen gegevens uit de zaak: beschrijf de gegevens', 'geschreven uit de invoerkolommen: vul aan waar de gegevens vandaan komen (bijvoorbeeld BRP of het zaaksysteem)');
  registratie.source_data_grouping = [];
  todo('source_data_grouping', OWNER_FIELDS.source_data_grouping!);
  text('methods_and_models', methodText(tables));
  text('provider', null, OWNER_FIELDS.provider);
  text('publiccode', null, OWNER_FIELDS.publiccode);
  registratie.lang = 'nld';
  registratie.standard_version = STANDARD.version;
  text('source_id', top.id);
  const domain = top.id.split('.')[0]!;
  text('tags', [...new Set([domain, ...tables.map((t) => t.id), ...(top.meta?.owner ? [top.meta.owner] : [])])].join(', '));

  return {
    algoritme: top.id,
    tabellen: chain.map((c) => ({ id: c.table.id, versie: c.table.version!, geldigVanaf: c.table.validFrom!, hash: c.hash })),
    eigenaar: typeof top.meta?.owner === 'string' ? top.meta.owner : null,
    registratie,
    teVoltooien,
  };
}

export function registerDocument(chains: readonly (readonly TableInForce[])[], settings: RegisterSettings, today: string): RegisterDocument {
  return {
    publicatiestandaard: { naam: STANDARD.standard, versie: STANDARD.version, bron: STANDARD.source },
    organisatie: settings.organisation,
    datum: today,
    algoritmes: chains.map((c) => registerEntry(c, settings)),
  };
}
