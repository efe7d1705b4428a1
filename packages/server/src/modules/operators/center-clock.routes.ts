// GET /api/center/clock: the center's "now" and its day in Europe/Rome.
//
// The live center may run on a simulated clock (the demo: accelerated, and at
// night started at the lines' next opening, so that it shows a working day).
// Screens that default to "today" — the KPI reports — ask here which day the
// center is living rather than reading the browser's clock, which at night
// would be the day before the one whose calls the center is taking.
import { localDateOf } from '@centralino/engine';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProblemResponses } from '../../http/schemas.ts';
import { ALL_ROLES } from '../auth/principal.ts';

const TIME_ZONE = 'Europe/Rome';

const CenterClock = Type.Object({
  now: Type.String({ format: 'date-time', description: "The center's current instant" }),
  date: Type.String({ format: 'date', description: "The center's day in Europe/Rome (YYYY-MM-DD)" }),
  timeZone: Type.Literal(TIME_ZONE),
  live: Type.Boolean({
    description: "True: the live center's clock (simulated in the demo); false: the server's clock",
  }),
});

export function centerClockRoutes(options: { now: () => number; live: boolean }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/center/clock',
      {
        config: { access: { roles: ALL_ROLES } },
        schema: {
          tags: ['live'],
          summary: "The center's now and day (the live center's clock, simulated in the demo)",
          response: { 200: CenterClock, ...ProblemResponses },
        },
      },
      async () => {
        const now = options.now();
        return {
          now: new Date(now).toISOString(),
          date: localDateOf(now, TIME_ZONE),
          timeZone: TIME_ZONE,
          live: options.live,
        };
      },
    );
  };
}
