import { loadConfig } from '../../config.ts';
import { createOrganization } from '../../modules/organizations/organizations.service.ts';
import { type Command, EXIT, optionalString, requireString, UsageError } from '../command.ts';
import { DATA_HELP, DATA_OPTION, withDatabase } from '../database-options.ts';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export const orgCreateCommand: Command = {
  path: ['org', 'create'],
  summary: 'Create a client organization',
  help: `Usage: centralino org create --slug SLUG --name NAME [--time-zone TZ] [--locale it|en] [--data DIR]

Options:
  --slug SLUG      short name used in URLs and commands: a-z, 0-9 and dashes
  --name NAME      the organization's name
  --time-zone TZ   IANA time zone for calling windows and reports (default Europe/Rome)
  --locale it|en   language of its reports (default it)
${DATA_HELP}`,
  options: {
    ...DATA_OPTION,
    slug: { type: 'string' },
    name: { type: 'string' },
    'time-zone': { type: 'string' },
    locale: { type: 'string' },
  },
  async run(args, io) {
    const slug = requireString(args, 'slug');
    const name = requireString(args, 'name');
    if (!SLUG.test(slug))
      throw new UsageError('--slug may contain only a-z, 0-9 and dashes (not at the ends)');
    const locale = optionalString(args, 'locale');
    if (locale !== undefined && locale !== 'it' && locale !== 'en')
      throw new UsageError('--locale must be it or en');
    const organization = await withDatabase(args, loadConfig(io.env), (db) =>
      createOrganization({
        db,
        principal: null,
        slug,
        name,
        timeZone: optionalString(args, 'time-zone'),
        locale,
      }),
    );
    io.out(`Created organization ${organization.slug} (${organization.name}), id ${organization.id}`);
    return EXIT.ok;
  },
};
