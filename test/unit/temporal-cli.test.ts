import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureTemporalCli, TEMPORAL_CLI_MODULE } from '../../runtime/temporal-cli';

describe('ensureTemporalCli', () => {
  const originalPath = process.env.PATH;
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-test-'));
  });
  afterEach(() => {
    process.env.PATH = originalPath;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('uses the binary already in the tool folder', async () => {
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.writeFileSync(path.join(dir, 'bin', 'temporal'), '#!/bin/sh\n', { mode: 0o755 });
    await expect(ensureTemporalCli(dir, () => undefined)).resolves.toBe(path.join(dir, 'bin', 'temporal'));
  });

  it('finds it on PATH', async () => {
    const onPath = path.join(dir, 'path-bin');
    fs.mkdirSync(onPath);
    fs.writeFileSync(path.join(onPath, 'temporal'), '#!/bin/sh\n', { mode: 0o755 });
    process.env.PATH = onPath;
    await expect(ensureTemporalCli(path.join(dir, 'tools'), () => undefined)).resolves.toBe(path.join(onPath, 'temporal'));
  });

  it('explains how to install it when neither the CLI nor Go is there', async () => {
    process.env.PATH = path.join(dir, 'empty');
    await expect(ensureTemporalCli(path.join(dir, 'tools'), () => undefined)).rejects.toThrow(
      new RegExp(`Go is not installed[\\s\\S]*go install ${TEMPORAL_CLI_MODULE.replace(/[./]/g, '\\$&')}`),
    );
  });
});
