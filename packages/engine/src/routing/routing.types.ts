// Public types of the routing engine. Times are UTC epoch milliseconds passed in
// by the caller (`now`); durations carry their unit in the name.
import type { OpenHours } from './open-hours.ts';
import type { AttributeValue } from './skill-expression.ts';

export type RoutingChannel = 'voice' | 'chat' | 'email' | 'sms' | 'social';
export const ROUTING_CHANNELS: readonly RoutingChannel[] = ['voice', 'chat', 'email', 'sms', 'social'];

export type RoutingStrategy =
  /** The agent idle the longest on the channel (default). */
  | 'longest-idle'
  /** The agent with the least handle time in the current day, then longest idle. */
  | 'least-occupied'
  /** The highest proficiency in the queue's skills, then longest idle. */
  | 'best-skill-then-longest-idle'
  /** The next idle agent after the last one offered, in the order agents were added. */
  | 'round-robin'
  /** The agent who accepted the fewest tasks in the current day, then longest idle. */
  | 'fewest-contacts'
  /** A uniform pick among the idle agents, drawn from the injected `random`. */
  | 'random'
  /** Every idle eligible agent is offered the task at once; the first accept wins. */
  | 'ring-all';

export const ROUTING_STRATEGIES: readonly RoutingStrategy[] = [
  'longest-idle',
  'least-occupied',
  'best-skill-then-longest-idle',
  'round-robin',
  'fewest-contacts',
  'random',
  'ring-all',
];

/** Derived agent state: the agent-state log is the sequence of these. */
export type RoutingAgentState = 'offline' | 'available' | 'reserved' | 'busy' | 'wrap_up' | 'not_ready';

/** What an agent (or a supervisor) asks for; reserved/busy/wrap_up follow from the agent's tasks. */
export type RoutingAgentPresence = 'offline' | 'available' | 'not_ready';

export type RoutingAgentSpec = {
  id: string;
  /** Organizations whose queues the agent may serve. */
  organizations: string[];
  /** Proficiency 1–10 per skill, e.g. `{ donor_care: 7 }`. */
  skills: Record<string, number>;
  /** Other facts expressions may test, e.g. `{ language: ['it', 'en'] }`. */
  attributes?: Record<string, AttributeValue>;
  /** Concurrent tasks per channel, e.g. `{ voice: 1 }` or `{ chat: 3 }`; absent = 0. */
  capacity: Partial<Record<RoutingChannel, number>>;
  /** Concurrent tasks over all channels together; default unlimited (per-channel capacity only). */
  maxTasks?: number;
};

export type RoutingOverflowStep = {
  /** Seconds in the queue after which the step applies. Steps are in increasing order. */
  afterSeconds: number;
  /**
   * Adds the agents matching this expression, e.g. `donor_care >= 3` after a first
   * step of `donor_care >= 7`. Steps only widen: agents eligible at an earlier
   * step stay eligible, so a task never becomes harder to place as it waits.
   */
  skills?: string;
  /** Adds the agents eligible for these queues' own expressions — of this queue's organization. */
  addQueues?: string[];
};

export type RoutingQueueSpec = {
  id: string;
  organizationId: string;
  channel: RoutingChannel;
  /** Default inbound. Outbound tasks (preview, dialer connects) yield to inbound ones. */
  direction?: 'inbound' | 'outbound';
  /** Required skills as an expression, e.g. `language == 'it' && donor_care >= 5`; default any agent. */
  skills?: string;
  strategy?: RoutingStrategy;
  /** best-skill: the skills whose proficiencies are summed; default the numeric names in `skills`. */
  rankSkills?: string[];
  /** Priority of this queue's tasks unless the task sets one; higher is served first. Default 0. */
  priority?: number;
  /** After this wait the task leaves: to `maxWaitQueueId` if set, else `task.timed_out`. */
  maxWaitSeconds?: number;
  maxWaitQueueId?: string;
  overflow?: RoutingOverflowStep[];
  /** Absent = always open. */
  hours?: OpenHours;
  /**
   * A task arriving while closed: `reject` (task.rejected, the caller plays the
   * closed message), `hold` (waits until opening: e-mails overnight) or `transfer`
   * to `closedQueueId`. Tasks already waiting at closing time are still served.
   */
  closed?: 'reject' | 'hold' | 'transfer';
  closedQueueId?: string;
  /** After-contact work: the agent's slot stays taken this long after `complete`. Default 0; Infinity = until `endWrapUp`. */
  wrapUpSeconds?: number;
  /** Reported in queue stats; not used for routing. Default 20 (DOMAIN.md §3). */
  serviceLevelSeconds?: number;
  /** Overrides the router's offer timeout for this queue. */
  offerTimeoutSeconds?: number;
  /** Inbound queues: idle agents kept back from outbound work (overrides `blending.inboundReserve`). */
  inboundReserve?: number;
};

export type RoutingTaskKind =
  | 'call'
  | 'callback'
  | 'email'
  | 'chat'
  | 'sms'
  | 'social'
  | 'outbound_preview'
  | 'outbound_call';

export type RoutingTaskSpec = {
  id: string;
  queueId: string;
  kind?: RoutingTaskKind;
  /** Higher is served first; default the queue's priority. */
  priority?: number;
  /**
   * When the contact's wait began, if before `now` (a callback keeps the place
   * its caller had): ordering and `waitMs` count from it. Stages and the
   * maximum wait still count from the enqueue. Default `now`; a later time is refused.
   */
  enqueuedAt?: number;
  /** Carried through unchanged for the caller (caller id, supporter id, …). */
  attributes?: Record<string, unknown>;
};

export type RouterOptions = {
  queues: RoutingQueueSpec[];
  /** Uniform [0, 1) source for the `random` strategy (e.g. createRandom(seed)); required if a queue uses it. */
  random?: () => number;
  strategyOptions?: {
    /** Strategy of queues that name none; default longest-idle. */
    defaultStrategy?: RoutingStrategy;
    /** Where "the current day" of least-occupied and fewest-contacts starts, minutes after 00:00 UTC. Default 0. */
    dayStartMinutesUtc?: number;
  };
  /**
   * Waiting tasks are ordered by priority, then by time waited. With aging, by
   * score = priority × priorityWeightSeconds + seconds waited, so a long wait can
   * overtake a higher priority.
   */
  aging?: { priorityWeightSeconds: number };
  /**
   * Inbound work always comes first: a freed agent takes any waiting inbound task
   * before an outbound one, and an outbound task is never given to an agent that a
   * waiting inbound task could take. On top of that, the reserve keeps idle agents
   * back from outbound work.
   */
  blending?: {
    /**
     * An outbound task is not given to an agent if an inbound queue the agent serves
     * would be left with fewer than this many idle agents. Default 0; a queue's own
     * `inboundReserve` overrides it.
     */
    inboundReserve?: number;
  };
  /** Seconds an offer rings before it times out; default 20. */
  offerTimeoutSeconds?: number;
  /** Consecutive timed-out offers after which the agent goes not_ready('missed_offers'); default 3, 0 = never. */
  maxMissedOffers?: number;
  /** Seconds during which a task is not re-offered to an agent who declined it (when others can take it); default 30. */
  declineCooldownSeconds?: number;
  /** Called with every event as it happens, in addition to the arrays methods return. Must not call the router. */
  onEvent?: (event: RoutingEvent) => void;
};

type At = { at: number };
type TaskRef = At & { taskId: string; queueId: string };

export type RoutingEvent =
  | (TaskRef & { type: 'task.queued'; held: boolean })
  | (TaskRef & { type: 'task.released' })
  | (TaskRef & { type: 'task.rejected'; reason: 'closed' })
  | (TaskRef & { type: 'task.offered'; agentId: string; expiresAt: number })
  | (TaskRef & { type: 'task.offer_rejected'; agentId: string })
  | (TaskRef & { type: 'task.offer_timed_out'; agentId: string })
  | (TaskRef & {
      type: 'task.offer_rescinded';
      agentId: string;
      reason: 'accepted_elsewhere' | 'task_abandoned' | 'agent_unavailable';
    })
  | (TaskRef & { type: 'task.accepted'; agentId: string; waitMs: number })
  | (TaskRef & { type: 'task.overflowed'; stage: number })
  | (TaskRef & { type: 'task.transferred'; fromQueueId: string; reason: 'max_wait' | 'closed' })
  | (TaskRef & { type: 'task.timed_out'; waitMs: number })
  | (TaskRef & { type: 'task.abandoned'; waitMs: number })
  | (TaskRef & { type: 'task.completed'; agentId: string })
  | (TaskRef & { type: 'task.wrap_ended'; agentId: string })
  | (At & {
      type: 'agent.state_changed';
      agentId: string;
      from: RoutingAgentState;
      to: RoutingAgentState;
      reason: string | null;
    });

export type RoutingEventType = RoutingEvent['type'];

export type RoutingTaskStatus = 'held' | 'waiting' | 'offered' | 'active' | 'wrap_up';

export type RoutingTaskSnapshot = {
  id: string;
  queueId: string;
  status: RoutingTaskStatus;
  priority: number;
  /** Overflow step the task is in (0 = the queue's own expression). */
  stage: number;
  firstQueuedAt: number;
  /** Agents currently offered the task (several under ring-all). */
  offeredTo: string[];
  agentId: string | null;
};

export type RoutingAgentSnapshot = {
  id: string;
  state: RoutingAgentState;
  presence: RoutingAgentPresence;
  reason: string | null;
  /** Taken slots (offered, active, wrapping) per channel. */
  load: Partial<Record<RoutingChannel, number>>;
  consecutiveMissedOffers: number;
  handleMsToday: number;
  contactsToday: number;
};

export type RoutingQueueStats = {
  queueId: string;
  open: boolean;
  waiting: number;
  held: number;
  /** Idle agents able to take the queue's next task at its first step. */
  idleAgents: number;
  /** Earliest `firstQueuedAt` among waiting and held tasks; null if none. */
  oldestQueuedAt: number | null;
};

export type Router = {
  addAgent(agent: RoutingAgentSpec, now: number): RoutingEvent[];
  /** Replaces an agent's skills, organizations or capacity; memberships are recomputed. */
  updateAgent(agent: RoutingAgentSpec, now: number): RoutingEvent[];
  /** Removes an agent that is offline with no tasks. */
  removeAgent(agentId: string, now: number): RoutingEvent[];
  /** Login (`available`), `not_ready` with a reason, or logout (`offline`); deferred behind tasks in progress. */
  setAgentState(
    agentId: string,
    presence: RoutingAgentPresence,
    now: number,
    reason?: string,
  ): RoutingEvent[];
  addQueue(queue: RoutingQueueSpec, now: number): RoutingEvent[];
  /**
   * Replaces a queue's spec (not its organization or channel). Waiting tasks keep
   * their place and move to the overflow step their wait has reached under the new
   * steps; offers and conversations in progress go on; the new strategy, skills,
   * overflow, priority, maximum wait, wrap-up and hours apply to the next decisions.
   * Held tasks are released at once if the queue is now open.
   */
  updateQueue(queue: RoutingQueueSpec, now: number): RoutingEvent[];
  enqueue(task: RoutingTaskSpec, now: number): RoutingEvent[];
  accept(taskId: string, agentId: string, now: number): RoutingEvent[];
  reject(taskId: string, agentId: string, now: number): RoutingEvent[];
  /** Times an offer out now (the router also does so itself when the offer's timer falls due). */
  timeoutOffer(taskId: string, agentId: string, now: number): RoutingEvent[];
  /** The customer left before being connected (waiting, held or offered). */
  abandon(taskId: string, now: number): RoutingEvent[];
  /** The conversation ended; wrap-up starts. */
  complete(taskId: string, now: number): RoutingEvent[];
  /** The agent finished after-contact work before the queue's wrap-up time. */
  endWrapUp(taskId: string, now: number): RoutingEvent[];
  /** Processes every timer due at or before `now` (offer timeouts, overflow, wrap-up, max wait, hours). */
  tick(now: number): RoutingEvent[];
  /** When the next timer falls due, so a simulator can jump there; undefined if none. */
  nextTimerAt(): number | undefined;
  getAgent(agentId: string): RoutingAgentSnapshot;
  getTask(taskId: string): RoutingTaskSnapshot | undefined;
  queueStats(queueId: string, now: number): RoutingQueueStats;
};
