// Workforce planning over HTTP: the same engine functions as the CLI, for
// planners and admins. Heavy work runs in worker threads (wfm.runner.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProblemResponses } from '../../http/schemas.ts';
import { toAppError } from './wfm.errors.ts';
import type { PlanningRunner } from './wfm.runner.ts';

const PLANNERS = ['admin', 'planner'] as const;

const Requirements = Type.Object(
  {
    start: Type.String({ description: 'ISO 8601 UTC instant of the first interval' }),
    intervalMinutes: Type.Union([Type.Literal(15), Type.Literal(30)]),
    requiredAgents: Type.Array(Type.Number({ minimum: 0 }), { minItems: 1, maxItems: 5000 }),
  },
  { additionalProperties: false },
);

const ScheduleRequest = Type.Object(
  {
    requirements: Requirements,
    templates: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
      minItems: 1,
      maxItems: 500,
      description: 'Shift templates; see the README (centralino schedule) for their fields',
    }),
    limits: Type.Optional(Type.Record(Type.String(), Type.Number())),
    cyclic: Type.Optional(Type.Boolean()),
    underCoveragePenaltyCents: Type.Optional(Type.Integer({ minimum: 0 })),
    timeLimitSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 120 })),
    mipGap: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);

export function wfmRoutes(runner: PlanningRunner): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/wfm/schedule',
      {
        config: { access: { roles: PLANNERS } },
        schema: {
          tags: ['workforce planning'],
          summary:
            'Shifts that cover the required agents per interval at least cost (HiGHS), with LP bound and gap',
          body: ScheduleRequest,
          response: {
            200: Type.Record(Type.String(), Type.Unknown(), {
              description: 'ScheduleResult, see the README',
            }),
            422: Type.Ref('Problem'),
            ...ProblemResponses,
          },
        },
      },
      async (request) => {
        try {
          return (await runner.run({ kind: 'schedule', options: request.body as never })) as Record<
            string,
            unknown
          >;
        } catch (error) {
          throw toAppError(error, 'body');
        }
      },
    );
  };
}
