// A node-postgres pool whose units of work start without a round trip of
// their own. The `begin; set_config(...)` that opens a tenant unit of work is
// held back (DEFERRED marker) and written in the same network packet as the
// unit's first real statement, using pg's pipeline mode: a tenant read costs
// two round trips (context + query, then commit) instead of three.
import pg from 'pg';

export const DEFERRED = '/* centralino:deferred */ ';

type QueryResult = pg.QueryResult;
type PendingPrefix = { text: string };

const prefixes = new WeakMap<pg.PoolClient, PendingPrefix>();

type Queryable = { query: (text: string, values?: unknown[]) => Promise<QueryResult> };

function corked<T>(client: pg.PoolClient, send: () => T): T {
  const stream = (
    client as unknown as {
      connection?: { stream?: NodeJS.WritableStream & { cork?: () => void; uncork?: () => void } };
    }
  ).connection?.stream;
  stream?.cork?.();
  try {
    return send();
  } finally {
    // Uncork after the current tick, once pg has queued every message.
    process.nextTick(() => stream?.uncork?.());
  }
}

function wrapClient(client: pg.PoolClient): pg.PoolClient {
  const original = client.query.bind(client) as unknown as Queryable['query'];
  const query = async (text: string, values?: unknown[]): Promise<QueryResult> => {
    if (text.startsWith(DEFERRED)) {
      prefixes.set(client, { text: text.slice(DEFERRED.length) });
      return { rows: [], rowCount: 0, command: 'BEGIN', oid: 0, fields: [] };
    }
    const prefix = prefixes.get(client);
    if (!prefix) return original(text, values);
    prefixes.delete(client);
    const [opened, result] = corked(client, () => [original(prefix.text), original(text, values)] as const);
    // Both settle; the context's failure is the one to report.
    const [openedOutcome, resultOutcome] = await Promise.allSettled([opened, result]);
    if (openedOutcome.status === 'rejected') throw openedOutcome.reason;
    if (resultOutcome.status === 'rejected') throw resultOutcome.reason;
    return resultOutcome.value;
  };
  (client as unknown as Queryable).query = query;
  return client;
}

export function createPipelinedPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool({ ...config, pipeline: true } as pg.PoolConfig);
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  const wrapped = new WeakSet<pg.PoolClient>();
  (pool as unknown as { connect: () => Promise<pg.PoolClient> }).connect = async () => {
    const client = await connect();
    if (!wrapped.has(client)) {
      wrapped.add(client);
      wrapClient(client);
    }
    // A unit of work that failed before any statement leaves no prefix behind.
    prefixes.delete(client);
    return client;
  };
  return pool;
}
