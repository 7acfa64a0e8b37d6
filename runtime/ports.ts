import net from 'node:net';

/**
 * Ports for the processes we start. The OS hands out a free port when asked for port 0, but forgets it once the
 * socket closes: two separate asks may get the same port back, and then two of our own servers race for it (seen
 * in CI: the API and PostgreSQL were both given 43219). Ports that must differ are taken in one ask.
 */

/** A port the OS says is free right now. */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0];
}

/**
 * `count` ports free right now, all different and none of `taken` (ports promised to others but maybe not listened
 * on yet): every socket stays open until the last port is known.
 */
export async function freePorts(count: number, taken: number[] = []): Promise<number[]> {
  for (;;) {
    const ports = await openAtOnce(count);
    if (!ports.some((port) => taken.includes(port))) return ports;
  }
}

async function openAtOnce(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
    }
    return servers.map((server) => (server.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** A free port that is none of `taken`. */
export async function freePortOutside(taken: number[]): Promise<number> {
  return (await freePorts(1, taken))[0];
}

/**
 * Why a start can't use these ports, when two settings name the same one (each of our servers needs its own):
 * said before anything starts, rather than as "port in use" by our own PostgreSQL halfway through. Unset
 * entries are services the start does not run (an external database or Temporal cluster).
 */
export function portClash(ports: Record<string, number | undefined>): string | undefined {
  const byPort = new Map<number, string[]>();
  for (const [name, port] of Object.entries(ports)) if (port !== undefined) byPort.set(port, [...(byPort.get(port) ?? []), name]);
  for (const [port, names] of byPort) {
    if (names.length > 1) return `${names.join(' and ')} are ${names.length === 2 ? 'both' : 'all'} ${port}: each needs a port of its own.`;
  }
  return undefined;
}
