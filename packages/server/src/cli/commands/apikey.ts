import { loadConfig } from '../../config.ts';
import { createApiKey } from '../../modules/api-keys/api-keys.service.ts';
import { findOrganizationBySlug } from '../../modules/organizations/organizations.service.ts';
import { type Command, EXIT, requireString, UsageError } from '../command.ts';
import { DATA_HELP, DATA_OPTION, withDatabase } from '../database-options.ts';

export const apiKeyCreateCommand: Command = {
  path: ['apikey', 'create'],
  summary: "Create an API key for an organization's integration",
  help: `Usage: centralino apikey create --org SLUG --name NAME [--data DIR]

Prints the key once: store it in the integration's secret store now. Centralino
keeps only its hash; revoke it through the API when it is no longer needed.

Options:
  --org SLUG    the organization the key acts for
  --name NAME   what the key is for, e.g. "CRM nightly sync"
${DATA_HELP}`,
  options: { ...DATA_OPTION, org: { type: 'string' }, name: { type: 'string' } },
  async run(args, io) {
    const slug = requireString(args, 'org');
    const name = requireString(args, 'name');
    if (name.length > 100) throw new UsageError('--name must be at most 100 characters');
    const created = await withDatabase(args, loadConfig(io.env), async (db) => {
      const organization = await findOrganizationBySlug({ db, slug });
      if (!organization) throw new Error(`no organization with slug "${slug}"`);
      return createApiKey({ db, principal: null, orgId: organization.id, name });
    });
    io.out(`API key "${created.name}" for ${slug} (prefix ${created.prefix}). Shown only now:`);
    io.out(created.key);
    return EXIT.ok;
  },
};
