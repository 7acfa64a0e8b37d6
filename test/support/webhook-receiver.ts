import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  id: string;
  headers: Record<string, string>;
  body: string;
  /** What the receiver answered (0: nothing, the request was held open). */
  status: number;
}

/** A local HTTP receiver for webhook tests: records every request and answers `answer(n, webhookId)` to the n-th (1-based). */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private server?: http.Server;
  port = 0;

  constructor(private answer: (n: number, webhookId: string) => number = () => 200) {}

  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        const status = this.answer(this.received.length + 1, headers['webhook-id']);
        this.received.push({ id: headers['webhook-id'], headers, body: Buffer.concat(chunks).toString('utf8'), status });
        // 0: never answer (the sender is left waiting, e.g. to be killed mid-delivery).
        if (status !== 0) res.writeHead(status).end(status < 300 ? 'ok' : 'not now');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** Checks a received request's signature with an independent implementation; returns the parsed body. */
  static verify(secret: string, received: ReceivedWebhook): unknown {
    return new Webhook(secret).verify(received.body, received.headers);
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
    this.server = undefined;
  }
}

/** A port nothing listens on (for a receiver that is down), found by opening and closing a server. */
export async function closedPort(): Promise<number> {
  const probe = await new WebhookReceiver().start();
  const port = probe.port;
  await probe.stop();
  return port;
}
