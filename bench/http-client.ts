import http from 'node:http';

// Like a real producer: a keep-alive pool of connections, reused call after call (no connect per request), and
// node:http rather than fetch, whose per-call cost in this very process would be charged to the API's latency.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One HTTP call; resolves with the status and the body read as JSON (or undefined when empty). */
export function call(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        agent,
        method,
        headers:
          payload === undefined
            ? headers
            : { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
