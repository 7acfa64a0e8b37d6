import { proxyActivities, sleep } from '@temporalio/workflow';
import type { ReservationActivities } from '../activities/reservations';

const { expireReservation } = proxyActivities<ReservationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '10 seconds' },
});

/** A durable timer: survives worker and server restarts, then frees the reservation's code if still unassigned. */
export async function expireReservationWorkflow(input: { reservationId: string; expiresAt: string }): Promise<boolean> {
  const wait = Date.parse(input.expiresAt) - Date.now();
  if (wait > 0) await sleep(wait);
  return expireReservation(input.reservationId);
}
