import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from './errors';
import { ROLES, type Role } from '../model/roles';

export interface Principal {
  role: Role;
  /** Safe to log and store: the role and a short hash of the key, never the key itself. */
  id: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    /** A refused body (malformed JSON, too large, not JSON), answered only after the role check: see allow. */
    bodyError?: unknown;
  }
}

/** Parses `role:key,role:key`; a malformed entry stops start-up rather than silently locking someone out. */
export function parseApiKeys(spec: string): Map<string, Principal> {
  const keys = new Map<string, Principal>();
  for (const entry of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const separator = entry.indexOf(':');
    const role = entry.slice(0, separator) as Role;
    const key = entry.slice(separator + 1);
    if (separator < 1 || !ROLES.includes(role) || key.length < 8) {
      throw new Error(
        `API_KEYS entry "${entry.slice(0, 20)}…" must be role:key with a role of ${ROLES.join('/')} and a key of 8+ characters`,
      );
    }
    keys.set(key, { role, id: `${role}:${createHash('sha256').update(key).digest('hex').slice(0, 12)}` });
  }
  if (keys.size === 0) throw new Error('API_KEYS holds no keys');
  return keys;
}

export function authenticate(keys: Map<string, Principal>): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (\S+)$/i.exec(header);
    if (!match) throw new ApiError(401, 'unauthenticated', 'send an API key as "Authorization: Bearer <key>"');
    const principal = keys.get(match[1]);
    if (!principal) throw new ApiError(401, 'unauthenticated', 'the API key is not valid');
    req.principal = principal;
    next();
  };
}

/**
 * Admins reach everything; other roles only the routes that list them (README: "Roles"). The role is checked
 * before the body: a forbidden role gets 403 whatever it sent, and only then a refused body gets its 4xx.
 */
export function allow(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const role = req.principal?.role;
    if (role !== 'admin' && !roles.includes(role as Role)) {
      throw new ApiError(403, 'forbidden', `the ${role} role may not ${req.method} ${req.baseUrl}${req.route?.path ?? ''}`);
    }
    if (req.bodyError !== undefined) throw req.bodyError;
    next();
  };
}
