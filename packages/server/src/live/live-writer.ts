// The live runtime's writes, batched. A busy center produces a dozen writes
// per contact (the row, each phase, the close with its rollups and outbox
// event, the operator's state changes); one transaction each would make the
// database's commit the center's speed limit. The writer keeps them in order
// in memory and flushes everything pending in one go, as soon as the previous
// flush is done:
//
// - per organization, one transaction: new interaction rows in one INSERT
//   (with every phase already known merged in), the other phase updates merged
//   per row into one UPDATE, the closes (those with nothing but their fields in
//   one UPDATE and one INSERT of their outbox events, the others one by one in
//   arrival order) and one rollup refresh for all of them (modules/kpis
//   `recordInteractionsClosed`). Statements do not grow with the contacts: a
//   statement per row made the writer's round trips its limit on a slower
//   machine (README, live load);
// - the operators' state changes in one center transaction: the open
//   intervals of the operators concerned closed in one UPDATE, every new
//   interval in one INSERT (those that already ended in the same flush go in
//   closed);
// - closes with a giving effect (upgrade, conversion…) keep their own
//   transactions, because a refused effect rolls back alone and the close is
//   retried without it (interactions.store.ts `closeInteraction`);
// - other work (a callback row, a contact released) in a transaction of its
//   own, in its place: what was written before it is committed first, what
//   after it comes after.
//
// The busier the center, the more each flush carries, so the commits per
// second stay flat while contacts per second grow. Ordering per interaction and
// per operator is kept; nothing else depends on the order. If a batched
// transaction fails, its operations are retried one by one in the old way, so
// one bad row never loses the others' writes (and the failure is logged).
import { sql } from 'kysely';
import type { Database, Tx } from '../db/database.ts';
import type { AgentState, Channel } from '../db/schema.ts';
import { recordInteractionsClosed } from '../modules/kpis/kpi-rollups.service.ts';
import {
  type ClosedInterval,
  type CloseInteractionOptions,
  closeInteraction,
  closeInteractionIn,
  closeInteractionsIn,
  emitIntervalEvents,
  type InsertInteractionOptions,
  type InteractionPatch,
  insertInteraction,
  interactionRowValues,
  switchAgentState,
  updateInteraction,
  updateInteractionsIn,
} from './interactions.store.ts';

export type AgentStateChange = {
  userId: string;
  at: Date;
  state: AgentState;
  reason: string | null;
  orgId: string | null;
  queueId: string | null;
  channel: Channel | null;
};

type InteractionOp =
  | { kind: 'insert'; orgId: string; id: string; options: Omit<InsertInteractionOptions, 'db'> }
  | { kind: 'patch'; orgId: string; id: string; patch: InteractionPatch }
  | { kind: 'close'; orgId: string; id: string; options: Omit<CloseInteractionOptions, 'db'> };

type Logger = { error(o: unknown, msg: string): void };

/**
 * Each write returns a promise of its flush: resolved once the flush that
 * carries it is over (committed, or failed and logged). Most callers go on
 * without waiting; an operator's disposition waits, so the answer to the
 * submit means it is on disk.
 */
export type LiveWriter = {
  insertInteraction(options: Omit<InsertInteractionOptions, 'db'>): Promise<void>;
  patchInteraction(orgId: string, id: string, patch: InteractionPatch): Promise<void>;
  closeInteraction(options: Omit<CloseInteractionOptions, 'db'>): Promise<void>;
  agentState(change: AgentStateChange): Promise<void>;
  /** Any other write, in a transaction of its own, after the batched ones pending before it. */
  other(what: string, work: () => Promise<void>): Promise<void>;
  /** Resolves when everything written so far is committed (or has failed and been logged). */
  idle(): Promise<void>;
  /** Operations written so far that are not committed yet. */
  backlog(): number;
};

export function createLiveWriter(options: { db: Database; logger: Logger }): LiveWriter {
  const { db, logger } = options;
  type Op =
    | InteractionOp
    | { kind: 'state'; change: AgentStateChange }
    | { kind: 'other'; what: string; work: () => Promise<void> };
  let queue: Op[] = [];
  let flushing: Promise<void> | null = null;

  const kick = () => {
    if (flushing) return;
    flushing = (async () => {
      // Let the event that caused the write finish first: its siblings join this flush.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (queue.length > 0) {
        const batch = queue;
        const done = batchDone;
        queue = [];
        batchDone = Promise.withResolvers<void>();
        await flush(batch);
        flushed += batch.length;
        done.resolve();
      }
      flushing = null;
    })();
  };
  let pushed = 0;
  let flushed = 0;
  /** Resolved when the flush of what is queued now is over. */
  let batchDone = Promise.withResolvers<void>();

  const push = (op: Op): Promise<void> => {
    queue.push(op);
    pushed++;
    const done = batchDone.promise;
    kick();
    return done;
  };

  /** The batched writes up to each `other`, then it, and so on: the order of the calls. */
  async function flush(batch: Op[]) {
    let interactions: InteractionOp[] = [];
    let states: AgentStateChange[] = [];
    const writeSegment = async () => {
      const byOrg = Map.groupBy(interactions, (op) => op.orgId);
      const segmentStates = states;
      interactions = [];
      states = [];
      await Promise.all([
        ...[...byOrg].map(([orgId, ops]) => flushOrg(orgId, ops)),
        segmentStates.length > 0 ? flushStates(segmentStates) : Promise.resolve(),
      ]);
    };
    for (const op of batch) {
      if (op.kind === 'state') states.push(op.change);
      else if (op.kind !== 'other') interactions.push(op);
      else {
        await writeSegment();
        await op
          .work()
          .catch((error: unknown) => logger.error({ err: error, what: op.what }, 'live write failed'));
      }
    }
    await writeSegment();
  }

  /** One organization's interaction writes: rows, phases, closes, rollups — one transaction. */
  async function flushOrg(orgId: string, ops: InteractionOp[]) {
    const plan = planInteractions(ops);
    try {
      await db.forOrg(orgId, async (tx) => {
        await writeRows(tx, orgId, plan);
        const closed = await closeInteractionsIn(
          tx,
          orgId,
          plan.plainCloses.map((close) => ({ id: close.id, patch: close.options.patch })),
        );
        for (const close of plan.closes) {
          const id = await closeInteractionIn(tx, { ...close.options, db }, { rollups: false });
          if (id !== null) closed.push(id);
        }
        await recordInteractionsClosed(tx, { orgId, interactionIds: closed });
      });
    } catch (error) {
      logger.error({ err: error, orgId, operations: ops.length }, 'live batch failed: writing one by one');
      await writeOneByOne(ops.filter((op) => op.kind !== 'close' || !op.options.cycleOutcome));
    }
    // Giving effects: their own transactions, after the row's other writes.
    for (const close of plan.effectCloses)
      await closeInteraction({ ...close.options, db }).catch((error: unknown) =>
        logger.error({ err: error, interactionId: close.id }, 'live close failed'),
      );
  }

  async function writeOneByOne(ops: InteractionOp[]) {
    for (const op of ops) {
      const work =
        op.kind === 'insert'
          ? () => insertInteraction({ ...op.options, db })
          : op.kind === 'patch'
            ? () => updateInteraction({ db, orgId: op.orgId, id: op.id, patch: op.patch })
            : () => closeInteraction({ ...op.options, db });
      await work().catch((error: unknown) =>
        logger.error({ err: error, interactionId: op.id, kind: op.kind }, 'live write failed'),
      );
    }
  }

  async function flushStates(changes: AgentStateChange[]) {
    try {
      await db.asCenter((tx) => writeStates(tx, changes));
    } catch (error) {
      logger.error({ err: error, changes: changes.length }, 'live state batch failed: writing one by one');
      for (const change of changes)
        await switchAgentState({ db, ...change }).catch((e: unknown) =>
          logger.error({ err: e, userId: change.userId }, 'live write failed'),
        );
    }
  }

  return {
    insertInteraction: (o) => push({ kind: 'insert', orgId: o.orgId, id: o.id, options: o }),
    patchInteraction: (orgId, id, patch) => push({ kind: 'patch', orgId, id, patch }),
    closeInteraction: (o) => push({ kind: 'close', orgId: o.orgId, id: o.id, options: o }),
    agentState: (change) => push({ kind: 'state', change }),
    other: (what, work) => push({ kind: 'other', what, work }),
    async idle() {
      while (flushing) await flushing;
    },
    backlog: () => pushed - flushed,
  };
}

const INSERT_CHUNK = 1000;

type Plan = {
  /** New rows with every phase written before their close merged in. */
  inserts: Omit<InsertInteractionOptions, 'db'>[];
  /** Phases of rows that already exist, merged per row. */
  patches: Map<string, InteractionPatch>;
  /** Closes that only set the row's fields: written together (`closeInteractionsIn`). */
  plainCloses: Extract<InteractionOp, { kind: 'close' }>[];
  /** Closes with a call-list, callback or contact outcome: one by one, in arrival order. */
  closes: Extract<InteractionOp, { kind: 'close' }>[];
  effectCloses: Extract<InteractionOp, { kind: 'close' }>[];
};

/**
 * Merges a flush's operations: phases into the row's insert (or into one
 * update per row), closes after everything else of their row. A phase written
 * after the close (none today) would go to the next flush's order anyway.
 */
function planInteractions(ops: InteractionOp[]): Plan {
  const inserts = new Map<string, Omit<InsertInteractionOptions, 'db'>>();
  const patches = new Map<string, InteractionPatch>();
  const plainCloses: Plan['plainCloses'] = [];
  const closes: Plan['closes'] = [];
  const effectCloses: Plan['effectCloses'] = [];
  const closing = new Set<string>();
  for (const op of ops) {
    if (op.kind === 'insert') inserts.set(op.id, { ...op.options });
    else if (op.kind === 'patch') {
      const insert = inserts.get(op.id);
      if (insert) insert.phases = { ...insert.phases, ...op.patch };
      else patches.set(op.id, { ...patches.get(op.id), ...op.patch });
    } else if (op.options.cycleOutcome) effectCloses.push(op);
    else if (isPlain(op.options) && !closing.has(op.id)) plainCloses.push(op);
    // A second close of a row (none today) finds it closed, as it would one by one.
    else closes.push(op);
    if (op.kind === 'close') closing.add(op.id);
  }
  return { inserts: [...inserts.values()], patches, plainCloses, closes, effectCloses };
}

const isPlain = (o: Omit<CloseInteractionOptions, 'db'>) =>
  !o.effect && !o.cycleOutcome && !o.dialOutcome && !o.callbackOutcome;

async function writeRows(tx: Tx, orgId: string, plan: Plan) {
  // In chunks: a statement takes at most 65,535 parameters (about 25 per row here).
  for (let at = 0; at < plan.inserts.length; at += INSERT_CHUNK)
    await tx
      .insertInto('interactions')
      .values(plan.inserts.slice(at, at + INSERT_CHUNK).map((o) => interactionRowValues(o)))
      .execute();
  await updateInteractionsIn(tx, orgId, [...plan.patches]);
}

/**
 * The same intervals `switchAgentState` writes one change at a time: each
 * change closes the operator's open interval and opens the next (none after
 * `offline`); here the open ones are closed in one UPDATE and every new one
 * inserted at once, ended already when a later change of the flush ended it.
 */
async function writeStates(tx: Tx, changes: AgentStateChange[]) {
  const byUser = Map.groupBy(changes, (c) => c.userId);
  const users = [...byUser.keys()];
  const firstAt = [...byUser.values()].map((list) => list[0]!.at.toISOString());
  const closed = await sql<ClosedInterval>`
    update agent_state_intervals a set ended_at = v.at
    from unnest(${users}::uuid[], ${firstAt}::timestamptz[]) as v(user_id, at)
    where a.user_id = v.user_id and a.ended_at is null
    returning a.user_id, a.org_id, a.state, a.reason, a.queue_id, a.channel, a.started_at, a.ended_at`.execute(
    tx,
  );
  const rows: {
    user_id: string;
    org_id: string | null;
    state: AgentState;
    reason: string | null;
    queue_id: string | null;
    channel: Channel | null;
    started_at: Date;
    ended_at: Date | null;
  }[] = [];
  for (const list of byUser.values())
    for (let i = 0; i < list.length; i++) {
      const change = list[i]!;
      if (change.state === 'offline') continue;
      rows.push({
        user_id: change.userId,
        org_id: change.orgId,
        state: change.state,
        reason: change.reason,
        queue_id: change.queueId,
        channel: change.channel,
        started_at: change.at,
        ended_at: list[i + 1]?.at ?? null,
      });
    }
  if (rows.length === 0) return emitIntervalEvents(tx, closed.rows);
  // One array per column: eight parameters however many intervals (a busy flush has thousands).
  const column = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((row) => row[key]);
  const iso = (value: Date | null) => (value === null ? null : value.toISOString());
  await sql`
    insert into agent_state_intervals (user_id, org_id, state, reason, queue_id, channel, started_at, ended_at)
    select * from unnest(${column('user_id')}::uuid[], ${column('org_id')}::uuid[], ${column('state')}::text[],
                         ${column('reason')}::text[], ${column('queue_id')}::uuid[], ${column('channel')}::text[],
                         ${rows.map((row) => iso(row.started_at))}::timestamptz[],
                         ${rows.map((row) => iso(row.ended_at))}::timestamptz[])`.execute(tx);
  // Closed here or by a later change of this flush: through the outbox, as switchAgentState does.
  await emitIntervalEvents(tx, [...closed.rows, ...rows.filter((row) => row.ended_at !== null)]);
}
