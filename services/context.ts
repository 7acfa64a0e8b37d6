import type { Client } from '@temporalio/client';
import type { Database } from '../db/database';
import type { Config } from '../runtime/config';

/** What request handlers and services need from the running system. */
export interface AppContext {
  db: Database;
  temporal: Client;
  config: Config;
}
