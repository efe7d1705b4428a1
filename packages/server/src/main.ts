// Starts the HTTP server: open the database (migrating it), optionally seed
// the demo, listen, start the webhook dispatcher, and shut down gracefully on
// SIGINT/SIGTERM: stop taking requests, let those in flight finish, stop the
// dispatcher and the daily mandate expiry, close the database, release the lock.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { type Database, openDatabase } from './db/database.ts';
import { keepStatistics } from './db/statistics.ts';
import { demoLiveTraffic } from './demo/live-demo.ts';
import { DEMO_PASSWORD, demoUsers, isDemoDatabase, seedDemo } from './demo/seed.ts';
import { createLogger } from './http/logger.ts';
import { createSimulatedCenter } from './live/simulated-center.ts';
import {
  type MandateExpiryScheduler,
  startMandateExpiry,
} from './modules/giving/mandate-expiry.scheduler.ts';
import { createWebhookDispatcher, type WebhookDispatcher } from './modules/webhooks/webhooks.dispatcher.ts';
import { loadSecretBox } from './security/secret-box.ts';

export type StartOptions = { config: Config; demo: boolean; print: (line: string) => void; logger?: Logger };
export type RunningServer = {
  app: FastifyInstance;
  db: Database;
  url: string;
  /** Sends webhooks from the outbox in the background until stop(). */
  webhooks: WebhookDispatcher;
  stop: () => Promise<void>;
};

const SHUTDOWN_TIMEOUT_MS = 10_000;

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config, print } = options;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
  });
  let app: FastifyInstance | undefined;
  let webhooks: WebhookDispatcher | undefined;
  let mandateExpiry: MandateExpiryScheduler | undefined;
  try {
    const applied = db.migrationReport?.applied ?? [];
    if (applied.length) logger.info({ migrations: applied }, 'database migrated');
    const secrets = loadSecretBox(config);
    const seeded = options.demo ? await seedDemo({ db, secrets }) : false;
    // The demo (--demo, or a data folder that holds it) runs live unless CENTRALINO_LIVE=off;
    // any other database only with CENTRALINO_LIVE=simulated.
    const demoData = options.demo || (config.live !== 'off' && (await isDemoDatabase(db)));
    const live =
      config.live === 'simulated' || (config.live === 'auto' && demoData)
        ? await createSimulatedCenter({
            db,
            logger,
            speed: config.liveSpeed,
            seed: config.liveSeed,
            callsPerHour: config.liveCallsPerHour,
            secrets,
            ...(demoData ? { traffic: await demoLiveTraffic({ db }) } : {}),
          })
        : undefined;
    app = await buildApp({ db, config, logger, secrets, ...(live ? { liveRuntime: live.runtime } : {}) });
    if (live) app.addHook('onClose', () => live.close());
    await app.listen({ host: config.host, port: config.port });
    webhooks = createWebhookDispatcher({ db, secrets: app.secrets, logger: app.log });
    webhooks.start();
    const log = app.log;
    const stopStatistics = keepStatistics(db, {
      onError: (error) => log.warn({ err: (error as Error).message }, 'analyze failed'),
    });
    // SEPA mandates unused for 36 months expire (DOMAIN.md §6): at start, then daily.
    mandateExpiry = startMandateExpiry({ db, logger: log });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;

    print(
      `Centralino is running at ${url}  (database: ${db.kind === 'pglite' ? `PGlite in ${db.location}` : db.location})`,
    );
    print(`  API documentation: ${url}/api/docs    health: ${url}/health`);
    if (options.demo) {
      print(seeded ? '  Demo data created. Demo users:' : '  Demo users:');
      for (const user of demoUsers()) {
        print(`    ${user.email.padEnd(34)} ${user.role.padEnd(14)} ${user.organizations}`);
      }
      print(`  Password for every demo user: ${DEMO_PASSWORD}`);
    }
    if (live) {
      const { summary } = live;
      const start = new Date(summary.clockStart).toLocaleString('en-GB', {
        timeZone: 'Europe/Rome',
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        hour: '2-digit',
        minute: '2-digit',
      });
      print(
        `  Live center: simulated gateway at ${config.liveSpeed}× (simulated time from ${start}, Rome), ` +
          `${summary.numbers} numbers with callers, ${summary.simulatedOperators} simulated operators, ` +
          `${summary.people} seats for people (operator API under /api/operator). CENTRALINO_LIVE=off turns it off.`,
      );
    }
    print('  Press Ctrl+C to stop.');

    const server = app;
    const dispatcher = webhooks;
    const expiry = mandateExpiry;
    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        const timer = setTimeout(() => {
          logger.error('shutdown timed out; exiting');
          process.exit(1);
        }, SHUTDOWN_TIMEOUT_MS);
        timer.unref();
        try {
          await server.close();
          // Attempts in flight are interrupted and handed back before the database closes.
          await dispatcher.stop();
          await expiry.stop();
          stopStatistics();
        } finally {
          await db.close();
          clearTimeout(timer);
        }
      })();
      return stopping;
    };
    return { app: server, db, url, webhooks: dispatcher, stop };
  } catch (error) {
    await webhooks?.stop();
    await mandateExpiry?.stop();
    await app?.close();
    await db.close();
    throw error;
  }
}

/** Wires SIGINT/SIGTERM to a graceful stop; a second signal exits at once. */
export function stopOnSignals(server: RunningServer, print: (line: string) => void) {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(1);
    signalled = true;
    print(`\n${signal} received: finishing requests in flight and closing the database…`);
    server.stop().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
