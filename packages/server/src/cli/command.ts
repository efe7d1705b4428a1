// The shape of a `centralino` sub-command, and the errors that decide its exit code.
import type { ParseArgsConfig } from 'node:util';

export type CliIo = {
  out: (line: string) => void;
  err: (line: string) => void;
  readStdin: () => Promise<string>;
  env: NodeJS.ProcessEnv;
};

export type ParsedArgs = {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
};

export type Command = {
  /** Words after `centralino`, e.g. ['org', 'create']. */
  path: readonly string[];
  summary: string;
  /** Usage lines and option descriptions printed by --help. */
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Accepts arguments that are not options (`centralino import supporters FILE`). */
  positionals?: boolean;
  run: (args: ParsedArgs, io: CliIo) => Promise<number>;
};

/** Wrong invocation: exit code 2. */
export class UsageError extends Error {}

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export function requireString(args: ParsedArgs, name: string): string {
  const value = args.values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value;
}

export function optionalString(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}
