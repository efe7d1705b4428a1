import { loadConfig } from '../../config.ts';
import { USER_ROLES, type UserRole } from '../../db/schema.ts';
import { findOrganizationBySlug } from '../../modules/organizations/organizations.service.ts';
import { createUser } from '../../modules/users/users.service.ts';
import { type Command, EXIT, optionalString, requireString, UsageError } from '../command.ts';
import { DATA_HELP, DATA_OPTION, withDatabase } from '../database-options.ts';

export const userCreateCommand: Command = {
  path: ['user', 'create'],
  summary: 'Create a user account (password read from standard input)',
  help: `Usage: centralino user create --email EMAIL --role ROLE [--org SLUG]... --password-stdin [--name NAME] [--data DIR]

Roles: ${USER_ROLES.join(', ')}.
An admin works for every organization. Other center staff work for the
organizations given with --org (repeat it); a client_viewer belongs to exactly one.

Options:
  --email EMAIL      sign-in e-mail
  --role ROLE        one of the roles above
  --org SLUG         organization (repeatable)
  --password-stdin   read the password from standard input (at least 10 characters);
                     never pass passwords as arguments: they show in process lists
  --name NAME        display name
${DATA_HELP}

Example:
  printf '%s' "$PASSWORD" | centralino user create --email ada@example.org --role supervisor --org my-charity --password-stdin`,
  options: {
    ...DATA_OPTION,
    email: { type: 'string' },
    role: { type: 'string' },
    org: { type: 'string', multiple: true },
    'password-stdin': { type: 'boolean' },
    name: { type: 'string' },
  },
  async run(args, io) {
    const email = requireString(args, 'email');
    const role = requireString(args, 'role');
    if (!USER_ROLES.includes(role as UserRole))
      throw new UsageError(`--role must be one of ${USER_ROLES.join(', ')}`);
    if (args.values['password-stdin'] !== true) {
      throw new UsageError('--password-stdin is required: pipe the password into the command');
    }
    const password = (await io.readStdin()).replace(/\r?\n$/, '');
    if (password === '') throw new UsageError('no password on standard input');
    const slugs = (args.values.org as string[] | undefined) ?? [];
    const user = await withDatabase(args, loadConfig(io.env), async (db) => {
      const organizationIds: string[] = [];
      for (const slug of slugs) {
        const organization = await findOrganizationBySlug({ db, slug });
        if (!organization) throw new Error(`no organization with slug "${slug}"`);
        organizationIds.push(organization.id);
      }
      return createUser({
        db,
        principal: null,
        email,
        role: role as UserRole,
        password,
        displayName: optionalString(args, 'name'),
        organizationIds,
      });
    });
    io.out(`Created user ${user.email} (${user.role}), id ${user.id}`);
    return EXIT.ok;
  },
};
