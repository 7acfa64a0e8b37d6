import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { startTestSystem, type TestSystem } from '../support/test-system';
import { addCodes } from '../support/fixtures';
import type { Role } from '../../model/roles';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
  await addCodes(system.db, 'bank', ['IMG4TEST77']);
});
afterAll(() => system?.stop());

// supertest leaves image bodies unread unless told how; collect the raw bytes (SVG included).
async function getImage(path: string, role: Role = 'operator') {
  const res = await system.api
    .get(path)
    .set(system.as(role))
    .buffer(true)
    .parse((stream, done) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => done(null, Buffer.concat(chunks)));
    });
  return { res, bytes: res.body as Buffer };
}

describe('QR codes', () => {
  it.each(['IMG4TEST77', 'img4-test 77'])('serves a PNG that decodes back to the canonical code (asked as %j)', async (asked) => {
    const { res, bytes } = await getImage(`/v1/codes/${encodeURIComponent(asked)}/qr.png`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toBe('private, max-age=300');
    const png = PNG.sync.read(bytes);
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe('IMG4TEST77');
  });

  it('serves an SVG', async () => {
    const { res, bytes } = await getImage('/v1/codes/IMG4TEST77/qr.svg');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const svg = bytes.toString('utf8').trimStart();
    expect(svg).toMatch(/^(<svg|<\?xml)/);
    expect(svg).toContain('<path');
  });
});

describe('barcodes', () => {
  it('serves a PNG wider than it is tall', async () => {
    const { res, bytes } = await getImage('/v1/codes/IMG4TEST77/barcode.png');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    const png = PNG.sync.read(bytes);
    expect(png.width).toBeGreaterThan(png.height);
  });

  it('serves an SVG', async () => {
    const { res, bytes } = await getImage('/v1/codes/IMG4TEST77/barcode.svg');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(bytes.toString('utf8')).toContain('<svg');
  });
});

describe('errors', () => {
  it.each([
    ['an unknown code', '/v1/codes/NOSUCHCODE1/qr.png', 404, 'code_not_found'],
    ['an invalid code', '/v1/codes/%24%24/qr.png', 400, 'invalid_code'],
    ['an unknown image', '/v1/codes/IMG4TEST77/nope.gif', 404, 'not_found'],
  ])('answers %s in the error shape', async (_name, path, status, code) => {
    const res = await system.api.get(path).set(system.as('operator'));
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });

  it('refuses a request without a key (401) and the producer role (403)', async () => {
    const anonymous = await system.api.get('/v1/codes/IMG4TEST77/qr.png');
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'unauthenticated']);
    const producer = await system.api.get('/v1/codes/IMG4TEST77/qr.png').set(system.as('producer'));
    expect([producer.status, producer.body.error.code]).toEqual([403, 'forbidden']);
  });
});
