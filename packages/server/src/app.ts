// buildApp(): the whole HTTP API as a Fastify instance, ready for inject() in
// tests or for main.ts to listen. It never opens a port itself.
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { registerAccessControl } from './http/access.ts';
import { registerErrorHandling } from './http/errors.ts';
import { Problem } from './http/schemas.ts';
import { createSchemaController } from './http/validation.ts';
import { registerWebApp } from './http/web-app.ts';
import type { LiveRuntime } from './live/runtime.ts';
import { apiKeyRoutes } from './modules/api-keys/api-keys.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { type Authenticator, createAuthenticator } from './modules/auth/auth.service.ts';
import { campaignRoutes } from './modules/campaigns/campaigns.routes.ts';
import { contactCenterRoutes } from './modules/contact-center/contact-center.routes.ts';
import { dedupeRoutes } from './modules/dedupe/dedupe.routes.ts';
import { exportRoutes } from './modules/exports/exports.routes.ts';
import { givingRoutes } from './modules/giving/giving.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { importRoutes } from './modules/imports/imports.routes.ts';
import { kpiRoutes } from './modules/kpis/kpis.routes.ts';
import { centerClockRoutes } from './modules/operators/center-clock.routes.ts';
import { operatorCallbacksRoutes } from './modules/operators/operator-callbacks.routes.ts';
import { operatorStatsRoutes } from './modules/operators/operator-stats.routes.ts';
import { operatorRoutes } from './modules/operators/operators.routes.ts';
import { organizationRoutes } from './modules/organizations/organizations.routes.ts';
import { slaRoutes } from './modules/sla/sla.routes.ts';
import { supporterRoutes } from './modules/supporters/supporters.routes.ts';
import { userRoutes } from './modules/users/users.routes.ts';
import { webhookRoutes } from './modules/webhooks/webhooks.routes.ts';
import { wfmRoutes } from './modules/wfm/wfm.routes.ts';
import { createPlanningRunner, type PlanningRunner } from './modules/wfm/wfm.runner.ts';
import type { RealtimeHub } from './realtime/hub.ts';
import { realtimePlugin } from './realtime/realtime.plugin.ts';
import { loadSecretBox, type SecretBox } from './security/secret-box.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
    config: Config;
    auth: Authenticator;
    secrets: SecretBox;
  }
}

export type BuildAppOptions = {
  db: Database;
  config: Config;
  logger: Logger;
  now?: () => Date;
  /** Worker threads for planning jobs; one is created (and closed with the app) when absent. */
  planningRunner?: PlanningRunner;
  /** Encryption of secrets at rest; loaded from the configuration when absent. */
  secrets?: SecretBox;
  /** The built web app to serve at `/` (default packages/web/dist; without one, `/` leads to /api/docs). */
  webDistDir?: string;
  /**
   * The live center (live/runtime.ts), made with the app's realtime hub: started with the
   * app, stopped when it closes; its operator and supervisor API is registered only then.
   */
  liveRuntime?: (deps: { hub: RealtimeHub; secrets: SecretBox }) => LiveRuntime;
};

export const API_VERSION = '0.1.0';

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    schemaController: createSchemaController(),
  }).withTypeProvider<TypeBoxTypeProvider>();

  const auth = createAuthenticator({
    db: options.db,
    settings: config,
    ...(options.now ? { now: options.now } : {}),
  });
  app.decorate('db', options.db);
  app.decorate('config', config);
  app.decorate('auth', auth);
  app.decorate('secrets', options.secrets ?? loadSecretBox(config));

  registerErrorHandling(app);
  app.addSchema(Problem);

  // The cookie parser's onRequest hook must run before the access hook.
  await app.register(cookie);
  registerAccessControl(app, auth);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Centralino API',
        version: API_VERSION,
        description:
          'The API of Centralino, the contact-center platform: the same API the web app uses. ' +
          'Authenticate with a session cookie (POST /api/auth/login, then send x-csrf-token on writes) ' +
          'or with an organization API key (Authorization: Bearer cntr_…). Errors are application/problem+json.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'centralino_session' },
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'An organization API key: cntr_<prefix>_<secret>',
          },
        },
      },
      security: [{ session: [] }, { apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  // First, so that every module can publish through app.realtime.
  await app.register(realtimePlugin, options.now ? { now: options.now } : {});
  // "Today" for the operator's statistics: the live runtime's clock (simulated in the demo), else the app's.
  let statsNow = () => (options.now?.() ?? new Date()).getTime();
  // An admin's disposition change reaches the live runtime's offers at once, and so does a
  // change of queues, numbers, IVR flows or operators its routing (live/runtime-reload.ts).
  let reloadDispositions = async () => {};
  let reloadConfiguration = async () => {};
  if (options.liveRuntime) {
    const runtime = options.liveRuntime({ hub: app.realtime, secrets: app.secrets });
    await runtime.start();
    app.addHook('onClose', () => runtime.stop());
    await app.register(operatorRoutes(runtime));
    statsNow = () => runtime.now();
    reloadDispositions = () => runtime.reloadDispositions();
    // The change is committed: a failed reload is logged, never the request's error.
    reloadConfiguration = () =>
      runtime.reloadConfiguration().catch((error: unknown) => {
        app.log.error({ err: error }, 'live configuration reload failed');
      });
  }
  await app.register(operatorStatsRoutes({ now: statsNow }));
  await app.register(operatorCallbacksRoutes);
  await app.register(centerClockRoutes({ now: statsNow, live: options.liveRuntime !== undefined }));
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(organizationRoutes);
  await app.register(userRoutes, { onUsersChanged: () => reloadConfiguration() });
  await app.register(apiKeyRoutes);
  await app.register(auditRoutes);
  await app.register(importRoutes);
  await app.register(exportRoutes);
  await app.register(givingRoutes);
  await app.register(supporterRoutes);
  await app.register(dedupeRoutes);
  await app.register(webhookRoutes);
  await app.register(kpiRoutes);
  await app.register(slaRoutes);
  await app.register(contactCenterRoutes, {
    onDispositionsChanged: () => reloadDispositions(),
    onConfigurationChanged: () => reloadConfiguration(),
  });
  // The call list is refreshed and its progress counted on the center's clock, as the dialer does.
  await app.register(campaignRoutes, { now: statsNow });
  const planningRunner = options.planningRunner ?? createPlanningRunner({ concurrency: 1 });
  if (!options.planningRunner) app.addHook('onClose', () => planningRunner.close());
  await app.register(wfmRoutes(planningRunner));

  await registerWebApp(app, options.webDistDir);
  return app;
}
