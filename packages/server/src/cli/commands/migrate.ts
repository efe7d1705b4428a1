import { loadConfig } from '../../config.ts';
import { type Command, EXIT } from '../command.ts';
import { DATA_HELP, DATA_OPTION, withDatabase } from '../database-options.ts';

export const migrateCommand: Command = {
  path: ['migrate'],
  summary: 'Apply pending database migrations',
  help: `Usage: centralino migrate [--data DIR]

Applies the migrations this version knows and the database lacks. Safe to run
again: applied migrations are recorded and skipped. (\`start\` migrates too.)

Options:
${DATA_HELP}`,
  options: { ...DATA_OPTION },
  async run(args, io) {
    const config = loadConfig(io.env);
    await withDatabase(args, config, async (db) => {
      const report = db.migrationReport!;
      for (const name of report.applied) io.out(`applied ${name}`);
      io.out(
        report.applied.length
          ? `${report.applied.length} migration(s) applied to ${db.location}; database is up to date`
          : `Database ${db.location} is up to date (${report.alreadyApplied} migrations applied earlier)`,
      );
    });
    return EXIT.ok;
  },
};
