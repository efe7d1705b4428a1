import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProblemResponses, Uuid } from '../../http/schemas.ts';
import { GIVING_READERS } from './commitments.routes.ts';
import { utcDate } from './commitments.service.ts';
import { donorMetricsReport, listSegment, SEGMENTS } from './donor-metrics.service.ts';
import { NextCursor, PageQuery } from './giving.schemas.ts';

const Year = Type.Integer({
  minimum: 1900,
  maximum: 9999,
  description: 'Calendar year; default the current one (counted to today)',
});
const Ratio = Type.Union([Type.Number(), Type.Null()]);
const Count = Type.Integer({ minimum: 0 });

export const donorMetricsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/organizations/:orgId/donor-metrics',
    {
      config: { access: { roles: GIVING_READERS } },
      schema: {
        tags: ['donor-metrics'],
        summary:
          'Retention vs the previous year, attrition, lifespan, lifetime value, LYBUNT/SYBUNT/lapsed counts',
        params: Type.Object({ orgId: Uuid }, { additionalProperties: false }),
        querystring: Type.Object({ year: Type.Optional(Year) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            year: Type.Integer(),
            referenceDate: Type.String({ format: 'date' }),
            donors: Count,
            previousDonors: Count,
            retainedDonors: Count,
            retention: Ratio,
            attrition: Ratio,
            expectedLifespanYears: Ratio,
            averageAnnualGiftCents: Ratio,
            lifetimeValueCents: Type.Union([Type.Integer(), Type.Null()]),
            segments: Type.Object({ lybunt: Count, sybunt: Count, lapsed: Count, deepLapsed: Count }),
          }),
          ...ProblemResponses,
        },
      },
    },
    async (request) => {
      const today = utcDate();
      return donorMetricsReport({
        db: app.db,
        orgId: request.params.orgId,
        year: request.query.year ?? Number(today.slice(0, 4)),
        today,
      });
    },
  );

  app.get(
    '/api/organizations/:orgId/donor-metrics/segments/:segment',
    {
      config: { access: { roles: GIVING_READERS } },
      schema: {
        tags: ['donor-metrics'],
        summary:
          'Supporters of a segment (lybunt, sybunt, lapsed, deep_lapsed) for a year, by id (cursor pagination)',
        params: Type.Object(
          { orgId: Uuid, segment: Type.Union(SEGMENTS.map((s) => Type.Literal(s))) },
          { additionalProperties: false },
        ),
        querystring: Type.Object(
          { ...PageQuery, year: Type.Optional(Year) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                supporterId: Uuid,
                firstName: Type.String(),
                lastName: Type.String(),
                lastGiftDate: Type.String({ format: 'date' }),
              }),
            ),
            nextCursor: NextCursor,
          }),
          ...ProblemResponses,
        },
      },
    },
    async (request) => {
      const today = utcDate();
      return listSegment({
        db: app.db,
        orgId: request.params.orgId,
        segment: request.params.segment as (typeof SEGMENTS)[number],
        year: request.query.year ?? Number(today.slice(0, 4)),
        today,
        limit: request.query.limit,
        cursor: request.query.cursor,
      });
    },
  );
};
