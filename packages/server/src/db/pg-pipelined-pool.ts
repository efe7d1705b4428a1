// A node-postgres pool that saves round trips around tenant units of work,
// using pg's pipeline mode (several statements in flight on one connection):
//
// - The `begin; set_config(...)` that opens a unit (marked DEFERRED) is held
//   back and written in the same packet as the unit's first statement.
// - A read-only unit ends with a DEFERRED_END `rollback`: the result is already
//   known and PostgreSQL refused any write (`begin read only`), so ending the
//   transaction needs no answer. The rollback travels in front of the next
//   unit's first packet on that connection, or is sent on its own as soon as
//   the event loop is idle, so no transaction stays open while nobody uses it.
//
// A tenant read thus costs one packet each way instead of three round trips.
import pg from 'pg';

export const DEFERRED = '/* centralino:deferred */ ';
export const DEFERRED_END = '/* centralino:deferred-end */ ';

type Queryable = { query: (text: string, values?: unknown[]) => Promise<pg.QueryResult> };
type ClientState = { prefix: string[]; checkedOut: boolean; send: Queryable['query'] };

const EMPTY_RESULT: pg.QueryResult = { rows: [], rowCount: 0, command: '', oid: 0, fields: [] };
const states = new WeakMap<pg.PoolClient, ClientState>();

type Corkable = { cork?: () => void; uncork?: () => void };

function streamOf(client: pg.PoolClient): Corkable | undefined {
  return (client as unknown as { connection?: { stream?: Corkable } }).connection?.stream;
}

function wrapClient(client: pg.PoolClient): ClientState {
  const send = client.query.bind(client) as unknown as Queryable['query'];
  const state: ClientState = { prefix: [], checkedOut: true, send };

  const query = async (text: string, values?: unknown[]): Promise<pg.QueryResult> => {
    if (text.startsWith(DEFERRED)) {
      state.prefix.push(text.slice(DEFERRED.length));
      return EMPTY_RESULT;
    }
    if (text.startsWith(DEFERRED_END)) {
      state.prefix.push(text.slice(DEFERRED_END.length));
      setImmediate(() => flushIfIdle(state));
      return EMPTY_RESULT;
    }
    if (state.prefix.length === 0) return send(text, values);
    const prefix = state.prefix.join('; ');
    state.prefix = [];
    // One packet: pg queues both messages while the socket is corked.
    const stream = streamOf(client);
    stream?.cork?.();
    const opened = send(prefix);
    const result = send(text, values);
    process.nextTick(() => stream?.uncork?.());
    const [openedOutcome, resultOutcome] = await Promise.allSettled([opened, result]);
    if (openedOutcome.status === 'rejected') throw openedOutcome.reason;
    if (resultOutcome.status === 'rejected') throw resultOutcome.reason;
    return resultOutcome.value;
  };
  (client as unknown as Queryable).query = query;

  const release = client.release.bind(client);
  client.release = (error?: Error | boolean) => {
    state.checkedOut = false;
    return release(error);
  };
  return state;
}

function flushIfIdle(state: ClientState) {
  if (state.checkedOut || state.prefix.length === 0) return;
  const pending = state.prefix.join('; ');
  state.prefix = [];
  // Ending a read-only transaction: nothing to report if the connection is gone.
  state.send(pending).catch(() => undefined);
}

export function createPipelinedPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool({ ...config, pipeline: true } as pg.PoolConfig);
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  (pool as unknown as { connect: () => Promise<pg.PoolClient> }).connect = async () => {
    const client = await connect();
    const state = states.get(client) ?? wrapClient(client);
    states.set(client, state);
    state.checkedOut = true;
    // A unit that failed before its first statement leaves its opening behind:
    // drop it, but keep a pending end of the previous unit.
    state.prefix = state.prefix.filter((statement) => !statement.startsWith('begin'));
    return client;
  };
  return pool;
}
