import { Pool, type PoolClient, type QueryResult } from 'pg';
import { trackPool } from '../observability/metrics';

const ignore = () => undefined;

/**
 * How long PostgreSQL may keep a caller waiting (README "Configuration"), in milliseconds; 0: no limit. A
 * statement past its limit is cancelled by the server; a server that answers nothing at all (stalled, SIGSTOPped,
 * a network black hole) is given up on by the client one READ_GRACE_MS later, so nothing waits for ever.
 */
export interface DatabaseLimits {
  /** Connections of each pool at most. */
  max?: number;
  /** Waiting for a pooled connection, or for a new one to be made. */
  connectTimeoutMs: number;
  /** statement_timeout of a request's statements. */
  statementTimeoutMs: number;
  /** lock_timeout: a row or table lock waited for at most this long. */
  lockTimeoutMs: number;
  /** statement_timeout of bulk work (connectBulk): a file streaming in or out for as long as its client takes. */
  bulkStatementTimeoutMs: number;
}

/** Scripts, benchmarks and test fixtures: wait as long as it takes, as before any limit existed. */
export const UNLIMITED: DatabaseLimits = { connectTimeoutMs: 0, statementTimeoutMs: 0, lockTimeoutMs: 0, bulkStatementTimeoutMs: 0 };

/** What the server is given to cancel a statement itself (a clean error, the connection kept) before the client gives up. */
export const READ_GRACE_MS = 1000;

/** The client's own give-up error (pg's query_timeout): the connection is mid-protocol and must be discarded. */
export const isReadTimeout = (error: unknown) => (error as Error | undefined)?.message === 'Query read timeout';

function newPool(connectionString: string, limits: DatabaseLimits, statementTimeoutMs: number): Pool {
  const pool = new Pool({
    connectionString,
    max: limits.max ?? 20,
    connectionTimeoutMillis: limits.connectTimeoutMs,
    statement_timeout: statementTimeoutMs,
    lock_timeout: limits.lockTimeoutMs,
    query_timeout: statementTimeoutMs > 0 ? statementTimeoutMs + READ_GRACE_MS : undefined,
  });
  // An idle client losing its server (database restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * The one way to reach PostgreSQL. Every multi-statement write goes through `transaction`, so a failure leaves
 * nothing half-written. Two pools: requests' short statements, and bulk work (uploads, exports), whose statements
 * last as long as a file takes to stream; the second is made on first use (a worker never opens it).
 */
export class Database {
  readonly pool: Pool;
  private bulkPool?: Pool;
  private readonly untrack: () => void;

  constructor(
    private readonly connectionString: string,
    private readonly limits: DatabaseLimits = UNLIMITED,
  ) {
    this.pool = newPool(connectionString, limits, limits.statementTimeoutMs);
    this.untrack = trackPool(this.pool);
  }

  /** Where and how this reaches PostgreSQL: another thread opens its own pool with it (the what-if replay's). */
  settings(): { url: string; limits: DatabaseLimits } {
    return { url: this.connectionString, limits: this.limits };
  }

  /**
   * A client for several statements. While checked out, a client whose server goes away emits 'error'; with no
   * listener that would crash the process, so one is attached: the failure reaches the caller through the
   * query that was running, and the broken client is discarded on release.
   */
  connect(): Promise<PoolClient> {
    return checkout(this.pool);
  }

  /** A client for bulk work: a CSV upload's COPY, an export's COPY TO, with the bulk statement limit. */
  connectBulk(): Promise<PoolClient> {
    this.bulkPool ??= newPool(this.connectionString, this.limits, this.limits.bulkStatementTimeoutMs);
    return checkout(this.bulkPool);
  }

  query(text: string, values?: unknown[]): Promise<QueryResult> {
    return this.pool.query(text, values);
  }

  transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.connect(), work);
  }

  /** A transaction on a bulk client (connectBulk): for work that reads an upload as it streams in. */
  bulkTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.connectBulk(), work);
  }

  /**
   * Work in a transaction that is always rolled back, on a bulk client (a dry run: what a write would find,
   * leaving nothing; the distribution preview stages an uploaded list in it).
   */
  async rolledBack<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.connectBulk();
    let broken: Error | undefined;
    try {
      await client.query('begin');
      return await work(client);
    } catch (error) {
      if (isReadTimeout(error)) broken = error as Error;
      throw error;
    } finally {
      if (!broken) await client.query('rollback').catch((e: Error) => (broken = e));
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    this.untrack();
    await Promise.all([this.pool.end(), this.bulkPool?.end()]);
  }
}

async function checkout(pool: Pool): Promise<PoolClient> {
  const client = await pool.connect();
  // Pooled clients come back: attach the listener once, not on every checkout.
  if (!client.listeners('error').includes(ignore)) client.on('error', ignore);
  return client;
}

async function inTransaction<T>(connecting: Promise<PoolClient>, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await connecting;
  let broken: Error | undefined;
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    // A server that stopped answering would not answer the rollback either: discard the client at once (the
    // server rolls back when the connection goes). A client whose rollback fails is discarded too.
    if (isReadTimeout(error)) broken = error as Error;
    else await client.query('rollback').catch((e: Error) => (broken = e));
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Anything that runs a parameterised query: the Database or a client inside a transaction. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<QueryResult>;
}
