import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';
const boxes = new Map<string, SecretBox>();

/**
 * Secrets at rest (webhook signing secrets): AES-256-GCM under a key from the environment (SECRETS_KEY). The first
 * key seals; every key opens, so a key is rotated by putting the new one first and keeping the old one until the
 * worker has re-sealed every row with the new one (`needsResealing`). A sealed value reads
 * `enc:v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url); the key id is a short hash of the key, never the key.
 * A value without the prefix is a plaintext from before encryption: opened as it is, and re-sealed by the worker.
 */
export class SecretBox {
  private readonly keys: Array<{ id: string; key: Buffer }>;

  constructor(keys: Buffer[]) {
    if (keys.length === 0) throw new Error('no secrets key');
    for (const key of keys) if (key.length !== 32) throw new Error('a secrets key is 32 bytes');
    this.keys = keys.map((key) => ({ id: createHash('sha256').update(key).digest('hex').slice(0, 8), key }));
  }

  /** From SECRETS_KEY: base64 keys of 32 bytes, comma-separated, the sealing one first. */
  static fromSetting(setting: string | undefined): SecretBox {
    const keys = (setting ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => Buffer.from(s, 'base64'));
    if (keys.length === 0 || keys.some((k) => k.length !== 32)) {
      throw new Error(
        'SECRETS_KEY must be one or more comma-separated base64 keys of 32 bytes (make one with `openssl rand -base64 32`); npm start makes one in the data folder',
      );
    }
    return new SecretBox(keys);
  }

  /** One box per setting, made once (the API and every activity use the same). */
  static for(setting: string | undefined): SecretBox {
    let box = boxes.get(setting ?? '');
    if (!box) boxes.set(setting ?? '', (box = SecretBox.fromSetting(setting)));
    return box;
  }

  static newKey(): string {
    return randomBytes(32).toString('base64');
  }

  seal(plain: string): string {
    const { id, key } = this.keys[0];
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${id}:${[iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join(':')}`;
  }

  open(stored: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    const [id, iv, tag, data] = stored.slice(PREFIX.length).split(':');
    const entry = this.keys.find((k) => k.id === id);
    if (!entry) throw new Error(`a secret is sealed with key ${id}, which SECRETS_KEY no longer holds`);
    const decipher = createDecipheriv('aes-256-gcm', entry.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** A plaintext from before encryption, or sealed with a key that is no longer the first. */
  needsResealing(stored: string): boolean {
    return !stored.startsWith(`${PREFIX}${this.keys[0].id}:`);
  }
}
