// Which importer handles which kind of file.
import type { ImportKind } from '../../db/schema.ts';
import type { Importer } from './import.types.ts';
import { IMPORT_FIELDS } from './mapping.ts';
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
    default:
      throw new ImportKindNotSupportedError(`Importing ${kind} is not available yet`);
  }
}
