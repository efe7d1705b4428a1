// Runtime configuration from the environment (and CLI flags, which win).
// Every variable is listed in the README's configuration table.
export type Config = {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  logLevel: string;
  /** 'auto' sets Secure on cookies when the request arrived over HTTPS. */
  cookieSecure: 'auto' | boolean;
  trustProxy: boolean;
  sessionTtlHours: number;
  loginMaxFailures: number;
  loginLockoutMinutes: number;
  loginRateLimitPerMinute: number;
  bodyLimitBytes: number;
  /** Largest file an import upload may send. */
  importLimitBytes: number;
  /** Key for secrets at rest (IBANs); when unset, one is kept in the data folder. */
  secretKey: string | undefined;
  /**
   * The live center: `simulated` (the simulated gateway at an accelerated clock), `off`, or
   * `auto` (unset: simulated on the demo data, off otherwise).
   */
  live: 'auto' | 'off' | 'simulated';
  /** Simulated seconds per real second of the simulated live center. */
  liveSpeed: number;
  liveSeed: number;
  /** Mean calls per hour on each configured number (simulated live center). */
  liveCallsPerHour: number;
};

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    host: env.HOST ?? '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0, 65535),
    dataDir: env.CENTRALINO_DATA ?? './data',
    databaseUrl: env.DATABASE_URL || undefined,
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 500),
    logLevel: env.LOG_LEVEL ?? 'info',
    cookieSecure: cookieSecure(env.CENTRALINO_COOKIE_SECURE),
    trustProxy: env.CENTRALINO_TRUST_PROXY === 'true',
    sessionTtlHours: integer(env, 'CENTRALINO_SESSION_TTL_HOURS', 12, 1, 24 * 30),
    loginMaxFailures: integer(env, 'CENTRALINO_LOGIN_MAX_FAILURES', 5, 1, 100),
    loginLockoutMinutes: integer(env, 'CENTRALINO_LOGIN_LOCKOUT_MINUTES', 15, 1, 24 * 60),
    loginRateLimitPerMinute: integer(env, 'CENTRALINO_LOGIN_RATE_LIMIT', 10, 1, 10_000),
    bodyLimitBytes: integer(env, 'CENTRALINO_BODY_LIMIT_BYTES', 1_048_576, 1024, 1024 ** 3),
    importLimitBytes: integer(env, 'CENTRALINO_IMPORT_LIMIT_BYTES', 1024 ** 3, 1024, 16 * 1024 ** 3),
    secretKey: env.CENTRALINO_SECRET_KEY || undefined,
    live: liveMode(env.CENTRALINO_LIVE),
    liveSpeed: integer(env, 'CENTRALINO_LIVE_SPEED', 10, 1, 3600),
    liveSeed: integer(env, 'CENTRALINO_LIVE_SEED', 1, 0, 2 ** 31 - 1),
    liveCallsPerHour: integer(env, 'CENTRALINO_LIVE_CALLS_PER_HOUR', 30, 0, 100_000),
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
  }
  return value;
}

function cookieSecure(raw: string | undefined): 'auto' | boolean {
  if (raw === undefined || raw === '' || raw === 'auto') return 'auto';
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new ConfigError(`CENTRALINO_COOKIE_SECURE must be auto, true or false (got "${raw}")`);
}

function liveMode(raw: string | undefined): 'auto' | 'off' | 'simulated' {
  if (raw === undefined || raw === '' || raw === 'auto') return 'auto';
  if (raw === 'off') return 'off';
  if (raw === 'simulated') return 'simulated';
  throw new ConfigError(`CENTRALINO_LIVE must be auto, off or simulated (got "${raw}")`);
}
