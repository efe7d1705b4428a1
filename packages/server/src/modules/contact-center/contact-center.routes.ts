// The contact center's configuration API: per organization under
// /api/organizations/:orgId (skills, queues, numbers, IVR flows, calling
// windows, dispositions), center-wide skills under /api/skills and operators'
// routing profiles under /api/operators/:userId. Every write is audited; a
// write the live center routes by is handed to it at once (onConfigurationChanged).
// This plugin only wires the routes: each resource has its module
// (<resource>.routes.ts), registered here in the order of the API document.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { registerCallingWindowRoutes } from './calling-windows.routes.ts';
import { Queue } from './contact-center.schemas.ts';
import { registerDispositionRoutes } from './dispositions.routes.ts';
import { registerIvrFlowRoutes } from './ivr-flows.routes.ts';
import { registerNumberRoutes } from './numbers.routes.ts';
import { registerOperatorRoutes } from './operators.routes.ts';
import { registerQueueRoutes } from './queues.routes.ts';
import type { ContactCenterRouteContext } from './routes-common.ts';
import { registerSkillRoutes } from './skills.routes.ts';

export type ContactCenterRoutesOptions = {
  /** Called after a disposition is created, changed or deleted: the live runtime reads them again. */
  onDispositionsChanged?: () => Promise<void>;
  /**
   * Called after a queue, number, IVR flow or an operator's skills or profile is
   * created, changed or deleted: the live runtime reads its configuration again.
   * Never rejects (the change is committed; a failed reload is the runtime's to log).
   */
  onConfigurationChanged?: () => Promise<void>;
};

export const contactCenterRoutes: FastifyPluginAsyncTypebox<ContactCenterRoutesOptions> = async (
  app,
  options,
) => {
  app.addSchema(Queue);
  const context: ContactCenterRouteContext = {
    org: '/api/organizations/:orgId',
    configurationChanged: async () => {
      await options.onConfigurationChanged?.();
    },
    dispositionsChanged: async () => {
      await options.onDispositionsChanged?.();
    },
    queueRef: Type.Ref('Queue'),
  };
  registerSkillRoutes(app, context);
  registerOperatorRoutes(app, context);
  registerQueueRoutes(app, context);
  registerNumberRoutes(app, context);
  registerIvrFlowRoutes(app, context);
  registerCallingWindowRoutes(app, context);
  registerDispositionRoutes(app, context);
};
