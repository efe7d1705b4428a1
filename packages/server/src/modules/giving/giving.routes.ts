// Regular gifts, mandates, gifts and donor metrics: one plugin for app.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { commitmentRoutes } from './commitments.routes.ts';
import { donorMetricsRoutes } from './donor-metrics.routes.ts';
import { giftRoutes } from './gifts.routes.ts';
import { mandateRoutes } from './mandates.routes.ts';

export const givingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(commitmentRoutes);
  await app.register(mandateRoutes);
  await app.register(giftRoutes);
  await app.register(donorMetricsRoutes);
};
