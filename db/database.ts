import { Pool, type PoolClient, type PoolConfig, type QueryResult } from 'pg';
import { trackPool } from '../observability/metrics';

const ignore = () => undefined;

/**
 * The one way to reach PostgreSQL. Every multi-statement write goes through `transaction`, so a failure leaves
 * nothing half-written.
 */
export class Database {
  readonly pool: Pool;
  private readonly untrack: () => void;

  constructor(connectionString: string, options: PoolConfig = {}) {
    this.pool = new Pool({ connectionString, max: 20, ...options });
    // An idle client losing its server (database restart) must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
    this.untrack = trackPool(this.pool);
  }

  /**
   * A client for several statements. While checked out, a client whose server goes away emits 'error'; with no
   * listener that would crash the process, so one is attached: the failure reaches the caller through the
   * query that was running, and the broken client is discarded on release.
   */
  async connect(): Promise<PoolClient> {
    const client = await this.pool.connect();
    // Pooled clients come back: attach the listener once, not on every checkout.
    if (!client.listeners('error').includes(ignore)) client.on('error', ignore);
    return client;
  }

  query(text: string, values?: unknown[]): Promise<QueryResult> {
    return this.pool.query(text, values);
  }

  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.connect();
    let broken: Error | undefined;
    try {
      await client.query('begin');
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (error) {
      // A client whose rollback fails (connection lost) is discarded instead of going back to the pool.
      await client.query('rollback').catch((e: Error) => (broken = e));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** Work in a transaction that is always rolled back (a dry run: what a write would find, leaving nothing). */
  async rolledBack<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.connect();
    let broken: Error | undefined;
    try {
      await client.query('begin');
      return await work(client);
    } finally {
      await client.query('rollback').catch((e: Error) => (broken = e));
      client.release(broken);
    }
  }

  close(): Promise<void> {
    this.untrack();
    return this.pool.end();
  }
}

/** Anything that runs a parameterised query: the Database or a client inside a transaction. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<QueryResult>;
}
