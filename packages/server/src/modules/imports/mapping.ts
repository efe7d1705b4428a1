// Column mapping: which column of a file feeds which field of an import kind.
// Headers are matched automatically against Italian and English names as they
// appear in real exports ("Cognome", "Codice fiscale", "E-mail", "Cellulare"),
// ignoring case, accents, spaces and punctuation; a saved preset or a mapping
// file overrides the guess column by column. Columns that feed nothing are
// reported, not fatal: exports carry many columns an import does not need.
import type { ImportKind } from '../../db/schema.ts';
import { COMMITMENT_FIELDS } from './commitments.importer.ts';
import { CONSENT_FIELDS } from './consents.importer.ts';
import { DNC_FIELDS } from './dnc.importer.ts';
import { GIFT_FIELDS } from './gifts.importer.ts';
import { INTERACTION_FIELDS } from './interactions.importer.ts';
import { REGISTER_FIELDS } from './register.importer.ts';

export type ImportField = {
  name: string;
  /** Header spellings recognised without a mapping (normalized with headerKey). */
  aliases: readonly string[];
  required?: boolean;
  /** Several columns may feed a field that holds a list (phones, e-mails, tags). */
  many?: boolean;
};

/** A user's mapping: file header → field name (or '' / null to ignore the column). */
export type ColumnMapping = Record<string, string | null>;

export type ResolvedMapping = {
  /** field → the headers that feed it, in file order. */
  fields: Map<string, string[]>;
  ignored: string[];
};

export class MappingError extends Error {
  readonly code = 'IMPORT_MAPPING_INVALID';
}

const SUPPORTER_FIELDS: readonly ImportField[] = [
  {
    name: 'external_id',
    aliases: [
      'externalid',
      'id',
      'idesterno',
      'codice',
      'codicedonatore',
      'iddonatore',
      'donorid',
      'supporterid',
      'codicesostenitore',
    ],
  },
  { name: 'first_name', aliases: ['firstname', 'nome', 'givenname'] },
  { name: 'last_name', aliases: ['lastname', 'cognome', 'surname', 'familyname'] },
  {
    name: 'birth_date',
    aliases: ['birthdate', 'datadinascita', 'datanascita', 'dateofbirth', 'dob', 'nascita'],
  },
  { name: 'fiscal_code', aliases: ['fiscalcode', 'codicefiscale', 'cf', 'codfisc', 'codfiscale', 'taxcode'] },
  {
    name: 'email',
    aliases: ['email', 'mail', 'indirizzoemail', 'posta', 'email1', 'email2', 'emailsecondaria'],
    many: true,
  },
  {
    name: 'phone',
    aliases: [
      'phone',
      'telefono',
      'tel',
      'cellulare',
      'mobile',
      'cell',
      'telefonofisso',
      'telefono1',
      'telefono2',
      'phone1',
      'phone2',
      'mobilephone',
    ],
    many: true,
  },
  { name: 'language', aliases: ['language', 'lingua'] },
  { name: 'source', aliases: ['source', 'fonte', 'origine', 'canale', 'canaleacquisizione'] },
  { name: 'status', aliases: ['status', 'stato'] },
  { name: 'address', aliases: ['address', 'indirizzo', 'via', 'street'] },
  { name: 'postal_code', aliases: ['postalcode', 'cap', 'zip', 'zipcode', 'postcode'] },
  { name: 'city', aliases: ['city', 'citta', 'comune', 'localita'] },
  { name: 'province', aliases: ['province', 'provincia', 'prov'] },
  { name: 'country', aliases: ['country', 'nazione', 'paese', 'stato estero'] },
  { name: 'tags', aliases: ['tags', 'tag', 'etichette'], many: true },
];

export const IMPORT_FIELDS: Record<ImportKind, readonly ImportField[]> = {
  supporters: SUPPORTER_FIELDS,
  commitments: COMMITMENT_FIELDS,
  gifts: GIFT_FIELDS,
  consents: CONSENT_FIELDS,
  dnc: DNC_FIELDS,
  register: REGISTER_FIELDS,
  interactions: INTERACTION_FIELDS,
};

/** Registers the fields of an import kind (each importer declares its own). */
export function defineImportFields(kind: ImportKind, fields: readonly ImportField[]): void {
  IMPORT_FIELDS[kind] = fields;
}

/** 'Codice  Fiscale', 'codice_fiscale', 'CODICE-FISCALE' → 'codicefiscale'. */
export function headerKey(header: string): string {
  return header
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * Resolves headers to fields: the explicit mapping first, then the aliases.
 * `custom.<key>` fields pass through for the organization's custom fields.
 */
export function resolveMapping(
  kind: ImportKind,
  headers: readonly string[],
  explicit: ColumnMapping = {},
): ResolvedMapping {
  const fields = IMPORT_FIELDS[kind];
  const byName = new Map(fields.map((field) => [field.name, field]));
  const byAlias = new Map<string, ImportField>();
  for (const field of fields) {
    byAlias.set(headerKey(field.name), field);
    for (const alias of field.aliases) byAlias.set(headerKey(alias), field);
  }
  const explicitByKey = new Map(
    Object.entries(explicit).map(([header, field]) => [headerKey(header), field]),
  );
  for (const header of Object.keys(explicit)) {
    if (!headers.some((h) => headerKey(h) === headerKey(header))) {
      throw new MappingError(`The mapping names a column the file does not have: "${header}"`);
    }
  }
  const resolved = new Map<string, string[]>();
  const ignored: string[] = [];
  for (const header of headers) {
    const key = headerKey(header);
    let fieldName: string | undefined;
    if (explicitByKey.has(key)) {
      const target = explicitByKey.get(key);
      if (!target) {
        ignored.push(header);
        continue;
      }
      if (!byName.has(target) && !target.startsWith('custom.')) {
        throw new MappingError(`Unknown field "${target}" for a ${kind} import (column "${header}")`);
      }
      fieldName = target;
    } else {
      fieldName = byAlias.get(key)?.name;
    }
    if (!fieldName) {
      ignored.push(header);
      continue;
    }
    const list = resolved.get(fieldName);
    const field = byName.get(fieldName);
    if (list && field && !field.many) {
      throw new MappingError(
        `Columns "${list[0]}" and "${header}" both map to ${fieldName}; map one of them to null in the mapping`,
      );
    }
    if (list) list.push(header);
    else resolved.set(fieldName, [header]);
  }
  for (const field of fields) {
    if (field.required && !resolved.has(field.name)) {
      throw new MappingError(`No column for the required field ${field.name}`);
    }
  }
  return { fields: resolved, ignored };
}
