// Today's counters of each queue (answered and abandoned, within the service-level
// threshold or not) and the queue's live figures built from them and the router:
// the supervisor's queue tiles and the `queue.stats` events. The day is Rome's; the
// counters start again at its first contact. At start the runtime loads today's
// counters from the stored contacts (`loadServiceLevelToday`), so a restart does
// not set the supervisor's figures back to zero.
import type { Router } from '@centralino/engine';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { RuntimeQueue } from '../modules/contact-center/runtime-config.service.ts';
import type { LiveClock } from './clock.ts';

export type QueueLiveStats = {
  queueId: string;
  key: string;
  name: string;
  waiting: number;
  longestWaitSeconds: number;
  idleOperators: number;
  /** Today's service level in % (null before the first answered or abandoned contact): see `serviceLevel`. */
  serviceLevelPercent: number | null;
  answeredToday: number;
  abandonedToday: number;
};

export type QueueCounters = {
  answered: number;
  answeredInSl: number;
  abandoned: number;
  abandonedInSl: number;
};

export type ServiceLevelContext = {
  clock: LiveClock;
  /** The runtime's router, null before start. */
  router: () => Router | null;
  publish: (orgId: string | null, type: string, data: unknown) => void;
};

export function createServiceLevel({ clock, router: routerOf, publish }: ServiceLevelContext) {
  const today = new Map<string, QueueCounters>();
  let todayKey = '';

  const counters = (queueId: string) => {
    const key = dayOf(clock.now());
    if (key !== todayKey) {
      todayKey = key;
      today.clear();
    }
    let c = today.get(queueId);
    if (!c) {
      c = { answered: 0, answeredInSl: 0, abandoned: 0, abandonedInSl: 0 };
      today.set(queueId, c);
    }
    return c;
  };
  const publishQueueStats = (queue: RuntimeQueue) => {
    const stats = queueStats(queue);
    if (stats) publish(queue.orgId, 'queue.stats', stats);
  };

  function queueStats(queue: RuntimeQueue): QueueLiveStats | null {
    const router = routerOf();
    if (!router) return null;
    const now = clock.now();
    const s = router.queueStats(queue.id, now);
    const c = counters(queue.id);
    // DOMAIN.md §3, the default variant: (A≤T + Ab≤T) / (A + Ab), T the queue's threshold.
    const offered = c.answered + c.abandoned;
    return {
      queueId: queue.id,
      key: queue.key,
      name: queue.name,
      waiting: s.waiting + s.held,
      longestWaitSeconds: s.oldestQueuedAt === null ? 0 : Math.floor((now - s.oldestQueuedAt) / 1000),
      idleOperators: s.idleAgents,
      serviceLevelPercent:
        offered === 0 ? null : Math.round((1000 * (c.answeredInSl + c.abandonedInSl)) / offered) / 10,
      answeredToday: c.answered,
      abandonedToday: c.abandoned,
    };
  }

  /** Today's counters as loaded at start (replacing any): the day is the one they were counted for. */
  function seed(loaded: ServiceLevelToday) {
    todayKey = loaded.day;
    today.clear();
    for (const [queueId, c] of loaded.counters) today.set(queueId, { ...c });
  }

  return { counters, publishQueueStats, queueStats, seed };
}

/** The Rome day of an instant, `YYYY-MM-DD`: the day the counters belong to. */
export const dayOf = (at: number) => new Date(at).toLocaleDateString('en-CA', { timeZone: 'Europe/Rome' });

/** The instant a Rome day starts (midnight there is 22:00 or 23:00 UTC the day before: CEST or CET). */
export function romeDayStart(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  for (const hours of [2, 1]) {
    const at = utcMidnight - hours * 3_600_000;
    if (dayOf(at) === day) return at;
  }
  throw new Error(`no Rome midnight found for ${day}`);
}

export type ServiceLevelToday = { day: string; counters: Map<string, QueueCounters> };

/**
 * Today's counters of the given queues from the stored interactions, counted as
 * the runtime counts them live: answered = a contact put through to its first
 * operator today (answered_at), neither a queue's callback nor a preview
 * campaign's contact (dialed on the operator's accept, not answered from a
 * queue); abandoned = a contact that hung up while waiting today (outcome
 * `abandoned`, short abandons included); within the threshold when its wait
 * from queued_at is at most the queue's service_level_seconds. One grouped query
 * over the interactions_queue index (queue_id, created_at): a contact of today
 * was created at most a day before the day started.
 */
export async function loadServiceLevelToday(o: {
  db: Database;
  queues: readonly Pick<RuntimeQueue, 'id'>[];
  at: number;
}): Promise<ServiceLevelToday> {
  const day = dayOf(o.at);
  const start = new Date(romeDayStart(day));
  const end = new Date(o.at + 1);
  const counters = new Map<string, QueueCounters>();
  if (o.queues.length === 0) return { day, counters };
  const rows = await o.db.asCenter((tx) =>
    tx
      .selectFrom('interactions as i')
      .innerJoin('queues as q', 'q.id', 'i.queue_id')
      .leftJoin('campaigns as c', 'c.id', 'i.campaign_id')
      .select([
        'i.queue_id',
        sql<string>`count(*) filter (where i.answered_at >= ${start} and i.answered_at < ${end})`.as(
          'answered',
        ),
        sql<string>`count(*) filter (where i.answered_at >= ${start} and i.answered_at < ${end}
          and i.answered_at - i.queued_at <= make_interval(secs => q.service_level_seconds))`.as(
          'answered_in_sl',
        ),
        sql<string>`count(*) filter (where i.outcome = 'abandoned' and i.abandoned_at >= ${start} and i.abandoned_at < ${end})`.as(
          'abandoned',
        ),
        sql<string>`count(*) filter (where i.outcome = 'abandoned' and i.abandoned_at >= ${start} and i.abandoned_at < ${end}
          and i.abandoned_at - i.queued_at <= make_interval(secs => q.service_level_seconds))`.as(
          'abandoned_in_sl',
        ),
      ])
      .where(
        'i.queue_id',
        'in',
        o.queues.map((q) => q.id),
      )
      .where('i.created_at', '>=', new Date(start.getTime() - 86_400_000))
      .where('i.created_at', '<', end)
      .where('i.callback_id', 'is', null)
      .where((eb) => eb.or([eb('c.id', 'is', null), sql<boolean>`c.pacing->>'mode' <> 'preview'`]))
      .groupBy('i.queue_id')
      .execute(),
  );
  for (const row of rows) {
    if (row.queue_id === null) continue;
    counters.set(row.queue_id, {
      answered: Number(row.answered),
      answeredInSl: Number(row.answered_in_sl),
      abandoned: Number(row.abandoned),
      abandonedInSl: Number(row.abandoned_in_sl),
    });
  }
  return { day, counters };
}
