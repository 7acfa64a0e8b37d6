import { createHash } from 'node:crypto';
import type { Role } from '../../model/roles';
import { KEYS, type TestSystem } from './test-system';

/** The principal id the API gives a key (api/auth.ts): the role and 12 hex digits of the key's SHA-256. */
export const principalOf = (role: Role) => `${role}:${createHash('sha256').update(KEYS[role]).digest('hex').slice(0, 12)}`;

/**
 * What the history test files share, bound to a file's test system: `system` returns it once its beforeAll has
 * started it.
 */
export function historyHelpers(system: () => TestSystem) {
  return {
    post: (role: Role, path: string) => system().api.post(path).set(system().as(role)),
    auditCount: async () => Number((await system().db.query(`select count(*) as n from audit_log`)).rows[0].n),
  };
}
