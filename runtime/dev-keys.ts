import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ROLES } from '../model/roles';
import { SecretBox } from '../domain/secret-box';

/** One fresh key per role, for `npm start` when API_KEYS is not set. */
export function makeDevKeys(): string {
  return ROLES.map((role) => `${role}:dev-${role}-${randomBytes(12).toString('hex')}`).join(',');
}

/** The key webhook secrets are sealed with, for `npm start` without SECRETS_KEY: made once, kept beside the dev keys. */
export function loadOrCreateSecretsKey(dataDir: string): string {
  const file = path.join(dataDir, 'secrets-key');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const key = SecretBox.newKey();
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, key + '\n', { mode: 0o600 });
  return key;
}

/** Dev keys for `npm start` without API_KEYS: made once and kept in the data folder, so they survive restarts. */
export function loadOrCreateDevKeys(dataDir: string): string {
  const file = path.join(dataDir, 'dev-api-keys');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const keys = makeDevKeys();
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, keys + '\n', { mode: 0o600 });
  return keys;
}
