import { isIP } from 'node:net';
import { refusedAddressClass } from './target-address';

/** What a webhook target may be; the two switches exist for local development and tests only. */
export interface TargetPolicy {
  /** WEBHOOK_ALLOW_HTTP: accept http:// URLs (default: https only). */
  allowHttp: boolean;
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: accept loopback, private, link-local... addresses (default: refused). */
  allowPrivate: boolean;
}

/**
 * Why a URL can't be a webhook target, or null. Checks what is knowable without DNS (scheme, credentials, an IP
 * literal's class); the resolved address is checked again at every delivery.
 */
export function webhookUrlProblem(raw: string, policy: TargetPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a valid absolute URL';
  }
  if (url.protocol !== 'https:' && !(policy.allowHttp && url.protocol === 'http:')) {
    return policy.allowHttp ? 'must be an http or https URL' : 'must be an https URL';
  }
  if (url.username || url.password) return 'must not carry credentials';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !policy.allowPrivate) {
    const refused = refusedAddressClass(host);
    if (refused) return `points at a ${refused.replace('_', '-')} address, which webhooks may not reach`;
  }
  return null;
}
