import fs from 'node:fs';
import path from 'node:path';
import { makeDevKeys } from '../api/auth';

/** Dev keys for `npm start` without API_KEYS: made once and kept in the data folder, so they survive restarts. */
export function loadOrCreateDevKeys(dataDir: string): string {
  const file = path.join(dataDir, 'dev-api-keys');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const keys = makeDevKeys();
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, keys + '\n', { mode: 0o600 });
  return keys;
}
