// The routing engine: agents, queues and tasks in memory, one decision per event,
// every transition returned as a timestamped event. See README.md for the model.
//
// How a decision avoids scanning agents: each overflow step of a queue has an
// eligibility group ("pool") — the agents of its organization with capacity on its
// channel whom that step adds (steps only widen, so an agent sits in one pool per
// queue) — computed when an agent or queue is added and shared by queues with the
// same group and strategy. A pool indexes its idle members in strategy order
// (agent-pools.ts). Waiting tasks sit in one heap per queue step, ordered by
// priority and wait. Then:
//   - a task arriving (or overflowing, or declined) takes the best idle member of
//     its step's pools: a peek, O(log n) at worst;
//   - an agent freeing up first looks at the top waiting task of the steps it may
//     serve (pools with waiting work only), and is entered in its pools only if
//     it stays idle: O(pools the agent belongs to), independent of agents;
//   - an agent becoming busy costs its pools nothing: they read its idle bit.
// Because every decision is taken as soon as it can be, an idle agent and a
// waiting task it could serve never coexist (except during a decline cooldown or
// an inbound reserve), which is what makes both one-sided searches enough.
import {
  ArrayIndex,
  DAILY_CONTACTS,
  DAILY_HANDLE_MS,
  DAILY_NONE,
  HeapIndex,
  type IdleIndex,
  MemberTable,
  type PoolMember,
  RoundRobinIndex,
} from './agent-pools.ts';
import { IdTable } from './id-table.ts';
import { type HeapItem, heapItemBefore, IndexedHeap } from './indexed-heap.ts';
import { type CompiledOpenHours, compileOpenHours } from './open-hours.ts';
import { RoutingError } from './routing.errors.ts';
import {
  ROUTING_CHANNELS,
  ROUTING_STRATEGIES,
  type Router,
  type RouterOptions,
  type RoutingAgentPresence,
  type RoutingAgentSnapshot,
  type RoutingAgentSpec,
  type RoutingAgentState,
  type RoutingChannel,
  type RoutingEvent,
  type RoutingOverflowStep,
  type RoutingQueueSpec,
  type RoutingStrategy,
  type RoutingTaskSnapshot,
  type RoutingTaskSpec,
  type RoutingTaskStatus,
} from './routing.types.ts';
import {
  anyOfSkillExpressions,
  butNotSkillExpression,
  parseSkillExpression,
  type SkillExpression,
  type SkillSubject,
} from './skill-expression.ts';

const DAY_MS = 86_400_000;
// What a pool orders by after the taken slots, before idle time (see strategyKey).
const KEY_NONE = 0;
const KEY_HANDLE_TIME = 1;
const KEY_CONTACTS = 2;
const KEY_SKILL = 3;
const TRUE_EXPRESSION = parseSkillExpression('true');
// Agents keep one lane per channel in fields lane0…lane4 (see laneOf).
const CHANNEL_COUNT = ROUTING_CHANNELS.length;
if (CHANNEL_COUNT !== 5) throw new Error('routing: laneOf expects five channels');
const CHANNEL_INDEX = new Map<RoutingChannel, number>(ROUTING_CHANNELS.map((channel, i) => [channel, i]));

type Agent = {
  seq: number;
  id: string;
  organizations: Set<string>;
  subject: SkillSubject;
  /** One per channel (ROUTING_CHANNELS order); also as fields lane0…lane4, one pointer less on the hot path. */
  lanes: Lane[];
  lane0: Lane;
  lane1: Lane;
  lane2: Lane;
  lane3: Lane;
  lane4: Lane;
  maxTasks: number;
  totalLoad: number;
  presence: RoutingAgentPresence;
  reason: string | null;
  /** Last state and reason emitted, to emit only real changes. */
  state: RoutingAgentState;
  stateReason: string | null;
  /** Open offers, linked through Offer.nextOfAgent (a list, not an array: one less cold object to touch). */
  firstOffer: Offer | null;
  offerCount: number;
  active: number;
  wrapping: number;
  handleMsToday: number;
  contactsToday: number;
  missed: number;
  /** Bit c set while the agent can take one more task on channel c (see isIdleOn). */
  idleMask: number;
};

/**
 * An agent on one channel: slots, place in the idle order, pools. Kept in one
 * object because a decision touches all of it, and at 10,000 agents every
 * separate object is a cache miss.
 */
type Lane = {
  load: number;
  capacity: number;
  /**
   * Order in which the agent last had a slot freed here (or logged in): the
   * longest-idle key. A counter rather than a timestamp: same order, no ties, and
   * small integers stay unboxed in V8.
   */
  idleRank: number;
  members: Member[];
  pools: Pool[];
  /** Memberships in eagerly indexed pools (random, ring-all), told when the agent goes busy; null if none. */
  eager: Member[] | null;
  /** Pools keeping an exact idle count (those with an inbound reserve); null if none. */
  counted: Pool[] | null;

  /** Key inputs of the current index entries: load, idle rank, contacts, handle time. */
  keyLoad: number;
  keyRank: number;
  keyContacts: number;
  keyHandle: number;
};

/**
 * The lane of every agent on a channel it has no capacity on: never written to,
 * since no pool holds an agent without capacity on its channel. Saves a voice-only
 * agent four lanes of empty arrays.
 */
const NO_LANE: Lane = newLane(0);

function laneOf(agent: Agent, channel: number): Lane {
  switch (channel) {
    case 0:
      return agent.lane0;
    case 1:
      return agent.lane1;
    case 2:
      return agent.lane2;
    case 3:
      return agent.lane3;
    default:
      return agent.lane4;
  }
}

function setLanes(
  agent: Pick<Agent, 'lanes' | 'lane0' | 'lane1' | 'lane2' | 'lane3' | 'lane4'>,
  lanes: Lane[],
): void {
  agent.lanes = lanes;
  agent.lane0 = lanes[0]!;
  agent.lane1 = lanes[1]!;
  agent.lane2 = lanes[2]!;
  agent.lane3 = lanes[3]!;
  agent.lane4 = lanes[4]!;
}

function laneFor(capacity: number): Lane {
  return capacity > 0 ? newLane(capacity) : NO_LANE;
}

function newLane(capacity: number): Lane {
  return {
    load: 0,
    capacity,
    idleRank: 0,
    members: [],
    pools: [],
    eager: null,
    counted: null,
    keyLoad: Number.NaN,
    keyRank: Number.NaN,
    keyContacts: Number.NaN,
    keyHandle: Number.NaN,
  };
}

type Member = PoolMember & { agent: Agent; pool: Pool; score: number };

type Pool = {
  organizationId: string;
  channel: number;
  expression: SkillExpression;
  strategy: RoutingStrategy;
  keyKind: number;
  rankNames: string[];
  index: IdleIndex<Member>;
  /** Idle agents, kept exactly only when `counted` (an inbound reserve needs it at once). */
  idle: number;
  counted: boolean;
  stages: Stage[];
  /** Some inbound queue step uses the pool. */
  inbound: boolean;
  /** Tasks waiting in steps the pool's agents may serve: freed agents skip pools at 0. */
  waiting: number;
  /** Idle agents to keep back from outbound work: the largest reserve of the inbound queues starting here. */
  inboundReserve: number;
};

type Stage = {
  queue: Queue;
  number: number;
  afterMs: number;
  /**
   * The pools whose agents may take the step's tasks: one per step so far, each
   * holding the agents that step added (and no earlier step had), so that an
   * agent sits in one pool per queue however many steps widen it.
   */
  pools: Pool[];
  tasks: IndexedHeap<Task>;
};

type Queue = {
  id: string;
  organizationId: string;
  channel: number;
  outbound: boolean;
  strategy: RoutingStrategy;
  priority: number;
  maxWaitMs: number;
  maxWaitQueueId: string | null;
  stages: Stage[];
  hours: CompiledOpenHours | null;
  closed: 'reject' | 'hold' | 'transfer';
  closedQueueId: string | null;
  wrapMs: number;
  offerTimeoutMs: number;
  inboundReserve: number;
  /** The queue's own skill expression (its first step). */
  baseExpression: SkillExpression;
  held: Task[];
  hoursTimer: Timer | null;
};

type Task = HeapItem & {
  id: string;
  spec: RoutingTaskSpec;
  queue: Queue;
  stage: Stage;
  status: RoutingTaskStatus;
  priority: number;
  firstQueuedAt: number;
  /** Start of the current overflow clock: entry into the queue, or release from hold. */
  stageClockAt: number;
  maxWaitAt: number;
  offers: Offer[];
  declined: { agent: Agent; until: number }[] | null;
  agent: Agent | null;
  acceptedAt: number;
  stageTimer: Timer | null;
  maxWaitTimer: Timer | null;
  wrapTimer: Timer | null;
};

/**
 * An offer is its own timeout timer (k0 = expiresAt, in the timer heap while
 * open): one object less to allocate and to reach on every decision.
 */
type Offer = HeapItem & {
  kind: 'offer';
  task: Task;
  agent: Agent;
  expiresAt: number;
  previousOfAgent: Offer | null;
  nextOfAgent: Offer | null;
};

type TimerKind = 'stage' | 'max_wait' | 'wrap' | 'retry' | 'hours';
type Timer = (HeapItem & { kind: TimerKind; task: Task | null; queue: Queue | null }) | Offer;

function invalid(field: string, message: string): never {
  throw new RoutingError('ROUTING_INVALID_CONFIG', `${field}: ${message}`, { field });
}

function nonNegative(value: number | undefined, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) invalid(field, 'expected a number ≥ 0');
  return value;
}

function channelOf(channel: RoutingChannel, field: string): number {
  const index = CHANNEL_INDEX.get(channel);
  if (index === undefined)
    invalid(field, `unknown channel '${channel}' (expected ${ROUTING_CHANNELS.join(', ')})`);
  return index;
}

/**
 * Creates a routing engine. Pure and deterministic: time only moves through the
 * `now` arguments, randomness only through `options.random`.
 */
export function createRouter(options: RouterOptions): Router {
  const random = options.random;
  const defaultStrategy = options.strategyOptions?.defaultStrategy ?? 'longest-idle';
  const dayStartMs =
    nonNegative(options.strategyOptions?.dayStartMinutesUtc, 'strategyOptions.dayStartMinutesUtc', 0) *
    60_000;
  const agingWeightMs = options.aging
    ? nonNegative(options.aging.priorityWeightSeconds, 'aging.priorityWeightSeconds', 0) * 1000
    : null;
  const defaultInboundReserve = nonNegative(options.blending?.inboundReserve, 'blending.inboundReserve', 0);
  const defaultOfferTimeoutMs = nonNegative(options.offerTimeoutSeconds, 'offerTimeoutSeconds', 20) * 1000;
  const maxMissedOffers = nonNegative(options.maxMissedOffers, 'maxMissedOffers', 3);
  const declineCooldownMs = nonNegative(options.declineCooldownSeconds, 'declineCooldownSeconds', 30) * 1000;
  const onEvent = options.onEvent;

  const agents = new Map<string, Agent>();
  const queues = new Map<string, Queue>();
  const pools = new Map<string, Pool>();
  const tasks = new IdTable<Task>();
  const memberTable = new MemberTable(CHANNEL_COUNT);
  /** Agents by row (their seq), for index entries that hold rows rather than objects. */
  const agentsByRow: (Agent | undefined)[] = [];
  const timers = new IndexedHeap<Timer>();
  let agentSeq = 0;
  let taskSeq = 0;
  let timerSeq = 0;
  let waitingCount = 0;
  let idleCounter = 0;
  let dailyPools = 0;
  let clock = Number.NEGATIVE_INFINITY;
  let currentDay = Number.NaN;
  let out: RoutingEvent[] = [];

  function emit(event: RoutingEvent): void {
    out.push(event);
    onEvent?.(event);
  }

  // ---- time -------------------------------------------------------------------

  function dayOf(at: number): number {
    return Math.floor((at - dayStartMs) / DAY_MS);
  }

  function begin(now: number): void {
    if (typeof now !== 'number' || Number.isNaN(now)) {
      throw new RoutingError(
        'ROUTING_INVALID_TRANSITION',
        `now must be a number of milliseconds, got ${now}`,
      );
    }
    if (now < clock) {
      throw new RoutingError(
        'ROUTING_TIME_WENT_BACKWARDS',
        `now (${now}) is earlier than the last time processed (${clock}); pass non-decreasing times`,
      );
    }
    // `out` is not cleared here: if the previous call threw after its timers ran,
    // their events were kept and are returned now rather than lost.
    if (Number.isNaN(currentDay)) currentDay = dayOf(now);
    for (;;) {
      const top = timers.peek();
      if (dailyPools > 0) {
        const boundary = (currentDay + 1) * DAY_MS + dayStartMs;
        if (boundary <= now && (top === undefined || boundary <= top.k0)) {
          clock = Math.max(clock, boundary);
          newDay(dayOf(top === undefined ? now : Math.min(now, top.k0)));
          continue;
        }
      }
      if (top === undefined || top.k0 > now) break;
      timers.pop();
      clock = Math.max(clock, top.k0);
      fire(top);
    }
    clock = now;
    if (dailyPools === 0) currentDay = dayOf(now);
  }

  function finish(): RoutingEvent[] {
    const events = out;
    out = [];
    return events;
  }

  function schedule(kind: TimerKind, at: number, task: Task | null, queue: Queue | null): Timer {
    const timer: Timer = { k0: at, k1: 0, k2: 0, seq: ++timerSeq, heapIndex: -1, kind, task, queue };
    timers.push(timer);
    return timer;
  }

  function cancel(timer: Timer | null): null {
    if (timer !== null && timer.heapIndex >= 0) timers.remove(timer);
    return null;
  }

  function fire(timer: Timer): void {
    switch (timer.kind) {
      case 'offer':
        declineOffer(timer, 'timed_out');
        return;
      case 'stage':
      case 'max_wait':
      case 'retry': {
        const task = timer.task!;
        if (timer.kind === 'stage') task.stageTimer = null;
        if (timer.kind === 'max_wait') task.maxWaitTimer = null;
        if (task.status !== 'waiting' || tasks.get(task.id) !== task) return;
        if (timer.kind === 'retry') task.declined = task.declined?.filter((d) => d.until > clock) ?? null;
        pullWaiting(task);
        dispatch(task);
        return;
      }
      case 'wrap': {
        const task = timer.task!;
        task.wrapTimer = null;
        if (task.status === 'wrap_up') endWrap(task);
        return;
      }
      case 'hours': {
        const queue = timer.queue!;
        queue.hoursTimer = null;
        if (queue.held.length === 0) return;
        if (queue.hours === null || queue.hours.isOpen(clock)) {
          const released = queue.held;
          queue.held = [];
          for (const task of released) {
            emit({ type: 'task.released', at: clock, taskId: task.id, queueId: queue.id });
            startWaiting(task);
          }
        } else {
          ensureHoursTimer(queue);
        }
        return;
      }
    }
  }

  function ensureHoursTimer(queue: Queue): void {
    if (queue.hoursTimer === null)
      queue.hoursTimer = schedule('hours', (Math.floor(clock / 60_000) + 1) * 60_000, null, queue);
  }

  function newDay(day: number): void {
    currentDay = day;
    for (const agent of agents.values()) {
      agent.handleMsToday = 0;
      agent.contactsToday = 0;
      memberTable.setDaily(agent.seq, 0, 0);
      if (dailyPools > 0) {
        // A full re-key: with the counters back at 0, an entry of yesterday could match again.
        for (const lane of agent.lanes) if (lane !== NO_LANE) lane.keyLoad = Number.NaN;
        for (let channel = 0; channel < CHANNEL_COUNT; channel++) reindexChannel(agent, channel);
      }
    }
  }

  // ---- pools and membership --------------------------------------------------------

  function setKeys(member: Member): void {
    const agent = member.agent;
    const channel = member.pool.channel;
    const lane = laneOf(agent, channel);
    member.k0 = lane.load;
    member.k1 = strategyKey(member);
    member.k2 = lane.idleRank;
  }

  function strategyKey(member: Member): number {
    switch (member.pool.keyKind) {
      case KEY_HANDLE_TIME:
        return member.agent.handleMsToday;
      case KEY_CONTACTS:
        return member.agent.contactsToday;
      case KEY_SKILL:
        return -member.score;
      default:
        return 0;
    }
  }

  function isIdleOn(agent: Agent, channel: number): boolean {
    return (
      agent.presence === 'available' &&
      laneOf(agent, channel).load < laneOf(agent, channel).capacity &&
      agent.totalLoad < agent.maxTasks
    );
  }

  /** Puts the agent's memberships on a channel (all channels if -1) in or out of the idle indexes. */
  function reindex(agent: Agent, channel: number): void {
    if (channel >= 0) {
      reindexChannel(agent, channel);
      return;
    }
    for (let c = 0; c < CHANNEL_COUNT; c++) reindexChannel(agent, c);
  }

  function reindexChannel(agent: Agent, channel: number): void {
    const lane = laneOf(agent, channel);
    if (lane.capacity === 0) return;
    const bit = 1 << channel;
    const idle = isIdleOn(agent, channel);
    const was = (agent.idleMask & bit) !== 0;
    if (idle !== was) {
      agent.idleMask ^= bit;
      // Busy: every entry of the lane in the lazy indexes is dead from now, untouched.
      if (!idle) memberTable.suspend(agent.seq, channel);
      const counted = lane.counted;
      if (counted !== null) for (const pool of counted) pool.idle += idle ? 1 : -1;
    }
    if (!idle) {
      // Lazy indexes see the cleared bit and stamp; only the eager ones need telling.
      const eager = lane.eager;
      if (eager !== null) for (let i = 0; i < eager.length; i++) eager[i]!.pool.index.remove(eager[i]!);
      return;
    }
    // Fewer taken slots first (spreads chats), then the strategy's key, then idle order.
    const k0 = lane.load;
    const k2 = lane.idleRank;
    if (was && lane.keyLoad === k0 && lane.keyRank === k2) {
      const contactsChanged = lane.keyContacts !== agent.contactsToday;
      const handleChanged = lane.keyHandle !== agent.handleMsToday;
      if (!contactsChanged && !handleChanged) return;
      lane.keyContacts = agent.contactsToday;
      lane.keyHandle = agent.handleMsToday;
      // Only a daily counter moved: entries of the pools ordered by it die by their
      // stale key (HeapIndex checks it), and only those pools hear the new one.
      const members = lane.members;
      for (let i = 0; i < members.length; i++) {
        const member = members[i]!;
        const kind = member.pool.keyKind;
        if ((kind === KEY_CONTACTS && contactsChanged) || (kind === KEY_HANDLE_TIME && handleChanged)) {
          member.k1 = strategyKey(member);
          member.pool.index.add(member);
        }
      }
      return;
    }
    lane.keyLoad = k0;
    lane.keyRank = k2;
    lane.keyContacts = agent.contactsToday;
    lane.keyHandle = agent.handleMsToday;
    // Back to idle, or new keys: a new stamp kills the lane's earlier entries in
    // every lazy index (a decision may have dropped some meanwhile, or not), and
    // each pool gets one fresh entry.
    memberTable.renew(agent.seq, channel);
    const members = lane.members;
    for (let i = 0; i < members.length; i++) {
      const member = members[i]!;
      member.k0 = k0;
      member.k1 = strategyKey(member);
      member.k2 = k2;
      member.pool.index.add(member);
    }
  }

  /**
   * After the agent's contacts or handle time changed: its entries on the channels
   * where it is idle (other than `except`) are re-keyed for the daily strategies.
   */
  function keysChanged(agent: Agent, except: number): void {
    const mask = agent.idleMask & ~(except >= 0 ? 1 << except : 0);
    if (mask === 0) return;
    for (let channel = 0; channel < CHANNEL_COUNT; channel++)
      if ((mask & (1 << channel)) !== 0) reindexChannel(agent, channel);
  }

  /** After the load on `channel` moved by one: other channels change only when the total crosses maxTasks. */
  function loadChanged(agent: Agent, channel: number): void {
    const total = agent.totalLoad;
    const crossed = total === agent.maxTasks || total === agent.maxTasks - 1;
    reindex(agent, crossed ? -1 : channel);
  }

  function eligible(agent: Agent, pool: Pool): boolean {
    return (
      agent.organizations.has(pool.organizationId) &&
      laneOf(agent, pool.channel).capacity > 0 &&
      pool.expression.matches(agent.subject)
    );
  }

  function join(agent: Agent, pool: Pool): void {
    let score = 0;
    for (const name of pool.rankNames) {
      const value = Object.hasOwn(agent.subject.skills, name) ? agent.subject.skills[name] : undefined;
      if (typeof value === 'number') score += value;
    }
    const member: Member = {
      k0: 0,
      k1: 0,
      k2: 0,
      seq: agent.seq,
      heapIndex: -1,
      indexed: false,
      position: 0,
      id: -1,
      marked: false,
      agent,
      pool,
      score,
    };
    memberTable.allocate(member, agent.seq);
    pool.index.register(member);

    const lane = laneOf(agent, pool.channel);
    lane.members.push(member);
    lane.pools.push(pool);
    if (!pool.index.lazy) {
      if (lane.eager === null) lane.eager = [];
      lane.eager.push(member);
    }
    if (pool.counted) {
      if (lane.counted === null) lane.counted = [];
      lane.counted.push(pool);
    }
    if ((agent.idleMask & (1 << pool.channel)) !== 0) {
      if (pool.counted) pool.idle++;
      setKeys(member);
      pool.index.add(member);
    }
  }

  function leaveAll(agent: Agent): void {
    for (const member of agent.lanes.flatMap((lane) => lane.members)) {
      const pool = member.pool;
      if (pool.counted && (agent.idleMask & (1 << pool.channel)) !== 0) pool.idle--;
      pool.index.evict(member);
      memberTable.release(member);
    }
    // The evicted members' entries still in lazy indexes die with the lanes' stamps.
    for (let channel = 0; channel < CHANNEL_COUNT; channel++) memberTable.invalidate(agent.seq, channel);
    for (const lane of agent.lanes) {
      if (lane === NO_LANE) continue;
      lane.members = [];
      lane.pools = [];
      lane.eager = null;
      lane.counted = null;
    }
  }

  /** From now on keeps the pool's exact idle count (an inbound reserve reads it on every outbound decision). */
  function countIdle(pool: Pool): void {
    if (pool.counted) return;
    pool.counted = true;
    pool.idle = 0;
    for (const agent of agents.values()) {
      const lane = laneOf(agent, pool.channel);
      if (!lane.pools.includes(pool)) continue;
      if (lane.counted === null) lane.counted = [];
      lane.counted.push(pool);
      if ((agent.idleMask & (1 << pool.channel)) !== 0) pool.idle++;
    }
  }

  /** Pools are shared by the queue steps with the same group and strategy. Not kept on the pool: it is hot. */
  function poolKey(
    organizationId: string,
    channel: number,
    strategy: RoutingStrategy,
    rankNames: string[],
    expression: SkillExpression,
  ): string {
    const rankKey = strategy === 'best-skill-then-longest-idle' ? rankNames.join(',') : '';
    return [organizationId, channel, strategy, rankKey, expression.canonical].join('\u0000');
  }

  function poolFor(queue: Queue, expression: SkillExpression, rankNames: string[]): Pool {
    const strategy = queue.strategy;
    const key = poolKey(queue.organizationId, queue.channel, strategy, rankNames, expression);
    let pool = pools.get(key);
    if (pool) return pool;
    let index: IdleIndex<Member>;
    if (strategy === 'round-robin') index = new RoundRobinIndex<Member>(queue.channel);
    else if (strategy === 'random' || strategy === 'ring-all')
      index = new ArrayIndex<Member>(random ?? (() => 0));
    else
      index = new HeapIndex<Member>(
        memberTable,
        queue.channel,
        strategy === 'least-occupied'
          ? DAILY_HANDLE_MS
          : strategy === 'fewest-contacts'
            ? DAILY_CONTACTS
            : DAILY_NONE,
      );
    pool = {
      organizationId: queue.organizationId,
      channel: queue.channel,
      expression,
      strategy,
      keyKind:
        strategy === 'least-occupied'
          ? KEY_HANDLE_TIME
          : strategy === 'fewest-contacts'
            ? KEY_CONTACTS
            : strategy === 'best-skill-then-longest-idle'
              ? KEY_SKILL
              : KEY_NONE,
      rankNames,
      index,
      idle: 0,
      counted: false,
      stages: [],
      inbound: false,
      waiting: 0,
      inboundReserve: 0,
    };
    pools.set(key, pool);
    if (strategy === 'least-occupied' || strategy === 'fewest-contacts') dailyPools++;
    for (const agent of agents.values()) if (eligible(agent, pool)) join(agent, pool);
    return pool;
  }

  // ---- queues ------------------------------------------------------------------------

  function buildQueue(spec: RoutingQueueSpec, specs: Map<string, RoutingQueueSpec>): Queue {
    const field = `queues.${spec.id}`;
    if (typeof spec.id !== 'string' || spec.id === '') invalid('queues[].id', 'expected a non-empty string');
    if (typeof spec.organizationId !== 'string' || spec.organizationId === '') {
      invalid(`${field}.organizationId`, 'expected a non-empty string');
    }
    const strategy = spec.strategy ?? defaultStrategy;
    if (!ROUTING_STRATEGIES.includes(strategy)) {
      invalid(
        `${field}.strategy`,
        `unknown strategy '${strategy}' (expected ${ROUTING_STRATEGIES.join(', ')})`,
      );
    }
    if (strategy === 'random' && !random) {
      invalid(
        `${field}.strategy`,
        "the 'random' strategy needs the router option `random` (e.g. createRandom(seed))",
      );
    }
    const closed = spec.closed ?? 'reject';
    if (!['reject', 'hold', 'transfer'].includes(closed))
      invalid(`${field}.closed`, `unknown behaviour '${closed}'`);
    const refer = (id: string | undefined, at: string) => {
      if (id !== undefined && !specs.has(id) && !queues.has(id)) invalid(at, `no queue '${id}'`);
      return id ?? null;
    };
    if (closed === 'transfer' && spec.closedQueueId === undefined) {
      invalid(`${field}.closedQueueId`, "required when closed is 'transfer'");
    }
    const maxWaitSeconds = nonNegative(
      spec.maxWaitSeconds,
      `${field}.maxWaitSeconds`,
      Number.POSITIVE_INFINITY,
    );
    if (maxWaitSeconds === 0) invalid(`${field}.maxWaitSeconds`, 'expected a number > 0');
    const queue: Queue = {
      id: spec.id,
      organizationId: spec.organizationId,
      channel: channelOf(spec.channel, `${field}.channel`),
      outbound: spec.direction === 'outbound',
      strategy,
      priority: spec.priority ?? 0,
      maxWaitMs: maxWaitSeconds * 1000,
      maxWaitQueueId: refer(spec.maxWaitQueueId, `${field}.maxWaitQueueId`),
      stages: [],
      hours: spec.hours ? compileOpenHours(spec.hours, `${field}.hours`) : null,
      closed,
      closedQueueId: refer(spec.closedQueueId, `${field}.closedQueueId`),
      wrapMs: nonNegative(spec.wrapUpSeconds, `${field}.wrapUpSeconds`, 0) * 1000,
      offerTimeoutMs:
        spec.offerTimeoutSeconds === undefined
          ? defaultOfferTimeoutMs
          : nonNegative(spec.offerTimeoutSeconds, `${field}.offerTimeoutSeconds`, 0) * 1000,
      inboundReserve: nonNegative(spec.inboundReserve, `${field}.inboundReserve`, defaultInboundReserve),
      baseExpression: TRUE_EXPRESSION,
      held: [],
      hoursTimer: null,
    };
    if (typeof queue.priority !== 'number' || !Number.isFinite(queue.priority)) {
      invalid(`${field}.priority`, 'expected a finite number');
    }
    const parse = (source: string | undefined, at: string): SkillExpression => {
      try {
        return parseSkillExpression(source ?? 'true');
      } catch (error) {
        if (error instanceof RoutingError) {
          throw new RoutingError(error.code, `${at}: ${error.message}`, { ...error.issues[0], field: at });
        }
        throw error;
      }
    };
    const base = parse(spec.skills, `${field}.skills`);
    queue.baseExpression = base;
    const rankNames = spec.rankSkills ?? base.names;
    const steps: RoutingOverflowStep[] = [{ afterSeconds: 0 }, ...(spec.overflow ?? [])];
    // Every step is checked before any pool is made, so that a refused spec leaves
    // the router as it was (updateQueue relies on it).
    const widenings = steps.map((step, i) => {
      const at = `${field}.overflow[${i - 1}]`;
      const widening: SkillExpression[] = i === 0 ? [base] : [];
      if (i > 0) {
        if (typeof step.afterSeconds !== 'number' || !(step.afterSeconds > steps[i - 1]!.afterSeconds)) {
          invalid(`${at}.afterSeconds`, 'expected seconds > 0, increasing from step to step');
        }
        if (step.skills !== undefined) widening.push(parse(step.skills, `${at}.skills`));
        for (const id of step.addQueues ?? []) {
          const other = specs.get(id);
          if (other) widening.push(parse(other.skills, `queues.${id}.skills`));
          else if (queues.has(id)) widening.push(queues.get(id)!.baseExpression);
          else invalid(`${at}.addQueues`, `no queue '${id}'`);
        }
      }
      return widening;
    });
    let covered: SkillExpression | null = null;
    let stagePools: Pool[] = [];
    steps.forEach((step, i) => {
      const widening = widenings[i]!;
      if (widening.length > 0) {
        const added = anyOfSkillExpressions(widening);
        const delta = covered === null ? added : butNotSkillExpression(added, covered);
        stagePools = [...stagePools, poolFor(queue, delta, rankNames)];
        covered = covered === null ? added : anyOfSkillExpressions([covered, added]);
      }
      const stage: Stage = {
        queue,
        number: i,
        afterMs: step.afterSeconds * 1000,
        pools: stagePools,
        tasks: new IndexedHeap(),
      };
      for (const pool of stagePools) {
        pool.stages.push(stage);
        if (!queue.outbound) pool.inbound = true;
      }
      if (i === 0 && !queue.outbound) {
        stagePools[0]!.inboundReserve = Math.max(stagePools[0]!.inboundReserve, queue.inboundReserve);
        if (queue.inboundReserve > 0) countIdle(stagePools[0]!);
      }
      queue.stages.push(stage);
    });
    return queue;
  }

  /** The overflow step a task waiting since `stageClockAt` has reached in `queue` by now. */
  function stageReached(queue: Queue, stageClockAt: number): Stage {
    let stage = queue.stages[0]!;
    for (let next = queue.stages[1]; next && stageClockAt + next.afterMs <= clock; ) {
      stage = next;
      next = queue.stages[next.number + 1];
    }
    return stage;
  }

  /** Forgets a pool no queue step uses any more: its members leave it. */
  function dropPool(pool: Pool): void {
    pools.delete(poolKey(pool.organizationId, pool.channel, pool.strategy, pool.rankNames, pool.expression));
    if (pool.strategy === 'least-occupied' || pool.strategy === 'fewest-contacts') dailyPools--;
    for (const agent of agents.values()) {
      const lane = laneOf(agent, pool.channel);
      const at = lane.pools.indexOf(pool);
      if (at < 0) continue;
      const member = lane.members[at]!;
      pool.index.evict(member);
      memberTable.release(member);
      lane.members.splice(at, 1);
      lane.pools.splice(at, 1);
      if (lane.eager !== null) {
        const eager = lane.eager.filter((other) => other !== member);
        lane.eager = eager.length > 0 ? eager : null;
      }
      if (lane.counted !== null) {
        const counted = lane.counted.filter((other) => other !== pool);
        lane.counted = counted.length > 0 ? counted : null;
      }
    }
  }

  /**
   * Gives `queue` the settings and steps of `next` (built from its new spec) in
   * place, so that every task keeps pointing at it: waiting tasks keep their
   * place (priority, then wait since their first queueing) and are placed in the
   * step their wait has reached under the new overflow, offers and conversations
   * in progress go on as they were made; what changed applies to the next
   * decision (an offer, an overflow, a wrap-up started, a maximum wait counted
   * from the task's entry into the queue).
   */
  function replaceQueue(queue: Queue, next: Queue): void {
    const waiting: Task[] = [];
    for (const stage of queue.stages) waiting.push(...stage.tasks.items);
    for (const task of waiting) pullWaiting(task);
    const touched = new Set<Pool>();
    for (const stage of queue.stages) {
      for (const pool of stage.pools) {
        pool.stages.splice(pool.stages.indexOf(stage), 1);
        touched.add(pool);
      }
    }
    const { held, hoursTimer } = queue;
    Object.assign(queue, next, { held, hoursTimer });
    for (const stage of queue.stages) {
      stage.queue = queue;
      for (const pool of stage.pools) touched.add(pool);
    }
    for (const pool of touched) {
      if (pool.stages.length === 0) {
        dropPool(pool);
        continue;
      }
      pool.inbound = pool.stages.some((stage) => !stage.queue.outbound);
      let reserve = 0;
      for (const stage of pool.stages)
        if (stage.number === 0 && !stage.queue.outbound && stage.pools[0] === pool)
          reserve = Math.max(reserve, stage.queue.inboundReserve);
      pool.inboundReserve = reserve;
      if (reserve > 0) countIdle(pool);
    }
    const others: Task[] = [];
    for (const task of tasks.values())
      if (task.queue === queue && task.status !== 'waiting') others.push(task);
    for (const task of [...waiting, ...others]) {
      task.priority = task.spec.priority ?? queue.priority;
      setTaskKeys(task);
      if (task.status === 'active' || task.status === 'wrap_up') {
        task.stage = queue.stages[Math.min(task.stage.number, queue.stages.length - 1)]!;
        continue;
      }
      task.stage = task.status === 'held' ? queue.stages[0]! : stageReached(queue, task.stageClockAt);
      task.maxWaitAt = task.stageClockAt + queue.maxWaitMs;
    }
    queue.hoursTimer = cancel(queue.hoursTimer);
    if (queue.held.length > 0) {
      if (queue.hours === null || queue.hours.isOpen(clock)) {
        const released = queue.held;
        queue.held = [];
        for (const task of released) {
          emit({ type: 'task.released', at: clock, taskId: task.id, queueId: queue.id });
          startWaiting(task);
        }
      } else ensureHoursTimer(queue);
    }
    // Best first, so that the first idle agent the new settings make eligible takes the task that waited longest.
    waiting.sort((a, b) => (heapItemBefore(a, b) ? -1 : heapItemBefore(b, a) ? 1 : 0));
    for (const task of waiting) {
      task.stageTimer = cancel(task.stageTimer);
      task.maxWaitTimer = cancel(task.maxWaitTimer);
      if (tasks.get(task.id) === task && task.status === 'waiting') dispatch(task);
    }
  }

  function addQueues(specs: RoutingQueueSpec[]): void {
    const byId = new Map<string, RoutingQueueSpec>();
    for (const spec of specs) {
      if (byId.has(spec.id) || queues.has(spec.id)) {
        throw new RoutingError('ROUTING_DUPLICATE_ID', `queue '${spec.id}' is defined twice`, {
          field: 'queues',
        });
      }
      byId.set(spec.id, spec);
    }
    for (const spec of specs) queues.set(spec.id, buildQueue(spec, byId));
  }

  // ---- agents ------------------------------------------------------------------------

  function buildAgentFields(spec: RoutingAgentSpec) {
    const field = `agent ${spec.id}`;
    if (!Array.isArray(spec.organizations))
      invalid(`${field}.organizations`, 'expected an array of organization ids');
    if (spec.skills === null || typeof spec.skills !== 'object')
      invalid(`${field}.skills`, 'expected an object');
    for (const [name, level] of Object.entries(spec.skills)) {
      if (typeof level !== 'number' || !(level >= 0))
        invalid(`${field}.skills.${name}`, 'expected a proficiency ≥ 0');
    }
    const capacity = ROUTING_CHANNELS.map(() => 0);
    for (const [channel, count] of Object.entries(spec.capacity ?? {})) {
      const index = channelOf(channel as RoutingChannel, `${field}.capacity`);
      if (!Number.isInteger(count) || (count as number) < 0) {
        invalid(`${field}.capacity.${channel}`, 'expected a whole number ≥ 0');
      }
      capacity[index] = count as number;
    }
    const maxTasks = spec.maxTasks ?? Number.POSITIVE_INFINITY;
    if (!(maxTasks >= 1)) invalid(`${field}.maxTasks`, 'expected a number ≥ 1');
    return {
      organizations: new Set(spec.organizations),
      subject: { skills: spec.skills, attributes: spec.attributes ?? {} },
      capacity,
      maxTasks,
    };
  }

  function getAgentRecord(agentId: string): Agent {
    const agent = agents.get(agentId);
    if (!agent)
      throw new RoutingError('ROUTING_UNKNOWN_AGENT', `no agent '${agentId}'`, { field: 'agentId' });
    return agent;
  }

  function getTaskRecord(taskId: string): Task {
    const task = tasks.get(taskId);
    if (!task)
      throw new RoutingError('ROUTING_UNKNOWN_TASK', `no task '${taskId}' in progress`, { field: 'taskId' });
    return task;
  }

  function derivedState(agent: Agent): RoutingAgentState {
    if (agent.active > 0) return 'busy';
    if (agent.wrapping > 0) return 'wrap_up';
    if (agent.offerCount > 0) return 'reserved';
    return agent.presence;
  }

  function refreshState(agent: Agent): void {
    const state = derivedState(agent);
    const reason = state === 'not_ready' ? agent.reason : null;
    if (state === agent.state && reason === agent.stateReason) return;
    emit({ type: 'agent.state_changed', at: clock, agentId: agent.id, from: agent.state, to: state, reason });
    agent.state = state;
    agent.stateReason = reason;
  }

  function setPresence(agent: Agent, presence: RoutingAgentPresence, reason: string | null): void {
    const wasAvailable = agent.presence === 'available';
    agent.presence = presence;
    agent.reason = presence === 'not_ready' ? reason : null;
    if (presence === 'available') {
      if (!wasAvailable) {
        const rank = ++idleCounter;
        for (const lane of agent.lanes) if (lane !== NO_LANE) lane.idleRank = rank;
      }
      reindex(agent, -1);
      refreshState(agent);
      serveAgent(agent);
      return;
    }
    reindex(agent, -1);
    const pending: Offer[] = [];
    for (let offer = agent.firstOffer; offer !== null; offer = offer.nextOfAgent) pending.push(offer);
    for (const offer of pending) {
      resolveOffer(offer);
      releaseSlot(agent, offer.task.queue.channel);
      emit({
        type: 'task.offer_rescinded',
        at: clock,
        taskId: offer.task.id,
        queueId: offer.task.queue.id,
        agentId: agent.id,
        reason: 'agent_unavailable',
      });
    }
    refreshState(agent);
    for (const offer of pending) if (offer.task.offers.length === 0) dispatch(offer.task);
  }

  // ---- tasks ------------------------------------------------------------------------

  function setTaskKeys(task: Task): void {
    // Inbound before outbound whatever the priorities (blending).
    task.k0 = task.queue.outbound ? 1 : 0;
    if (agingWeightMs === null) {
      task.k1 = -task.priority;
      task.k2 = task.firstQueuedAt;
    } else {
      // score = priority × weight + waited; ordering by it is time-invariant as firstQueuedAt − priority × weight.
      task.k1 = task.firstQueuedAt - task.priority * agingWeightMs;
      task.k2 = 0;
    }
  }

  function pushWaiting(task: Task): void {
    const stage = task.stage;
    task.status = 'waiting';
    stage.tasks.push(task);
    waitingCount++;
    for (const pool of stage.pools) pool.waiting++;
  }

  function pullWaiting(task: Task): void {
    const stage = task.stage;
    stage.tasks.remove(task);
    waitingCount--;
    for (const pool of stage.pools) pool.waiting--;
  }

  function forget(task: Task): void {
    task.stageTimer = cancel(task.stageTimer);
    task.maxWaitTimer = cancel(task.maxWaitTimer);
    task.wrapTimer = cancel(task.wrapTimer);
    tasks.delete(task.id);
  }

  function enterQueue(task: Task, queue: Queue, hops: number): void {
    task.queue = queue;
    task.stage = queue.stages[0]!;
    task.priority = task.spec.priority ?? queue.priority;
    setTaskKeys(task);
    if (queue.hours !== null && !queue.hours.isOpen(clock)) {
      if (queue.closed === 'transfer' && hops <= queues.size) {
        const target = queues.get(queue.closedQueueId!)!;
        emit({
          type: 'task.transferred',
          at: clock,
          taskId: task.id,
          queueId: target.id,
          fromQueueId: queue.id,
          reason: 'closed',
        });
        enterQueue(task, target, hops + 1);
        return;
      }
      if (queue.closed === 'hold') {
        task.status = 'held';
        queue.held.push(task);
        emit({ type: 'task.queued', at: clock, taskId: task.id, queueId: queue.id, held: true });
        ensureHoursTimer(queue);
        return;
      }
      emit({ type: 'task.rejected', at: clock, taskId: task.id, queueId: queue.id, reason: 'closed' });
      forget(task);
      return;
    }
    emit({ type: 'task.queued', at: clock, taskId: task.id, queueId: queue.id, held: false });
    startWaiting(task);
  }

  function startWaiting(task: Task): void {
    task.stage = task.queue.stages[0]!;
    task.stageClockAt = clock;
    task.maxWaitAt = clock + task.queue.maxWaitMs;
    dispatch(task);
  }

  /** Routes a task that is in no heap and has no offer: offer it, or let it wait. */
  function dispatch(task: Task): void {
    const stages = task.queue.stages;
    for (let next = stages[task.stage.number + 1]; next && task.stageClockAt + next.afterMs <= clock; ) {
      task.stage = next;
      emit({
        type: 'task.overflowed',
        at: clock,
        taskId: task.id,
        queueId: task.queue.id,
        stage: next.number,
      });
      next = stages[next.number + 1];
    }
    if (clock >= task.maxWaitAt) {
      expire(task);
      return;
    }
    if (offerTask(task)) {
      task.stageTimer = cancel(task.stageTimer);
      task.maxWaitTimer = cancel(task.maxWaitTimer);
      return;
    }
    pushWaiting(task);
    const next = stages[task.stage.number + 1];
    if (next && task.stageTimer === null) {
      task.stageTimer = schedule('stage', task.stageClockAt + next.afterMs, task, null);
    }
    if (task.maxWaitTimer === null && task.maxWaitAt !== Number.POSITIVE_INFINITY) {
      task.maxWaitTimer = schedule('max_wait', task.maxWaitAt, task, null);
    }
  }

  function expire(task: Task): void {
    const queue = task.queue;
    task.stageTimer = cancel(task.stageTimer);
    task.maxWaitTimer = cancel(task.maxWaitTimer);
    if (queue.maxWaitQueueId !== null) {
      const target = queues.get(queue.maxWaitQueueId)!;
      emit({
        type: 'task.transferred',
        at: clock,
        taskId: task.id,
        queueId: target.id,
        fromQueueId: queue.id,
        reason: 'max_wait',
      });
      enterQueue(task, target, 0);
      return;
    }
    emit({
      type: 'task.timed_out',
      at: clock,
      taskId: task.id,
      queueId: queue.id,
      waitMs: clock - task.firstQueuedAt,
    });
    forget(task);
  }

  function declinedBy(task: Task, agent: Agent): boolean {
    const declined = task.declined;
    if (declined === null) return false;
    for (const entry of declined) if (entry.agent === agent && entry.until > clock) return true;
    return false;
  }

  /** Whether an outbound task may not take this agent: needed by inbound work (see blending). */
  function withheld(agent: Agent, channel: number): boolean {
    const idleHere = (agent.idleMask & (1 << channel)) !== 0 ? 1 : 0;
    for (const pool of laneOf(agent, channel).pools) {
      if (!pool.inbound) continue;
      for (const stage of pool.stages) if (!stage.queue.outbound && stage.tasks.size > 0) return true;
      if (pool.inboundReserve > 0 && pool.idle - idleHere < pool.inboundReserve) return true;
    }
    return false;
  }

  function offerTask(task: Task): boolean {
    const stagePools = task.stage.pools;
    const queue = task.queue;
    const outbound = queue.outbound;
    const accept =
      task.declined === null && !outbound
        ? null
        : (member: Member) =>
            !declinedBy(task, member.agent) && !(outbound && withheld(member.agent, queue.channel));
    if (queue.strategy === 'ring-all') {
      const chosen: Agent[] = [];
      for (const pool of stagePools) {
        pool.index.forEach((member) => {
          if (accept === null || accept(member)) chosen.push(member.agent);
        });
      }
      for (const agent of chosen) makeOffer(task, agent);
      return chosen.length > 0;
    }
    let member: Member | undefined;
    if (stagePools.length === 1 && accept === null && stagePools[0]!.index instanceof HeapIndex) {
      // The common decision: one pool, no exclusions. Straight to the agent's row.
      const row = stagePools[0]!.index.bestRow();
      if (row < 0) return false;
      makeOffer(task, agentsByRow[row]!);
      return true;
    }
    if (stagePools.length === 1) {
      member = stagePools[0]!.index.choose(accept);
    } else if (queue.strategy === 'round-robin') {
      // Each step's agents take their turns after the earlier steps' agents.
      for (let i = 0; i < stagePools.length && member === undefined; i++)
        member = stagePools[i]!.index.choose(accept);
    } else if (queue.strategy === 'random') {
      member = chooseWeighted(stagePools, accept);
    } else {
      for (const pool of stagePools) {
        const candidate = pool.index.choose(accept);
        if (candidate !== undefined && (member === undefined || heapItemBefore(candidate, member)))
          member = candidate;
      }
    }
    if (member === undefined) return false;
    makeOffer(task, member.agent);
    return true;
  }

  /** Random strategy over several pools: uniform over their idle agents together. */
  function chooseWeighted(
    stagePools: Pool[],
    accept: ((member: Member) => boolean) | null,
  ): Member | undefined {
    let total = 0;
    for (const pool of stagePools) total += pool.index.idleCount();
    if (total === 0) return undefined;
    let draw = random!() * total;
    let start = stagePools.length - 1;
    for (let i = 0; i < stagePools.length; i++) {
      draw -= stagePools[i]!.index.idleCount();
      if (draw < 0) {
        start = i;
        break;
      }
    }
    for (let i = 0; i < stagePools.length; i++) {
      const member = stagePools[(start + i) % stagePools.length]!.index.choose(accept);
      if (member !== undefined) return member;
    }
    return undefined;
  }

  function makeOffer(task: Task, agent: Agent): void {
    const channel = task.queue.channel;
    const expiresAt = clock + task.queue.offerTimeoutMs;
    const offer: Offer = {
      k0: expiresAt,
      k1: 0,
      k2: 0,
      seq: 0,
      heapIndex: -1,
      kind: 'offer',
      task,
      agent,
      expiresAt,
      previousOfAgent: null,
      nextOfAgent: agent.firstOffer,
    };
    // Most tasks get one offer: an array of one rather than one grown for many.
    if (task.offers.length === 0) task.offers = [offer];
    else task.offers.push(offer);
    task.status = 'offered';
    if (agent.firstOffer !== null) agent.firstOffer.previousOfAgent = offer;
    agent.firstOffer = offer;
    agent.offerCount++;
    laneOf(agent, channel).load++;
    agent.totalLoad++;
    loadChanged(agent, channel);
    emit({
      type: 'task.offered',
      at: clock,
      taskId: task.id,
      queueId: task.queue.id,
      agentId: agent.id,
      expiresAt: offer.expiresAt,
    });
    offer.seq = ++timerSeq;
    timers.push(offer);
    refreshState(agent);
  }

  function resolveOffer(offer: Offer): void {
    cancel(offer);
    const taskOffers = offer.task.offers;
    taskOffers.splice(taskOffers.indexOf(offer), 1);
    const agent = offer.agent;
    if (offer.previousOfAgent === null) agent.firstOffer = offer.nextOfAgent;
    else offer.previousOfAgent.nextOfAgent = offer.nextOfAgent;
    if (offer.nextOfAgent !== null) offer.nextOfAgent.previousOfAgent = offer.previousOfAgent;
    agent.offerCount--;
  }

  function releaseSlot(agent: Agent, channel: number): void {
    laneOf(agent, channel).load--;
    agent.totalLoad--;
    loadChanged(agent, channel);
  }

  function declineOffer(offer: Offer, how: 'rejected' | 'timed_out'): void {
    const { task, agent } = offer;
    resolveOffer(offer);
    releaseSlot(agent, task.queue.channel);
    emit({
      type: how === 'rejected' ? 'task.offer_rejected' : 'task.offer_timed_out',
      at: clock,
      taskId: task.id,
      queueId: task.queue.id,
      agentId: agent.id,
    });
    if (declineCooldownMs > 0) {
      const until = clock + declineCooldownMs;
      if (task.declined === null) task.declined = [];
      task.declined.push({ agent, until });
      schedule('retry', until, task, null);
    }
    if (how === 'timed_out') {
      agent.missed++;
      if (maxMissedOffers > 0 && agent.missed >= maxMissedOffers && agent.presence === 'available') {
        setPresence(agent, 'not_ready', 'missed_offers');
      }
    }
    refreshState(agent);
    if (task.offers.length === 0) dispatch(task);
    serveAgent(agent);
  }

  /** The best waiting task of a step for this agent, skipping tasks it declined; undefined if none. */
  function candidateIn(
    stage: Stage,
    agent: Agent,
    withheldOn: (channel: number) => boolean,
  ): Task | undefined {
    const heap = stage.tasks;
    if (heap.size === 0 || (stage.queue.outbound && withheldOn(stage.queue.channel))) return undefined;
    const top = heap.peek()!;
    if (top.declined === null || !declinedBy(top, agent)) return top;
    return heap.find((task) => !declinedBy(task, agent));
  }

  /** Gives a freed-up agent the best waiting task it may serve, as long as it has room. */
  function serveAgent(agent: Agent): void {
    let withheldCache: (boolean | undefined)[] | null = null;
    const withheldOn = (channel: number): boolean => {
      if (withheldCache === null) withheldCache = [];
      let answer = withheldCache[channel];
      if (answer === undefined) {
        answer = withheld(agent, channel);
        withheldCache[channel] = answer;
      }
      return answer;
    };
    while (waitingCount > 0 && agent.presence === 'available') {
      let best: Task | undefined;
      for (let channel = 0; channel < CHANNEL_COUNT; channel++) {
        const agentPools = laneOf(agent, channel).pools;
        if (agentPools.length === 0 || !isIdleOn(agent, channel)) continue;
        for (let p = 0; p < agentPools.length; p++) {
          const pool = agentPools[p]!;
          if (pool.waiting === 0) continue;
          for (let s = 0; s < pool.stages.length; s++) {
            const candidate = candidateIn(pool.stages[s]!, agent, withheldOn);
            if (candidate !== undefined && (best === undefined || heapItemBefore(candidate, best)))
              best = candidate;
          }
        }
      }
      if (best === undefined) return;
      pullWaiting(best);
      best.stageTimer = cancel(best.stageTimer);
      best.maxWaitTimer = cancel(best.maxWaitTimer);
      makeOffer(best, agent);
      withheldCache = null;
    }
  }

  function endWrap(task: Task): void {
    const agent = task.agent!;
    const channel = task.queue.channel;
    task.wrapTimer = cancel(task.wrapTimer);
    agent.wrapping--;
    agent.handleMsToday += Math.round(clock - task.acceptedAt);
    memberTable.setDaily(agent.seq, agent.handleMsToday, agent.contactsToday);
    const lane = laneOf(agent, channel);
    lane.idleRank = ++idleCounter;
    lane.load--;
    agent.totalLoad--;
    emit({ type: 'task.wrap_ended', at: clock, taskId: task.id, queueId: task.queue.id, agentId: agent.id });
    forget(task);
    refreshState(agent);
    // Waiting work first: an agent that takes a waiting task at once need not be
    // entered in its pools only to be taken out again (serveAgent needs no index).
    serveAgent(agent);
    loadChanged(agent, channel);
    keysChanged(agent, channel);
  }

  function findOffer(task: Task, agentId: string, verb: string): Offer {
    for (const offer of task.offers) if (offer.agent.id === agentId) return offer;
    throw new RoutingError(
      'ROUTING_OFFER_GONE',
      `cannot ${verb}: task '${task.id}' has no open offer to agent '${agentId}' (accepted elsewhere, timed out, rescinded or never made)`,
    );
  }

  // ---- public API ----------------------------------------------------------------------

  addQueues(options.queues ?? []);

  const router: Router = {
    addAgent(spec, now) {
      begin(now);
      if (typeof spec.id !== 'string' || spec.id === '') invalid('agent.id', 'expected a non-empty string');
      if (agents.has(spec.id))
        throw new RoutingError('ROUTING_DUPLICATE_ID', `agent '${spec.id}' already exists`);
      const { capacity, ...fields } = buildAgentFields(spec);
      const lanes = capacity.map(laneFor);
      // Fields in the order a decision reads them: the first two cache lines of the
      // object hold everything an offer touches (V8 lays fields out in this order).
      const agent: Agent = {
        seq: ++agentSeq,
        id: spec.id,
        presence: 'offline',
        idleMask: 0,
        totalLoad: 0,
        maxTasks: fields.maxTasks,
        lane0: lanes[0]!,
        firstOffer: null,
        offerCount: 0,
        active: 0,
        wrapping: 0,
        state: 'offline',
        stateReason: null,
        reason: null,
        lane1: lanes[1]!,
        lane2: lanes[2]!,
        lane3: lanes[3]!,
        lane4: lanes[4]!,
        lanes,
        organizations: fields.organizations,
        subject: fields.subject,
        handleMsToday: 0,
        contactsToday: 0,
        missed: 0,
      };
      agents.set(agent.id, agent);
      agentsByRow[agent.seq] = agent;
      memberTable.ensureRow(agent.seq);
      for (const pool of pools.values()) if (eligible(agent, pool)) join(agent, pool);
      return finish();
    },

    updateAgent(spec, now) {
      begin(now);
      const agent = getAgentRecord(spec.id);
      const { capacity, ...fields } = buildAgentFields(spec);
      leaveAll(agent);
      Object.assign(agent, fields);
      setLanes(
        agent,
        agent.lanes.map((lane, channel) => {
          if (lane === NO_LANE) return laneFor(capacity[channel]!);
          lane.capacity = capacity[channel]!;
          lane.keyLoad = Number.NaN;
          return lane;
        }),
      );
      for (const pool of pools.values()) if (eligible(agent, pool)) join(agent, pool);
      reindex(agent, -1);
      serveAgent(agent);
      return finish();
    },

    removeAgent(agentId, now) {
      begin(now);
      const agent = getAgentRecord(agentId);
      if (agent.presence !== 'offline' || agent.totalLoad > 0) {
        throw new RoutingError(
          'ROUTING_INVALID_TRANSITION',
          `agent '${agentId}' must be offline with no tasks to be removed (state ${agent.state})`,
        );
      }
      leaveAll(agent);
      agents.delete(agentId);
      agentsByRow[agent.seq] = undefined;
      return finish();
    },

    setAgentState(agentId, presence, now, reason) {
      begin(now);
      const agent = getAgentRecord(agentId);
      if (presence !== 'available' && presence !== 'not_ready' && presence !== 'offline') {
        throw new RoutingError(
          'ROUTING_INVALID_TRANSITION',
          `agent state must be available, not_ready or offline, got '${presence}'; reserved, busy and wrap_up follow from tasks`,
        );
      }
      const nextReason = presence === 'not_ready' ? (reason ?? null) : null;
      if (presence !== agent.presence || nextReason !== agent.reason) {
        if (presence === 'available') agent.missed = 0;
        setPresence(agent, presence, nextReason);
      }
      return finish();
    },

    addQueue(spec, now) {
      begin(now);
      addQueues([spec]);
      return finish();
    },

    updateQueue(spec, now) {
      begin(now);
      const queue = queues.get(spec.id);
      if (!queue)
        throw new RoutingError('ROUTING_UNKNOWN_QUEUE', `no queue '${spec.id}'`, { field: 'queueId' });
      // Tasks in progress hold slots on the queue's channel, and pools are per organization.
      if (spec.organizationId !== queue.organizationId)
        invalid(`queues.${spec.id}.organizationId`, 'cannot change; add a new queue');
      if (channelOf(spec.channel, `queues.${spec.id}.channel`) !== queue.channel)
        invalid(`queues.${spec.id}.channel`, 'cannot change; add a new queue');
      replaceQueue(queue, buildQueue(spec, new Map([[spec.id, spec]])));
      return finish();
    },

    enqueue(spec, now) {
      begin(now);
      if (typeof spec.id !== 'string' || spec.id === '') invalid('task.id', 'expected a non-empty string');
      if (tasks.has(spec.id))
        throw new RoutingError('ROUTING_DUPLICATE_ID', `task '${spec.id}' is already in progress`);
      const queue = queues.get(spec.queueId);
      if (!queue)
        throw new RoutingError('ROUTING_UNKNOWN_QUEUE', `no queue '${spec.queueId}'`, { field: 'queueId' });
      if (spec.priority !== undefined && !Number.isFinite(spec.priority)) {
        invalid(`task ${spec.id}.priority`, 'expected a finite number');
      }
      if (spec.enqueuedAt !== undefined && !(Number.isFinite(spec.enqueuedAt) && spec.enqueuedAt <= clock)) {
        invalid(`task ${spec.id}.enqueuedAt`, 'expected a finite time not after now');
      }
      const task: Task = {
        k0: 0,
        k1: 0,
        k2: 0,
        seq: ++taskSeq,
        heapIndex: -1,
        id: spec.id,
        spec,
        queue,
        stage: queue.stages[0]!,
        status: 'waiting',
        priority: 0,
        firstQueuedAt: spec.enqueuedAt ?? clock,
        stageClockAt: clock,
        maxWaitAt: Number.POSITIVE_INFINITY,
        offers: [],
        declined: null,
        agent: null,
        acceptedAt: 0,
        stageTimer: null,
        maxWaitTimer: null,
        wrapTimer: null,
      };
      tasks.add(task);
      enterQueue(task, queue, 0);
      return finish();
    },

    accept(taskId, agentId, now) {
      begin(now);
      const task = getTaskRecord(taskId);
      const offer = findOffer(task, agentId, 'accept');
      const agent = offer.agent;
      resolveOffer(offer);
      agent.active++;
      agent.missed = 0;
      agent.contactsToday++;
      memberTable.setDaily(agent.seq, agent.handleMsToday, agent.contactsToday);
      task.status = 'active';
      task.agent = agent;
      task.acceptedAt = clock;
      emit({
        type: 'task.accepted',
        at: clock,
        taskId,
        queueId: task.queue.id,
        agentId,
        waitMs: clock - task.firstQueuedAt,
      });
      keysChanged(agent, -1);
      refreshState(agent);
      const others = task.offers.slice();
      for (const other of others) {
        resolveOffer(other);
        releaseSlot(other.agent, task.queue.channel);
        emit({
          type: 'task.offer_rescinded',
          at: clock,
          taskId,
          queueId: task.queue.id,
          agentId: other.agent.id,
          reason: 'accepted_elsewhere',
        });
        refreshState(other.agent);
      }
      for (const other of others) serveAgent(other.agent);
      return finish();
    },

    reject(taskId, agentId, now) {
      begin(now);
      declineOffer(findOffer(getTaskRecord(taskId), agentId, 'reject'), 'rejected');
      return finish();
    },

    timeoutOffer(taskId, agentId, now) {
      begin(now);
      declineOffer(findOffer(getTaskRecord(taskId), agentId, 'time out'), 'timed_out');
      return finish();
    },

    abandon(taskId, now) {
      begin(now);
      const task = getTaskRecord(taskId);
      if (task.status === 'active' || task.status === 'wrap_up') {
        throw new RoutingError(
          'ROUTING_INVALID_TRANSITION',
          `task '${taskId}' is ${task.status}: a connected contact ends with complete, not abandon`,
        );
      }
      if (task.status === 'waiting') pullWaiting(task);
      if (task.status === 'held') task.queue.held.splice(task.queue.held.indexOf(task), 1);
      emit({
        type: 'task.abandoned',
        at: clock,
        taskId,
        queueId: task.queue.id,
        waitMs: clock - task.firstQueuedAt,
      });
      const offers = task.offers.slice();
      for (const offer of offers) {
        resolveOffer(offer);
        releaseSlot(offer.agent, task.queue.channel);
        emit({
          type: 'task.offer_rescinded',
          at: clock,
          taskId,
          queueId: task.queue.id,
          agentId: offer.agent.id,
          reason: 'task_abandoned',
        });
        refreshState(offer.agent);
      }
      forget(task);
      for (const offer of offers) serveAgent(offer.agent);
      return finish();
    },

    complete(taskId, now) {
      begin(now);
      const task = getTaskRecord(taskId);
      if (task.status !== 'active') {
        throw new RoutingError(
          'ROUTING_INVALID_TRANSITION',
          `task '${taskId}' is ${task.status}, not active`,
        );
      }
      const agent = task.agent!;
      agent.active--;
      agent.wrapping++;
      task.status = 'wrap_up';
      emit({ type: 'task.completed', at: clock, taskId, queueId: task.queue.id, agentId: agent.id });
      const wrapMs = task.queue.wrapMs;
      if (wrapMs === 0) {
        endWrap(task);
      } else {
        if (wrapMs !== Number.POSITIVE_INFINITY)
          task.wrapTimer = schedule('wrap', clock + wrapMs, task, null);
        refreshState(agent);
      }
      return finish();
    },

    endWrapUp(taskId, now) {
      begin(now);
      const task = getTaskRecord(taskId);
      if (task.status !== 'wrap_up') {
        throw new RoutingError(
          'ROUTING_INVALID_TRANSITION',
          `task '${taskId}' is ${task.status}, not in wrap-up`,
        );
      }
      endWrap(task);
      return finish();
    },

    tick(now) {
      begin(now);
      return finish();
    },

    nextTimerAt() {
      return timers.peek()?.k0;
    },

    getAgent(agentId): RoutingAgentSnapshot {
      const agent = getAgentRecord(agentId);
      const load: Partial<Record<RoutingChannel, number>> = {};
      ROUTING_CHANNELS.forEach((channel, i) => {
        if (laneOf(agent, i).load > 0) load[channel] = laneOf(agent, i).load;
      });
      return {
        id: agent.id,
        state: agent.state,
        presence: agent.presence,
        reason: agent.stateReason,
        load,
        consecutiveMissedOffers: agent.missed,
        handleMsToday: agent.handleMsToday,
        contactsToday: agent.contactsToday,
      };
    },

    getTask(taskId): RoutingTaskSnapshot | undefined {
      const task = tasks.get(taskId);
      if (!task) return undefined;
      return {
        id: task.id,
        queueId: task.queue.id,
        status: task.status,
        priority: task.priority,
        stage: task.stage.number,
        firstQueuedAt: task.firstQueuedAt,
        offeredTo: task.offers.map((offer) => offer.agent.id),
        agentId: task.agent?.id ?? null,
      };
    },

    queueStats(queueId, now) {
      const queue = queues.get(queueId);
      if (!queue)
        throw new RoutingError('ROUTING_UNKNOWN_QUEUE', `no queue '${queueId}'`, { field: 'queueId' });
      let waiting = 0;
      let oldest = Number.POSITIVE_INFINITY;
      for (const stage of queue.stages) {
        waiting += stage.tasks.size;
        for (const task of stage.tasks.items) oldest = Math.min(oldest, task.firstQueuedAt);
      }
      for (const task of queue.held) oldest = Math.min(oldest, task.firstQueuedAt);
      return {
        queueId,
        open: queue.hours === null || queue.hours.isOpen(now),
        waiting,
        held: queue.held.length,
        idleAgents: queue.stages[0]!.pools[0]!.index.idleCount(),
        oldestQueuedAt: oldest === Number.POSITIVE_INFINITY ? null : oldest,
      };
    },
  };
  return router;
}
