// Which importer handles which kind of file.
import type { ImportKind } from '../../db/schema.ts';
import { createCommitmentsImporter } from './commitments.importer.ts';
import { createConsentsImporter } from './consents.importer.ts';
import { createDncImporter } from './dnc.importer.ts';
import { createGiftsImporter } from './gifts.importer.ts';
import type { Importer } from './import.types.ts';
import { createInteractionsImporter } from './interactions.importer.ts';
import { IMPORT_FIELDS } from './mapping.ts';
import { createRegisterImporter } from './register.importer.ts';
import { createSupportersImporter, type DedupeRule } from './supporters.importer.ts';

export class ImportKindNotSupportedError extends Error {
  readonly code = 'IMPORT_KIND_NOT_SUPPORTED';
}

const DEDUPE_RULES: readonly DedupeRule[] = ['fiscal_code', 'email', 'phone', 'name_birth_date'];

export function importerFor(kind: ImportKind, dedupeRules: readonly string[]): Importer<unknown> {
  const rules = dedupeRules.filter((rule): rule is DedupeRule =>
    (DEDUPE_RULES as readonly string[]).includes(rule),
  );
  switch (kind) {
    case 'supporters':
      return createSupportersImporter(IMPORT_FIELDS.supporters, rules) as Importer<unknown>;
    case 'commitments':
      return createCommitmentsImporter() as Importer<unknown>;
    case 'gifts':
      return createGiftsImporter() as Importer<unknown>;
    case 'consents':
      return createConsentsImporter() as Importer<unknown>;
    case 'dnc':
      return createDncImporter() as Importer<unknown>;
    case 'register':
      return createRegisterImporter() as Importer<unknown>;
    case 'interactions':
      return createInteractionsImporter() as Importer<unknown>;
    default:
      throw new ImportKindNotSupportedError(`Importing ${kind} is not available yet`);
  }
}
