// Today's counters of each queue (answered and abandoned, within the service-level
// threshold or not) and the queue's live figures built from them and the router:
// the supervisor's queue tiles and the `queue.stats` events. The day is Rome's; the
// counters start again at its first contact.
import type { Router } from '@centralino/engine';
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

  const dayOf = (at: number) => new Date(at).toLocaleDateString('en-CA', { timeZone: 'Europe/Rome' });
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

  return { counters, publishQueueStats, queueStats };
}
