import { ApplicationFailure } from '@temporalio/activity';
import type { Database } from '../db/database';
import { recordStatusChange } from '../db/code-history';
import { findCode, setCodeStatus } from '../db/codes';
import { findRewardRedemption, updateRewardRedemption } from '../db/reward-redemptions';

export function createReservationActivities(db: Database) {
  return {
    /**
     * Frees the code of a reservation nobody assigned in time. Idempotent: anything but an open reservation is
     * left alone. Called before the reservation's time (a timer that fires early, a clock ahead), it fails and
     * is retried by Temporal until the time has come: it never gives up and leaves the code reserved for ever.
     */
    async expireReservation(reservationId: string): Promise<boolean> {
      return db.transaction(async (client) => {
        const reservation = await findRewardRedemption(client, reservationId, true);
        if (!reservation || reservation.status !== 'reserved') return false;
        if (reservation.reservedUntil && reservation.reservedUntil.getTime() > Date.now()) {
          throw ApplicationFailure.retryable(
            `reservation ${reservationId} is held until ${reservation.reservedUntil.toISOString()}`,
            'NotDueYet',
          );
        }
        const code = await findCode(client, reservation.code, true);
        if (code?.status === 'reserved') {
          await setCodeStatus(client, code.code, 'unused');
          await recordStatusChange(client, code.code, 'reserved', 'unused', 'system', 'reservation expired');
        }
        await updateRewardRedemption(client, reservationId, { status: 'expired' });
        return true;
      });
    },
  };
}

export type ReservationActivities = ReturnType<typeof createReservationActivities>;
