// centralino export supporters|… --org SLUG: the API's exports for an operator
// with database access. The file is streamed to --out (or a dated name in the
// current folder); --reveal-iban writes full IBANs (the operator holds the
// server and its key) and, like every export, is recorded in the audit trail
// as actor 'cli'.
import { createWriteStream } from 'node:fs';
import { loadConfig } from '../../config.ts';
import { AppError } from '../../http/errors.ts';
import type { ExportFormat, ExportLanguage } from '../../modules/exports/export-format.ts';
import { EXPORT_LISTS, type ExportList } from '../../modules/exports/export-lists.ts';
import { startExport } from '../../modules/exports/exports.service.ts';
import type { Segment } from '../../modules/giving/donor-metrics.service.ts';
import { findOrganizationBySlug } from '../../modules/organizations/organizations.service.ts';
import { loadSecretBox } from '../../security/secret-box.ts';
import { type Command, EXIT, optionalString, requireString, UsageError } from '../command.ts';
import { DATA_HELP, DATA_OPTION, withDatabase } from '../database-options.ts';

export const exportCommand: Command = {
  path: ['export'],
  summary: 'Export supporters, commitments, gifts, consents, do-not-call or a donor segment as CSV or XLSX',
  help: `Usage: centralino export supporters|commitments|gifts|consents|dnc|segment --org SLUG
         [--segment lybunt|sybunt|lapsed|deep_lapsed] [--year YYYY] [--from DATE] [--to DATE]
         [--format csv|xlsx] [--lang it|en] [--out FILE] [--reveal-iban] [--data DIR]

Headers are the import's column names (Italian or English), so a file imports
again as it is. CSV for it: UTF-8 with BOM, ";" and decimal comma, dd/mm/yyyy;
for en: "," and decimal point, ISO dates. IBANs are masked (IT…1234).

Options:
  --org SLUG        the organization
  --segment NAME    for "segment": lybunt, sybunt, lapsed or deep_lapsed
  --year YYYY       for "segment": the year (default this year)
  --from, --to      for "gifts": gift dates (YYYY-MM-DD)
  --format FORMAT   csv (default) or xlsx
  --lang LANG       it or en (default: the organization's locale)
  --out FILE        where to write (default: LIST-SLUG-DATE.FORMAT here)
  --reveal-iban     commitments: full IBANs (audited as actor 'cli')
${DATA_HELP}

Every export is recorded in the organization's audit trail.`,
  positionals: true,
  options: {
    ...DATA_OPTION,
    org: { type: 'string' },
    segment: { type: 'string' },
    year: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    format: { type: 'string' },
    lang: { type: 'string' },
    out: { type: 'string' },
    'reveal-iban': { type: 'boolean' },
  },
  async run(args, io) {
    const [listWord, ...extra] = args.positionals;
    if (!listWord || !(EXPORT_LISTS as readonly string[]).includes(listWord))
      throw new UsageError(`Say what to export: ${EXPORT_LISTS.join(', ')}`);
    if (extra.length > 0) throw new UsageError(`Unexpected arguments: ${extra.join(' ')}`);
    const list = listWord as ExportList;
    const slug = requireString(args, 'org');
    const format = (optionalString(args, 'format') ?? 'csv') as ExportFormat;
    if (format !== 'csv' && format !== 'xlsx') throw new UsageError('--format is csv or xlsx');
    const lang = optionalString(args, 'lang') as ExportLanguage | undefined;
    if (lang !== undefined && lang !== 'it' && lang !== 'en') throw new UsageError('--lang is it or en');
    const yearText = optionalString(args, 'year');
    if (yearText !== undefined && !/^\d{4}$/.test(yearText))
      throw new UsageError('--year is a year, e.g. 2025');
    const config = loadConfig(io.env);
    return withDatabase(args, config, async (db) => {
      const organization = await findOrganizationBySlug({ db, slug });
      if (!organization) throw new UsageError(`No organization with slug "${slug}"`);
      let prepared: Awaited<ReturnType<typeof startExport>>;
      try {
        prepared = await startExport({
          db,
          secrets: loadSecretBox({
            secretKey: config.secretKey,
            dataDir: optionalString(args, 'data') ?? config.dataDir,
          }),
          orgId: organization.id,
          actor: 'cli',
          list,
          filters: {
            segment: optionalString(args, 'segment') as Segment | undefined,
            year: yearText === undefined ? undefined : Number(yearText),
            from: optionalString(args, 'from'),
            to: optionalString(args, 'to'),
          },
          format,
          lang,
          revealIban: args.values['reveal-iban'] === true,
        });
      } catch (error) {
        // The service names query parameters; here they are options.
        if (error instanceof AppError && error.status === 400)
          throw new UsageError(error.message.replace(/\bquerystring\./g, '--'));
        throw error;
      }
      const path = optionalString(args, 'out') ?? prepared.fileName;
      const { rows } = await prepared.write(createWriteStream(path, { mode: 0o600 }));
      io.out(
        `${rows} ${rows === 1 ? 'row' : 'rows'} written to ${path} (${format.toUpperCase()}, ${prepared.lang})`,
      );
      return EXIT.ok;
    });
  },
};
