// Runs expireDormantMandates for every organization once at start and then
// daily, in the server process (main.ts starts it, stop() on shutdown). The
// list of organizations is a center read; each organization's expiry is its
// own tenant units of work (db.forOrg), so row-level security binds them as it
// binds a request. An organization that fails is logged and retried at the next
// run; the others go on. Two server processes on one PostgreSQL may both run
// it: the rows are locked and re-checked (status = 'active'), so a mandate
// expires once.
import type { Database } from '../../db/database.ts';
import { utcDate } from './commitments.service.ts';
import { expireDormantMandates } from './mandate-lifecycle.service.ts';

export const MANDATE_EXPIRY_INTERVAL_MS = 24 * 60 * 60 * 1000;

export type MandateExpiryLogger = {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
};

export type MandateExpiryRun = {
  today: string;
  organizations: number;
  expired: number;
  failedOrganizations: number;
};

export type MandateExpiryScheduler = {
  /** One pass over every organization now (the timer calls it; tests and tools may too). */
  runOnce(): Promise<MandateExpiryRun>;
  /** Stops the timer and waits for a pass in progress, so the database can close after it. */
  stop(): Promise<void>;
};

export function startMandateExpiry(options: {
  db: Database;
  logger: MandateExpiryLogger;
  /** The clock: its UTC date is the day mandates are checked against. */
  now?: () => Date;
  intervalMs?: number;
  /** Called after each scheduled pass (tests wait on it). */
  onRun?: (run: MandateExpiryRun) => void;
}): MandateExpiryScheduler {
  const { db, logger } = options;
  const now = options.now ?? (() => new Date());
  let running: Promise<MandateExpiryRun> | undefined;
  let stopped = false;

  async function pass(): Promise<MandateExpiryRun> {
    const today = utcDate(now());
    const organizations = await db.asCenter((tx) =>
      tx.selectFrom('organizations').select('id').orderBy('id').execute(),
    );
    const run: MandateExpiryRun = {
      today,
      organizations: organizations.length,
      expired: 0,
      failedOrganizations: 0,
    };
    for (const { id: orgId } of organizations) {
      if (stopped) break;
      try {
        const expired = await expireDormantMandates({ db, orgId, today });
        run.expired += expired.length;
        if (expired.length > 0) logger.info({ orgId, today, expired: expired.length }, 'mandates expired');
      } catch (error) {
        run.failedOrganizations += 1;
        logger.error({ orgId, today, err: (error as Error).message }, 'mandate expiry failed');
      }
    }
    return run;
  }

  function runOnce(): Promise<MandateExpiryRun> {
    // A pass still running (a slow first one) is joined, not doubled.
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  }

  function scheduled() {
    if (stopped) return;
    runOnce().then(
      (run) => options.onRun?.(run),
      (error) =>
        logger.error({ err: (error as Error).message }, 'mandate expiry could not list organizations'),
    );
  }

  scheduled();
  const timer = setInterval(scheduled, options.intervalMs ?? MANDATE_EXPIRY_INTERVAL_MS);
  timer.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
