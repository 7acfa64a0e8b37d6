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
}
