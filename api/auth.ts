import { createHash, timingSafeEqual } from 'node:crypto';
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

const sha256 = (key: string) => createHash('sha256').update(key).digest();
const SHA256_ENTRY = /^sha256:([0-9a-f]{64})$/;

/**
 * The keys the API accepts, held by the SHA-256 of each key, never the key itself: a heap dump or a log shows no
 * usable key. Parsed from `role:key,role:key`; an entry may also give the hash alone, `role:sha256:<64 hex>`
 * (`printf %s "$KEY" | sha256sum`), so the environment or the file it comes from need not hold the key either.
 * A malformed entry stops start-up rather than silently locking someone out.
 */
export class ApiKeys {
  private readonly byHash = new Map<string, { hash: Buffer; principal: Principal }>();

  constructor(spec: string) {
    for (const entry of spec
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const separator = entry.indexOf(':');
      const role = entry.slice(0, separator) as Role;
      const key = entry.slice(separator + 1);
      const given = SHA256_ENTRY.exec(key);
      if (separator < 1 || !ROLES.includes(role) || (!given && (key.length < 8 || key.startsWith('sha256:')))) {
        throw new Error(
          `API_KEYS entry "${entry.slice(0, 20)}…" must be role:key (a key of 8+ characters) or role:sha256:<64 hex digits>, with a role of ${ROLES.join('/')}`,
        );
      }
      const hash = given ? Buffer.from(given[1], 'hex') : sha256(key);
      this.byHash.set(hash.toString('hex'), { hash, principal: { role, id: `${role}:${hash.toString('hex').slice(0, 12)}` } });
    }
    if (this.byHash.size === 0) throw new Error('API_KEYS holds no keys');
  }

  /** The key's principal, or undefined; the comparison is of hashes, in constant time. */
  find(key: string): Principal | undefined {
    const hash = sha256(key);
    const entry = this.byHash.get(hash.toString('hex'));
    return entry && timingSafeEqual(entry.hash, hash) ? entry.principal : undefined;
  }
}

export const parseApiKeys = (spec: string) => new ApiKeys(spec);

export function authenticate(keys: ApiKeys): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (\S+)$/i.exec(header);
    if (!match) throw new ApiError(401, 'unauthenticated', 'send an API key as "Authorization: Bearer <key>"');
    const principal = keys.find(match[1]);
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
