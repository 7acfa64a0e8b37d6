import { z } from './zod';

/**
 * Ids of the things a code pool belongs to (campaigns, rewards). One pattern everywhere a pool is named, so a
 * reward id such as "$5_OFF" is also a valid `pool=reward:$5_OFF`.
 */
export const OWNER_ID = /^[A-Za-z0-9_.:$%-]{1,128}$/;
export const OWNER_ID_HINT = 'use 1-128 letters, digits and _ . : $ % -';

export const ownerId = z.string().regex(OWNER_ID, OWNER_ID_HINT);
