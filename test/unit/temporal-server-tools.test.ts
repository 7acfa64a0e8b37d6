import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureTemporalServer, temporalServerTools } from '../../runtime/temporal-server-tools';

describe('ensureTemporalServer', () => {
  const originalPath = process.env.PATH;
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'server-tools-test-'));
  });
  afterEach(() => {
    process.env.PATH = originalPath;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const put = (file: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), '#!/bin/sh\n', { mode: 0o755 });
  };

  it('uses what `npm run setup -- --server` built, UI server included', async () => {
    for (const file of ['temporal-server/bin/server', 'temporal-server/bin/sql', 'temporal-server/schema/x', 'temporal-ui/bin/server'])
      put(file);
    process.env.PATH = path.join(dir, 'empty');
    await expect(ensureTemporalServer(dir, () => undefined)).resolves.toEqual({
      server: path.join(dir, 'temporal-server/bin/server'),
      sqlTool: path.join(dir, 'temporal-server/bin/sql'),
      schemaDir: path.join(dir, 'temporal-server/schema'),
      uiServer: path.join(dir, 'temporal-ui/bin/server'),
    });
  });

  it('knows nothing is built', () => {
    expect(temporalServerTools(dir)).toBeNull();
  });

  it('explains what to do when neither the server nor Go is there', async () => {
    process.env.PATH = path.join(dir, 'empty');
    await expect(ensureTemporalServer(dir, () => undefined)).rejects.toThrow(
      /Go is not installed[\s\S]*npm run setup -- --server[\s\S]*TEMPORAL_RUNTIME=dev/,
    );
  });
});
