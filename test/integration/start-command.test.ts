import fs from 'node:fs';
import { ctrlC, killMarked, leftovers, startEnv, startUp, waitForOutput } from '../support/start-process';

it('starts everything with one command, prints URLs and keys, stops cleanly on Ctrl-C, and keeps data across restarts', async () => {
  const setup = await startEnv();
  const { PORT, TEMPORAL_UI_PORT } = setup.env;
  try {
    const first = await startUp(setup.env);
    expect(first.output()).toContain(`http://localhost:${PORT}`);
    expect(first.output()).toContain(`http://localhost:${TEMPORAL_UI_PORT}`);
    // The product's own lines, not webpack's report or JSON log lines (those go to the log files).
    expect(first.output()).not.toMatch(/webpack|"level":/);
    expect(first.output()).toContain(`${setup.dataDir}/logs`);
    expect(first.output()).toContain(`http://localhost:${PORT}/console`);
    const consolePage = await fetch(`http://127.0.0.1:${PORT}/console/campaigns`); // any console path: the SPA
    expect(consolePage.status).toBe(200);
    expect(await consolePage.text()).toContain('<div id="root">');
    const key = /operator\s+(\S+)/.exec(first.output())![1];
    const api = `http://127.0.0.1:${PORT}`;
    const res = await fetch(`${api}/v1/code-batches`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ quantity: 1000, length: 10, charset: 'alphanumeric' }),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    let status = '';
    for (let i = 0; i < 100 && status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      status = (
        (await (await fetch(`${api}/v1/code-batches/${id}`, { headers: { Authorization: `Bearer ${key}` } })).json()) as { status: string }
      ).status;
    }
    expect(status).toBe('completed');

    // A worker crash is a restart, not an API outage: the API answers meanwhile, a new worker takes the next job.
    process.kill(Number(/Worker\s+running \(pid (\d+)/.exec(first.output())![1]), 'SIGKILL');
    expect((await fetch(`${api}/healthz`)).status).toBe(200);
    await waitForOutput(first, 'the worker crashed (SIGKILL); restarting in 1 s');
    const more = await fetch(`${api}/v1/code-batches`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ quantity: 500, length: 10, charset: 'alphanumeric' }),
    });
    const next = (await more.json()) as { id: string };
    for (let i = 0; i < 150 && status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const batch = (await (await fetch(`${api}/v1/code-batches/${next.id}`, { headers: { Authorization: `Bearer ${key}` } })).json()) as {
        status: string;
      };
      if (batch.status === 'completed') status = 'done';
    }
    expect(status).toBe('done');

    expect(await ctrlC(first)).toBe(130); // the conventional exit status after Ctrl-C
    expect(await leftovers(setup)).toEqual({ processes: [], listening: [] });

    const second = await startUp(setup.env);
    expect(second.output()).toContain('bundle unchanged, reused');
    expect(/operator\s+(\S+)/.exec(second.output())![1]).toBe(key); // the dev keys survive too
    const again = await fetch(`${api}/v1/code-batches/${id}`, { headers: { Authorization: `Bearer ${key}` } });
    expect(((await again.json()) as { generated: number }).generated).toBe(1000);
    expect(await ctrlC(second)).toBe(130);
    expect(await leftovers(setup)).toEqual({ processes: [], listening: [] });
  } finally {
    killMarked(setup.mark);
    fs.rmSync(setup.dataDir, { recursive: true, force: true });
  }
});
