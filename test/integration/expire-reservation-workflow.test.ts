import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { eventually } from '../support/test-system';
import type { ReservationActivities } from '../../activities/reservations';
import type { expireReservationWorkflow } from '../../workflows/expire-reservation';

/**
 * The reservation-expiry workflow alone, with its activity mocked: no database, no real wait. The
 * time-skipping environment can't be used here (it downloads a test server binary, and this machine is
 * offline), so the workflow runs on the suite's Temporal dev server and the tests read its timer from history
 * instead of waiting for it to fire.
 */
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const expired: string[] = [];
let answer = true;
const taskQueue = `expire-reservation-${randomUUID()}`;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createFromExistingServer({ address: process.env.TEST_TEMPORAL_ADDRESS });
  const activities: ReservationActivities = {
    async expireReservation(reservationId: string) {
      expired.push(reservationId);
      return answer;
    },
  };
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! },
    activities,
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

const start = (reservationId: string, expiresAt: Date) =>
  env.client.workflow.start<typeof expireReservationWorkflow>('expireReservationWorkflow', {
    taskQueue,
    workflowId: `expire-reservation-${reservationId}`,
    args: [{ reservationId, expiresAt: expiresAt.toISOString() }],
  });

const EventType = temporal.api.enums.v1.EventType;

it('frees a reservation whose expiry has passed at once, without a timer', async () => {
  answer = true;
  const handle = await start('past', new Date(Date.now() - 60_000));
  expect(await handle.result()).toBe(true);
  expect(expired).toContain('past');
  const history = await handle.fetchHistory();
  expect(history.events!.some((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED)).toBe(false);
});

it('reports a reservation already assigned (the activity finds nothing to free)', async () => {
  answer = false;
  const handle = await start('assigned', new Date(Date.now() - 1000));
  expect(await handle.result()).toBe(false);
  expect(expired).toContain('assigned');
});

it('waits on a durable timer until the expiry, and frees nothing before it', async () => {
  const handle = await start('future', new Date(Date.now() + 3_600_000));
  const timer = await eventually(async () => {
    const started = (await handle.fetchHistory()).events!.find((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED);
    return started?.timerStartedEventAttributes;
  }, 10_000);
  // The timer covers the time left until the expiry (an hour, less the moments the start took).
  const seconds = Number(timer.startToFireTimeout!.seconds);
  expect(seconds).toBeGreaterThan(3_500);
  expect(seconds).toBeLessThanOrEqual(3_600);
  expect(expired).not.toContain('future');
  await handle.terminate('test over');
});
