import { randomBytes } from 'node:crypto';
import helmet from 'helmet';
import type { RequestHandler, Response } from 'express';

/**
 * Security headers on every answer (helmet): nosniff, no framing (click-jacking the console's Pause or Cancel),
 * no referrer, and a Content-Security-Policy per kind of answer:
 * - API answers (JSON, CSV, images): nothing may load from them (`default-src 'none'`);
 * - the console: its own files only; its styles (Mantine's theme variables, CodeMirror's) carry a nonce made per
 *   page load (`consoleNonce`), so no `unsafe-inline` anywhere; the API key in sessionStorage is out of reach of
 *   any script that isn't the console's own;
 * - the docs page: swagger-ui-express writes its own inline <style> blocks, so styles (not scripts) may be inline
 *   there; the page holds no key.
 */
const common = [`frame-ancestors 'none'`, `base-uri 'none'`, `form-action 'self'`, `object-src 'none'`];

export const API_CSP = [`default-src 'none'`, ...common].join('; ');
export const DOCS_CSP = [
  `default-src 'self'`,
  `script-src 'self'`,
  `style-src 'self' 'unsafe-inline'`,
  `img-src 'self' data:`,
  ...common,
].join('; ');
export const consoleCsp = (nonce: string) =>
  [
    `default-src 'self'`,
    `script-src 'self'`,
    `style-src 'self' 'nonce-${nonce}'`,
    `img-src 'self' data:`,
    `font-src 'self' data:`,
    `connect-src 'self'`,
    ...common,
  ].join('; ');

/** Everything but the policy, which each kind of answer sets (setContentSecurityPolicy). */
export const securityHeaders: RequestHandler = helmet({
  contentSecurityPolicy: false,
  xFrameOptions: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  // The API serves its own console and docs only; cross-origin embedding of its answers is not a use case.
  crossOriginResourcePolicy: { policy: 'same-origin' },
});

export function setContentSecurityPolicy(res: Response, policy: string): void {
  res.setHeader('Content-Security-Policy', policy);
}

/** The API's policy, unless a later handler (the console, the docs) sets its own. */
export const apiContentSecurityPolicy: RequestHandler = (_req, res, next) => {
  setContentSecurityPolicy(res, API_CSP);
  next();
};

export const docsContentSecurityPolicy: RequestHandler = (_req, res, next) => {
  setContentSecurityPolicy(res, DOCS_CSP);
  next();
};

/** A fresh nonce for one console page load (128 random bits). */
export const consoleNonce = () => randomBytes(16).toString('base64');
