// How CLI commands find the database: --data, else the environment.
import type { Config } from '../config.ts';
import { type Database, openDatabase } from '../db/database.ts';
import type { ParsedArgs } from './command.ts';

export const DATA_OPTION = { data: { type: 'string' } } as const;
export const DATA_HELP = `  --data DIR       PGlite data folder (default: $CENTRALINO_DATA or ./data);
                   ignored when DATABASE_URL is set`;

export async function openCliDatabase(args: ParsedArgs, config: Config): Promise<Database> {
  const dataDir = typeof args.values.data === 'string' ? args.values.data : config.dataDir;
  return openDatabase({ databaseUrl: config.databaseUrl, dataDir, poolSize: 2 });
}

export async function withDatabase<T>(args: ParsedArgs, config: Config, work: (db: Database) => Promise<T>) {
  const db = await openCliDatabase(args, config);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}
