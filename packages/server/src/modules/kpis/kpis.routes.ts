// KPI reports over HTTP (issue 7): figures per interval, local day or month
// with their definitions, the interactions behind any figure, and the
// organization's counting settings.
//
// Readers: admin, supervisor, planner, quality and the client's viewer (their
// own organization only: the access hook and row-level security). Not
// operators: the figures rank their colleagues and the center's contract with
// the client. Not API keys (integration) for now: the issue asks for people's
// roles; a client's BI pulling KPIs can be added with its own review.
import { countingSettingsOf, type KpiSettings, sameCountingSettings } from '@centralino/engine';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { OrgParams, ProblemResponses, Uuid } from '../../http/schemas.ts';
import { listKpiInteractions } from './kpi-drilldown.service.ts';
import { kpiReport, parsePeriod } from './kpi-report.service.ts';
import { rebuildKpiRollups } from './kpi-rollups.service.ts';
import { loadKpiSettings, saveKpiSettings } from './kpi-settings.service.ts';
import {
  KPI_READERS,
  KPI_SETTINGS_WRITERS,
  KpiFilterQuery,
  KpiInteractionPage,
  KpiReport,
  KpiSettingsBody,
  KpiSettings as KpiSettingsSchema,
  PeriodQuery,
} from './kpis.schemas.ts';

export const kpiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/organizations/:orgId/kpis',
    {
      config: { access: { roles: KPI_READERS } },
      schema: {
        tags: ['kpis'],
        summary: 'KPI figures of a period per interval, local day or local month, each with its definition',
        params: OrgParams,
        querystring: Type.Object(
          {
            ...PeriodQuery,
            group: Type.Union([Type.Literal('interval'), Type.Literal('day'), Type.Literal('month')], {
              default: 'day',
            }),
            ...KpiFilterQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: KpiReport, ...ProblemResponses },
      },
    },
    async (request) => {
      const { from, to, group, ...filter } = request.query;
      return kpiReport({ db: app.db, orgId: request.params.orgId, ...parsePeriod(from, to), group, filter });
    },
  );

  app.get(
    '/api/organizations/:orgId/kpis/:kpiId/interactions',
    {
      config: { access: { roles: KPI_READERS } },
      schema: {
        tags: ['kpis'],
        summary: 'The interactions behind a figure: its numerator and denominator (cursor pagination)',
        params: Type.Object(
          { orgId: Uuid, kpiId: Type.String({ pattern: '^[a-z_]{1,40}$' }) },
          { additionalProperties: false },
        ),
        querystring: Type.Object(
          {
            ...PeriodQuery,
            ...KpiFilterQuery,
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
            cursor: Type.Optional(
              Type.String({ maxLength: 200, description: 'nextCursor of the previous page' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: KpiInteractionPage, ...ProblemResponses },
      },
    },
    async (request) => {
      const { from, to, limit, cursor, ...filter } = request.query;
      return listKpiInteractions({
        db: app.db,
        orgId: request.params.orgId,
        kpi: request.params.kpiId,
        ...parsePeriod(from, to),
        filter,
        limit,
        cursor,
      });
    },
  );

  app.get(
    '/api/organizations/:orgId/kpi-settings',
    {
      config: { access: { roles: KPI_READERS } },
      schema: {
        tags: ['kpis'],
        summary: 'The counting settings of the KPIs (defaults filled in)',
        params: OrgParams,
        response: { 200: KpiSettingsSchema, ...ProblemResponses },
      },
    },
    async (request) =>
      app.db.readForOrg(request.params.orgId, (tx) => loadKpiSettings(tx, request.params.orgId)),
  );

  app.put(
    '/api/organizations/:orgId/kpi-settings',
    {
      config: { access: { roles: KPI_SETTINGS_WRITERS } },
      schema: {
        tags: ['kpis'],
        summary:
          'Change the counting settings; a change to what counters count (T, short abandons, FCR window…) rebuilds the rollups',
        params: OrgParams,
        body: KpiSettingsBody,
        response: { 200: KpiSettingsSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const { orgId } = request.params;
      return app.db.forOrg(orgId, async (tx) => {
        const before = await loadKpiSettings(tx, orgId);
        const after = await saveKpiSettings(tx, orgId, request.body as Partial<KpiSettings>);
        if (!sameCountingSettings(countingSettingsOf(before), countingSettingsOf(after))) {
          await rebuildKpiRollups(tx, { orgId, fromMs: 0, toMs: null, settings: after });
        }
        return after;
      });
    },
  );
};
