import type { Database, Queryable } from '../db/database';
import { claimPendingOutbox, markOutboxDispatched, type OutboxMessage } from '../db/outbox';
import { describeError } from '../model/errors';
import { logger } from '../runtime/logger';

const BATCH = 200;

/** What runs once the hand-over has committed (e.g. waking workflows that read what it wrote). */
export type AfterCommit = () => Promise<void>;

/**
 * Hands messages of some types over, inside the claim's transaction: the rows stay locked (no other relay takes
 * them) until the hand-over commits together with their `dispatched_at`. A dispatcher that starts workflows does
 * it here, with ids derived from the message so a repeat after a failed commit is refused by Temporal.
 */
export interface OutboxDispatcher {
  dispatch(tx: Queryable, messages: OutboxMessage[]): Promise<AfterCommit | void>;
}

/** Dispatchers by message type; types without one of their own go to `fallback` (webhook fan-out). */
export interface DispatchTable {
  byType: ReadonlyMap<string, OutboxDispatcher>;
  fallback: OutboxDispatcher;
}

/**
 * Hands committed outbox messages over, by type (webhook fan-out into delivery rows, or anything another
 * dispatcher registers). At least once: a crash before the commit leaves the rows pending and locks released,
 * and the next pass hands them over again (delivery rows are unique per pair, workflow ids per message).
 * Several relays (one per worker) split the pending rows with SKIP LOCKED and never take a row another holds.
 *
 * Why a poll in the worker rather than LISTEN/NOTIFY: NOTIFY takes a global lock at commit, which would
 * serialise every redemption transaction that writes an outbox row; an idle poll of the partial index
 * `outbox_pending` every 200 ms costs nothing measurable and bounds the latency. A full batch is followed
 * at once by the next, so a burst drains at the speed of the database.
 */
export class OutboxRelay {
  private stopped = false;
  private running?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly db: Database,
    private readonly dispatchers: DispatchTable,
    private readonly intervalMs: number,
    /** Runs between passes (the webhook sweep for overdue deliveries); its failures are logged. */
    private readonly idleWork: () => Promise<void> = async () => undefined,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let relayed = 0;
      try {
        relayed = await this.relayBatch();
        if (relayed < BATCH) await this.idleWork();
      } catch (error) {
        // Database or Temporal away: the messages stay pending and the next pass retries them.
        if (!this.stopped) logger.warn({ err: describeError(error) }, 'outbox relay pass failed; retrying');
      }
      if (relayed < BATCH && !this.stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.intervalMs);
          this.wake = () => (clearTimeout(timer), resolve());
        });
      }
    }
  }

  /** One pass: returns how many messages it handed over. */
  async relayBatch(): Promise<number> {
    const batch = await this.db.transaction(async (tx) => {
      const messages = await claimPendingOutbox(tx, BATCH);
      if (messages.length === 0) return null;
      const groups = new Map<OutboxDispatcher, OutboxMessage[]>();
      for (const m of messages) {
        const dispatcher = this.dispatchers.byType.get(m.type) ?? this.dispatchers.fallback;
        groups.set(dispatcher, [...(groups.get(dispatcher) ?? []), m]);
      }
      const afterCommit: AfterCommit[] = [];
      for (const [dispatcher, group] of groups) {
        const then = await dispatcher.dispatch(tx, group);
        if (then) afterCommit.push(then);
      }
      await markOutboxDispatched(
        tx,
        messages.map((m) => m.id),
      );
      return { count: messages.length, afterCommit };
    });
    if (!batch) return 0;
    // After the commit: what they wake can see the rows. A failure here loses only the wake-up (see the sweep).
    for (const then of batch.afterCommit) await then();
    return batch.count;
  }
}
