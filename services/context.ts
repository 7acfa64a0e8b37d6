import type { Client } from '@temporalio/client';
import type { Database } from '../db/database';
import type { Config } from '../runtime/config';

/** Failures injected by tests, to prove what happens when a step dies after its commit. */
export interface ServiceFaults {
  redemption?: { afterCommit?(input: { eventId: string }, attempt: number): void };
}

/** What request handlers and services need from the running system. */
export interface AppContext {
  db: Database;
  temporal: Client;
  config: Config;
  faults?: ServiceFaults;
  /**
   * Tests only: the clock POST /v1/events decides by (campaign dates, the frequency window), so a test can decide at
   * 23:30 and 00:30 local time on a day the clocks change. Unset: the real clock (and the database's for the window).
   */
  clock?: () => Date;
}
