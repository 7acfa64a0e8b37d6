import http from 'node:http';
import https from 'node:https';

type Agent = http.Agent | https.Agent;

/**
 * One keep-alive agent per subscription (and its URL's origin): a subscription's batches reuse their
 * connections instead of a TCP and TLS handshake per attempt, and one slow receiver's sockets are its own.
 * `maxSockets` bounds the connections to one receiver (a batch's size). A changed URL gets a fresh agent.
 */
export class WebhookAgents {
  private readonly agents = new Map<string, { origin: string; agent: Agent }>();

  constructor(private readonly maxSockets: number) {}

  for(subscriptionId: string, url: URL): Agent {
    const known = this.agents.get(subscriptionId);
    if (known?.origin === url.origin) return known.agent;
    known?.agent.destroy();
    const options = { keepAlive: true, maxSockets: this.maxSockets, keepAliveMsecs: 10_000 };
    const agent = url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
    this.agents.set(subscriptionId, { origin: url.origin, agent });
    return agent;
  }

  /** A deleted or paused subscription's connections are closed. */
  drop(subscriptionId: string): void {
    this.agents.get(subscriptionId)?.agent.destroy();
    this.agents.delete(subscriptionId);
  }
}
