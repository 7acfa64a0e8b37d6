import http from 'node:http';
import https from 'node:https';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { refusedAddressClass } from '../domain/target-address';
import { webhookUrlProblem, type TargetPolicy } from '../domain/webhook-url';

/** Resolves a host name to every address it has (tests inject one that answers 127.0.0.1 for a public name). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

export interface SenderPolicy extends TargetPolicy {
  /** Whole attempt (connect, send, answer) in milliseconds. */
  timeoutMs: number;
  /** Response bytes read at most; the rest is dropped (only the status and a short excerpt matter). */
  maxResponseBytes: number;
  resolve: Resolver;
}

export interface SendResult {
  /** The HTTP status, or null when no answer came (refused target, DNS, connection, timeout). */
  statusCode: number | null;
  /** Why the attempt did not succeed; null on a 2xx. */
  error: string | null;
  /** True when retrying can't help (the target is refused by policy). */
  refused: boolean;
}

class RefusedTarget extends Error {}

function checkAddress(address: string, policy: SenderPolicy): void {
  const refused = policy.allowPrivate ? null : refusedAddressClass(address);
  if (refused)
    throw new RefusedTarget(`the target resolves to a ${refused.replace('_', '-')} address (${address}), which webhooks may not reach`);
}

/**
 * A `lookup` for the HTTP agent: resolves, checks every address, and hands the socket the very addresses it
 * checked, so the connection can't go elsewhere than what was judged (no second resolution to rebind).
 */
function guardedLookup(policy: SenderPolicy) {
  return (hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    policy.resolve(hostname).then(
      (addresses) => {
        try {
          if (addresses.length === 0) throw new Error(`${hostname} has no address`);
          for (const a of addresses) checkAddress(a.address, policy);
          if (options.all) callback(null, addresses);
          else callback(null, addresses[0].address, addresses[0].family);
        } catch (error) {
          callback(error);
        }
      },
      (error) => callback(error),
    );
  };
}

/**
 * POSTs one signed webhook. Never throws: the outcome says what happened. No redirect is followed. With a
 * keep-alive `agent`, a new connection goes through the same guarded lookup; a reused one was checked when it
 * was opened (and checkResolvedTarget checks the name again before every batch).
 */
export async function postWebhook(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  policy: SenderPolicy,
  agent?: http.Agent,
): Promise<SendResult> {
  const problem = webhookUrlProblem(rawUrl, policy);
  if (problem) return { statusCode: null, error: `the URL ${problem}`, refused: true };
  const url = new URL(rawUrl);
  try {
    // An IP literal never goes through `lookup`: it is checked here instead.
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) checkAddress(host, policy);
    const { statusCode, excerpt } = await request(url, headers, body, policy, agent);
    if (statusCode >= 200 && statusCode < 300) return { statusCode, error: null, refused: false };
    const redirect = statusCode >= 300 && statusCode < 400 ? ' (redirects are not followed)' : '';
    return { statusCode, error: `the receiver answered ${statusCode}${redirect}${excerpt ? `: ${excerpt}` : ''}`, refused: false };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { statusCode: null, error: message, refused: error instanceof RefusedTarget };
  }
}

/**
 * The SSRF check of a target as a whole, without sending: the URL's policy, then every address its host resolves
 * to now. A batch runs it first, so a name that came to resolve to an internal address stops being sent to even
 * over connections opened before. Null: fine to send.
 */
export async function checkResolvedTarget(rawUrl: string, policy: SenderPolicy): Promise<SendResult | null> {
  const problem = webhookUrlProblem(rawUrl, policy);
  if (problem) return { statusCode: null, error: `the URL ${problem}`, refused: true };
  const host = new URL(rawUrl).hostname.replace(/^\[|\]$/g, '');
  try {
    if (isIP(host)) checkAddress(host, policy);
    else for (const a of await policy.resolve(host)) checkAddress(a.address, policy);
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { statusCode: null, error: message, refused: error instanceof RefusedTarget };
  }
}

function request(
  url: URL,
  headers: Record<string, string>,
  body: string,
  policy: SenderPolicy,
  agent: http.Agent | undefined,
): Promise<{ statusCode: number; excerpt: string }> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'user-agent': 'loyalty-codes-webhooks/1',
      },
      lookup: guardedLookup(policy) as never,
      agent: agent ?? false,
      timeout: policy.timeoutMs,
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${policy.timeoutMs} ms`)), policy.timeoutMs);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${policy.timeoutMs} ms`)));
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        clearTimeout(timer);
        resolve({ statusCode: res.statusCode ?? 0, excerpt: Buffer.concat(chunks).toString('utf8').slice(0, 200) });
      };
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= policy.maxResponseBytes) chunks.push(chunk);
        else {
          // Enough read: the status is known; the rest of an oversized answer is never buffered.
          res.destroy();
          finish();
        }
      });
      res.on('end', finish);
      res.on('error', finish);
    });
    req.end(body);
  });
}
