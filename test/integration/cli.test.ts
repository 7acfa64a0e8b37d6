import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { startTestSystem, KEYS, type TestSystem } from '../support/test-system';
import { createApp } from '../../api/app';
import { parseApiKeys } from '../../api/auth';
import { freePort } from '../../runtime/ports';

const repoRoot = path.resolve(__dirname, '../..');

let system: TestSystem;
let server: Server;
let apiUrl: string;
let tmp: string;
beforeAll(async () => {
  system = await startTestSystem();
  // supertest needs no port, but the CLI runs in its own process and talks real HTTP.
  const app = createApp({ db: system.db, temporal: system.temporal, config: system.config }, parseApiKeys(`operator:${KEYS.operator}`));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loyalty-cli-'));
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await system?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as an operator would (a separate process, stdout and stderr not a terminal). */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', ...args], {
      cwd: repoRoot,
      env: { ...process.env, LOYALTY_API_URL: apiUrl, LOYALTY_API_KEY: KEYS.operator, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let batchId: string;
let importId: string;

it('generates a batch and follows it to the end', async () => {
  const run = await cli(['generate', '--quantity', '3000', '--length', '10', '--charset', 'alphanumeric']);
  expect(run).toMatchObject({ code: 0 });
  const match = /^batch (\S+) completed: 3000 codes$/m.exec(run.stdout);
  expect(match).not.toBeNull();
  batchId = match![1];
  // Not a terminal: plain progress lines on stderr instead of a redrawn bar, ending on the final count.
  expect(run.stderr.trim().split('\n').pop()).toBe('generated 3000/3000 codes');
  const { rows } = await system.db.query(`select count(*)::int as n, count(distinct code)::int as d from codes where batch_id = $1`, [
    batchId,
  ]);
  expect(rows[0]).toEqual({ n: 3000, d: 3000 });
});

it('imports a CSV file and lists the refused rows', async () => {
  const file = path.join(tmp, 'codes.csv');
  fs.writeFileSync(
    file,
    [
      'code', //          line 1: header
      'CLIIMPORT001', //  2 imported
      'CLIIMPORT002', //  3 imported
      '$$$', //           4 bad_characters
      'CLIIMPORT003', //  5 imported
      'CLIIMPORT001', //  6 duplicate_in_file (same as line 2)
      '',
    ].join('\n'),
  );
  const run = await cli(['import', file, '--pool', 'campaign:cli']);
  expect(run).toMatchObject({ code: 0 });
  const match = /^import (\S+) completed: 3 imported, 2 rejected$/m.exec(run.stdout);
  expect(match).not.toBeNull();
  importId = match![1];
  expect(run.stdout).toMatch(/^line 4: bad_characters \(\$\$\$\)$/m);
  expect(run.stdout).toMatch(/^line 6: duplicate_in_file \(CLIIMPORT001\)$/m);
  const { rows } = await system.db.query(`select code from codes where batch_id = $1 order by code`, [importId]);
  expect(rows.map((r: { code: string }) => r.code)).toEqual(['CLIIMPORT001', 'CLIIMPORT002', 'CLIIMPORT003']);
});

it('exports the codes of a batch to a CSV file', async () => {
  const file = path.join(tmp, 'export.csv');
  const run = await cli(['export', file, '--batch', batchId]);
  expect(run).toMatchObject({ code: 0, stdout: `exported 3000 codes to ${file}\n` });
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  expect(header.split(',')[0]).toBe('code');
  const { rows } = await system.db.query(`select code from codes where batch_id = $1`, [batchId]);
  expect(lines.map((l) => l.split(',')[0]).sort()).toEqual(rows.map((r: { code: string }) => r.code).sort());
});

it('shows a code (as typed, case and dashes ignored) and a job', async () => {
  const code = await cli(['code', 'cliimport-002']);
  expect(code).toMatchObject({ code: 0 });
  expect(JSON.parse(code.stdout)).toMatchObject({ code: 'CLIIMPORT002', batchId: importId, pool: { type: 'campaign', id: 'cli' } });

  const batch = await cli(['job', batchId]);
  expect(JSON.parse(batch.stdout)).toMatchObject({ id: batchId, status: 'completed', generated: 3000 });
  const imported = await cli(['job', importId]);
  expect(JSON.parse(imported.stdout)).toMatchObject({ id: importId, rows: 5, imported: 3, rejected: 2 });
  const missing = await cli(['job', randomUUID()]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/^error: job_not_found: /);
});

it('lists every job once, newest first, following nextCursor (jobs of one transaction included)', async () => {
  await system.db.query(
    `insert into code_batches (id, pool_id, source, requested, workflow_id)
     select gen_random_uuid(), id, 'generation', 1, 'cli-same-instant-' || n from code_pools, generate_series(1, 3) n where kind = 'bank'`,
  );
  const expected = (await system.db.query(`select id from code_batches order by created_at desc, id desc`)).rows.map((r) => r.id as string);
  expect(expected.length).toBeGreaterThanOrEqual(5);
  const listed = await cli(['jobs', '--page-size', '1']);
  expect(listed).toMatchObject({ code: 0, stderr: '' });
  const ids = listed.stdout
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { id: string }).id);
  expect(ids).toEqual(expected);
  const firstTwo = await cli(['jobs', '--page-size', '1', '--max', '2']);
  expect(firstTwo.stdout.trim().split('\n')).toHaveLength(2);
});

it('reports API errors as "error: <code>: <message>" with exit status 1', async () => {
  const badKey = await cli(['code', 'CLIIMPORT001'], { LOYALTY_API_KEY: 'not-a-valid-key' });
  expect(badKey).toMatchObject({ code: 1, stdout: '' });
  expect(badKey.stderr).toMatch(/^error: unauthenticated: /);

  const tooSmall = await cli(['generate', '--quantity', '10', '--length', '1', '--charset', 'numeric']);
  expect(tooSmall).toMatchObject({ code: 1, stdout: '' });
  expect(tooSmall.stderr).toMatch(/^error: keyspace_too_small: /);

  const noKey = await cli(['code', 'CLIIMPORT001'], { LOYALTY_API_KEY: '' });
  expect(noKey).toMatchObject({ code: 1 });
  expect(noKey.stderr).toContain('no API key');
});

it('says clearly when the API cannot be reached', async () => {
  // Port 1 is one fetch refuses to dial at all; a closed free port is the ordinary "API is down".
  const blocked = await cli(['code', 'X'], { LOYALTY_API_URL: 'http://127.0.0.1:1' });
  expect(blocked).toMatchObject({ code: 1, stdout: '' });
  expect(blocked.stderr).toContain('cannot reach the API at http://127.0.0.1:1');

  const down = `http://127.0.0.1:${await freePort()}`;
  const refused = await cli(['generate', '--quantity', '10', '--length', '8', '--charset', 'numeric'], { LOYALTY_API_URL: down });
  expect(refused).toMatchObject({ code: 1, stdout: '' });
  expect(refused.stderr).toBe(`error: cannot reach the API at ${down} (ECONNREFUSED); is it running? Set --url or LOYALTY_API_URL\n`);
});
