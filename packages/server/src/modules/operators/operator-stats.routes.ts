// GET /api/operator/stats: the signed-in operator's own statistics of the day
// (operator-stats.service.ts), for the operator desktop. A supervisor or an
// admin may ask for an operator with `userId`, over the organizations they
// themselves may see. Registered whether or not the live center runs: the
// figures are read from what was recorded. "Today" is the live runtime's clock
// when it runs (simulated time in the demo), else the app's.
import { localDateOf } from '@centralino/engine';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../http/access.ts';
import { AppError } from '../../http/errors.ts';
import { ProblemResponses } from '../../http/schemas.ts';
import { authErrors } from '../auth/auth.errors.ts';
import { KpiFigure } from '../kpis/kpis.schemas.ts';
import { OPERATOR_STATS_TIME_ZONE, operatorDayStats } from './operator-stats.service.ts';

const STATS_READERS = ['operator', 'supervisor', 'admin'] as const;
const MAY_ASK_FOR_OTHERS = new Set(['supervisor', 'admin']);

const Figures = (ids: readonly string[]) =>
  Type.Object(Object.fromEntries(ids.map((id) => [id, KpiFigure])) as Record<string, typeof KpiFigure>);

export const OperatorStatsQuery = Type.Object(
  {
    date: Type.Optional(
      Type.String({
        format: 'date',
        description: 'Local day in Europe/Rome (default today)',
        examples: ['2026-03-02'],
      }),
    ),
    userId: Type.Optional(
      Type.String({ format: 'uuid', description: 'Supervisors and admins: the operator to look at' }),
    ),
  },
  { additionalProperties: false },
);

export const OperatorStats = Type.Object({
  userId: Type.String(),
  date: Type.String(),
  timeZone: Type.String(),
  from: Type.String({ description: 'Start of the local day (inclusive)' }),
  to: Type.String({ description: 'End of the local day (exclusive)' }),
  asOf: Type.String({ description: 'State time is counted up to here (now, or the end of a past day)' }),
  organizationIds: Type.Array(Type.String()),
  figures: Figures(['handled', 'aht', 'average_talk', 'average_hold', 'average_wrap', 'occupancy']),
  byDirection: Type.Object({
    inbound: Figures(['handled', 'aht']),
    outbound: Figures(['handled', 'aht']),
  }),
  outcomes: Type.Array(
    Type.Object({
      code: Type.String(),
      labelIt: Type.String(),
      labelEn: Type.String(),
      effect: Type.Union([Type.String(), Type.Null()]),
      successful: Type.Union([Type.Boolean(), Type.Null()]),
      count: Type.Integer(),
    }),
  ),
  states: Type.Array(
    Type.Object({
      state: Type.String(),
      reason: Type.Union([Type.String(), Type.Null()]),
      seconds: Type.Number(),
    }),
  ),
  statesDefinition: Type.String(),
});

export function operatorStatsRoutes(options: { now: () => number }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/operator/stats',
      {
        config: { access: { roles: STATS_READERS } },
        schema: {
          tags: ['live center'],
          summary:
            "The operator's own statistics of the day: contacts handled, handle times, outcomes, states",
          description:
            'Contacts the operator handled on the local day (Europe/Rome) in the organizations the caller may see, ' +
            'counted as the KPI API counts them (DOMAIN.md §2–§3: handled = answered and ended, any direction; ' +
            'AHT = Σ (talk + hold + wrap) / handled; occupancy = (busy + wrap-up) / (busy + wrap-up + available + ringing)), ' +
            'each figure with its definition; a figure without a denominator is null with its reason. ' +
            'Outcomes: the dispositions recorded. States: time in each state of the agent-state log.',
          querystring: OperatorStatsQuery,
          response: { 200: OperatorStats, ...ProblemResponses },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        // STATS_READERS has no integration role: every caller here is a user.
        if (principal.kind !== 'user') throw authErrors.forbidden();
        const wanted = request.query.userId ?? principal.userId;
        if (wanted !== principal.userId && !MAY_ASK_FOR_OTHERS.has(principal.role))
          throw new AppError(
            'OPERATOR_STATS_OTHERS_FORBIDDEN',
            403,
            "Only supervisors and admins may see another operator's statistics",
            [{ field: 'querystring.userId', message: 'not your own account' }],
          );
        const orgIds = principal.allOrganizations
          ? await app.db.asCenter((tx) =>
              tx
                .selectFrom('user_organizations')
                .select('org_id')
                .where('user_id', '=', wanted)
                .execute()
                .then((rows) => rows.map((row) => row.org_id)),
            )
          : principal.orgIds;
        const nowMs = options.now();
        return operatorDayStats({
          db: app.db,
          userId: wanted,
          orgIds,
          date: request.query.date ?? localDateOf(nowMs, OPERATOR_STATS_TIME_ZONE),
          nowMs,
        });
      },
    );
  };
}
