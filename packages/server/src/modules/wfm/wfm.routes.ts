// Workforce planning over HTTP: the same engine functions as the CLI, for
// planners and admins. Heavy work runs in worker threads (wfm.runner.ts).

import { dimensionCenter, staffIntervals } from '@centralino/engine';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProblemResponses } from '../../http/schemas.ts';
import { evaluateErlang } from './erlang.service.ts';
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

const Seconds = Type.Number({ minimum: 0 });
const Share = Type.Number({ minimum: 0, maximum: 1 });
const TrafficProperties = {
  calls: Type.Optional(Type.Number({ minimum: 0, description: 'Contacts offered in the interval' })),
  intervalSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  trafficErlangs: Type.Optional(
    Type.Number({ minimum: 0, description: 'Offered load, instead of calls and interval' }),
  ),
  ahtSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Average handle time' })),
};
const TargetProperties = {
  patienceSeconds: Type.Optional(
    Type.Number({ exclusiveMinimum: 0, description: 'Mean patience: Erlang A' }),
  ),
  thresholdSeconds: Type.Optional(Seconds),
  targetServiceLevel: Type.Optional(Share),
  targetAsaSeconds: Type.Optional(Seconds),
  maxOccupancy: Type.Optional(Share),
  maxAbandonRate: Type.Optional(Share),
  shrinkage: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1 })),
};

const ErlangRequest = Type.Object(
  {
    model: Type.Union([Type.Literal('b'), Type.Literal('c'), Type.Literal('a')]),
    ...TrafficProperties,
    ...TargetProperties,
    agents: Type.Optional(Type.Integer({ minimum: 0 })),
    lines: Type.Optional(Type.Integer({ minimum: 0 })),
    maxBlocking: Type.Optional(Share),
  },
  { additionalProperties: false },
);

const StaffingRequest = Type.Object(
  {
    intervalSeconds: Type.Number({ exclusiveMinimum: 0 }),
    intervals: Type.Array(
      Type.Object(
        {
          start: Type.Optional(Type.String()),
          calls: Type.Number({ minimum: 0 }),
          ahtSeconds: Type.Number({ minimum: 0 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20_000 },
    ),
    ...TargetProperties,
    serviceLevelDefinition: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const AnyResult = Type.Record(Type.String(), Type.Unknown());

const ForecastRequest = Type.Object(
  {
    history: Type.Array(
      Type.Object(
        {
          intervalStart: Type.String({ description: 'ISO 8601 UTC start of the interval' }),
          offered: Type.Number({ minimum: 0 }),
          ahtSeconds: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
          queue: Type.Optional(Type.String({ maxLength: 100 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200_000 },
    ),
    horizonDays: Type.Integer({ minimum: 1, maximum: 366 }),
    intervalMinutes: Type.Optional(Type.Union([Type.Literal(15), Type.Literal(30)])),
    holidays: Type.Optional(
      Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), { maxItems: 400 }),
    ),
    methods: Type.Optional(
      Type.Array(
        Type.Union([
          Type.Literal('seasonal_naive'),
          Type.Literal('weighted_average'),
          Type.Literal('holt_winters'),
        ]),
      ),
    ),
    backtestDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
    weightedWeeks: Type.Optional(Type.Integer({ minimum: 1, maximum: 52 })),
  },
  { additionalProperties: false },
);

export function wfmRoutes(runner: PlanningRunner): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/wfm/erlang',
      {
        config: { access: { roles: PLANNERS } },
        schema: {
          tags: ['workforce planning'],
          summary: 'Erlang B, C or A: measures for a number of agents, or the agents needed for targets',
          body: ErlangRequest,
          response: { 200: AnyResult, 422: Type.Ref('Problem'), ...ProblemResponses },
        },
      },
      async (request) => {
        try {
          return evaluateErlang(request.body);
        } catch (error) {
          throw toAppError(error, 'body');
        }
      },
    );

    app.post(
      '/api/wfm/staffing',
      {
        config: { access: { roles: PLANNERS } },
        schema: {
          tags: ['workforce planning'],
          summary: 'Required and scheduled agents for every interval of a forecast (Erlang C or A)',
          body: StaffingRequest,
          response: { 200: AnyResult, 422: Type.Ref('Problem'), ...ProblemResponses },
        },
      },
      async (request) => {
        try {
          return staffIntervals(request.body as never) as unknown as Record<string, unknown>;
        } catch (error) {
          throw toAppError(error, 'body');
        }
      },
    );

    app.post(
      '/api/wfm/forecast',
      {
        config: { access: { roles: PLANNERS } },
        // History of a year in 15-minute intervals is about 3 MB of JSON.
        bodyLimit: 16 * 1024 * 1024,
        schema: {
          tags: ['workforce planning'],
          summary: 'Forecast contacts and AHT per interval; method chosen per queue by backtest WAPE',
          body: ForecastRequest,
          response: { 200: AnyResult, 422: Type.Ref('Problem'), ...ProblemResponses },
        },
      },
      async (request) => {
        try {
          return (await runner.run({ kind: 'forecast', options: request.body as never })) as Record<
            string,
            unknown
          >;
        } catch (error) {
          throw toAppError(error, 'body');
        }
      },
    );

    app.post(
      '/api/wfm/dimension',
      {
        config: { access: { roles: PLANNERS } },
        schema: {
          tags: ['workforce planning'],
          summary: 'Dimension the center month by month: contacts, attempts, hours, operators, seats',
          body: Type.Record(Type.String(), Type.Unknown(), {
            description: 'A dimensioning plan; see the README',
          }),
          response: { 200: AnyResult, ...ProblemResponses },
        },
      },
      async (request) => {
        try {
          return dimensionCenter(request.body as never) as unknown as Record<string, unknown>;
        } catch (error) {
          throw toAppError(error, 'body');
        }
      },
    );

    app.post(
      '/api/wfm/simulate',
      {
        config: { access: { roles: PLANNERS } },
        bodyLimit: 16 * 1024 * 1024,
        schema: {
          tags: ['workforce planning'],
          summary:
            'Simulate the center over a scenario: the KPIs of the live reports with confidence intervals',
          body: Type.Object(
            {
              scenario: Type.Record(Type.String(), Type.Unknown(), {
                description: 'A scenario; see the README',
              }),
              replications: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
              seed: Type.Optional(Type.Integer()),
              router: Type.Optional(
                Type.Union([Type.Literal('longest-idle'), Type.Literal('routing-engine')]),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 200: AnyResult, 422: Type.Ref('Problem'), ...ProblemResponses },
        },
      },
      async (request) => {
        try {
          return (await runner.run({ kind: 'simulate', options: request.body as never })) as Record<
            string,
            unknown
          >;
        } catch (error) {
          throw toAppError(error, 'body.scenario');
        }
      },
    );

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
