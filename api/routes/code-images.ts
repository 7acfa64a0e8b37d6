import { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import QRCode from 'qrcode';
import bwipjs from 'bwip-js';
import { allow } from '../auth';
import { ApiError } from '../errors';
import { codeParam } from '../schemas/code';
import { z } from '../../model/zod';
import { errorResponses } from '../openapi';
import { lookupCode } from '../../services/codes';
import type { AppContext } from '../../services/context';

interface CodeImage {
  contentType: 'image/svg+xml' | 'image/png';
  summary: string;
  render(code: string): Promise<string | Buffer>;
}

// Level M survives a smudged print or a cracked phone screen; the 2-module margin is the quiet zone scanners need.
const qr = { errorCorrectionLevel: 'M', margin: 2 } as const;
// Code 128 encodes the whole [A-Z0-9] alphabet; the human-readable line lets a cashier type it in when scanning fails.
const barcode = { bcid: 'code128', includetext: true, scale: 3, height: 12 };

// A Map, not an object literal: a path segment such as "constructor" must not find a prototype member.
const IMAGES = new Map<string, CodeImage>([
  [
    'qr.svg',
    {
      contentType: 'image/svg+xml',
      summary: 'The code as a QR code (SVG)',
      render: (code) => QRCode.toString(code, { type: 'svg', ...qr }),
    },
  ],
  [
    'qr.png',
    {
      contentType: 'image/png',
      summary: 'The code as a QR code (PNG)',
      render: (code) => QRCode.toBuffer(code, { type: 'png', ...qr, scale: 8 }),
    },
  ],
  [
    'barcode.svg',
    {
      contentType: 'image/svg+xml',
      summary: 'The code as a Code 128 barcode (SVG)',
      render: async (code) => bwipjs.toSVG({ ...barcode, text: code }),
    },
  ],
  [
    'barcode.png',
    {
      contentType: 'image/png',
      summary: 'The code as a Code 128 barcode (PNG)',
      render: (code) => bwipjs.toBuffer({ ...barcode, text: code }),
    },
  ],
]);

export function codeImageRoutes(ctx: AppContext): Router {
  const router = Router();

  // path-to-regexp v8 has no inline patterns, so the image name is checked against the table instead.
  router.get('/codes/:code/:image', allow('marketer', 'operator'), async (req, res) => {
    const image = IMAGES.get(String(req.params.image));
    if (!image) throw new ApiError(404, 'not_found', `no image "${req.params.image}"; use one of ${[...IMAGES.keys()].join(', ')}`);
    const { code } = await lookupCode(ctx.db, String(req.params.code));
    const body = await image.render(code);
    // Private: only key holders may see a code; short: a cancelled code should not stay printable for long.
    res.type(image.contentType).set('Cache-Control', 'private, max-age=300').send(body);
  });

  return router;
}

export function describeCodeImageRoutes(registry: OpenAPIRegistry): void {
  for (const [name, image] of IMAGES) {
    registry.registerPath({
      method: 'get',
      path: `/v1/codes/{code}/${name}`,
      summary: `${image.summary}, encoding its canonical form`,
      tags: ['Codes'],
      request: { params: codeParam },
      responses: {
        200: { description: 'The image', content: { [image.contentType]: { schema: z.string().openapi({ format: 'binary' }) } } },
        ...errorResponses(400, 401, 403, 404, 422),
      },
    });
  }
}
