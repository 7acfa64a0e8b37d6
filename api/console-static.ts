import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type Response } from 'express';
import { projectRoot } from '../runtime/config';
import { consoleCsp, consoleNonce, setContentSecurityPolicy } from './security-headers';

/** The built console: `dist/console` beside the sources, or `console/` beside the compiled API (the image). */
export function consoleDir(): string | undefined {
  const candidates = [path.join(projectRoot, 'dist', 'console'), path.join(projectRoot, 'console')];
  // Only a build writes `.source-hash`, so the console's sources (console/index.html) are never served.
  return candidates.find((dir) => fs.existsSync(path.join(dir, '.source-hash')));
}

// index.html read once per build (its .source-hash changes with every build).
let page: { file: string; mtimeMs: number; html: string } | undefined;
function indexHtml(dir: string): string {
  const file = path.join(dir, 'index.html');
  const mtimeMs = fs.statSync(file).mtimeMs;
  if (page?.file !== file || page.mtimeMs !== mtimeMs) page = { file, mtimeMs, html: fs.readFileSync(file, 'utf8') };
  return page.html;
}

/**
 * The console's page with a nonce of its own: the policy allows styles carrying it, and the console hands it to
 * Mantine and CodeMirror (console/src/csp-nonce.ts), which write <style> elements.
 */
function sendIndex(res: Response, dir: string): void {
  const nonce = consoleNonce();
  setContentSecurityPolicy(res, consoleCsp(nonce));
  res.setHeader('Cache-Control', 'no-cache');
  res.type('html').send(indexHtml(dir).replace('<head>', `<head>\n    <meta name="csp-nonce" content="${nonce}" />`));
}

/**
 * Static files and the single-page fallback at /console. No key is needed for the files: every data call the
 * console makes carries the key. Hashed assets are cached for long; index.html never.
 */
export function consoleStatic(): Router {
  const router = Router();
  router.use((req, res, next) => {
    const dir = consoleDir();
    if (!dir) {
      res.status(404).type('text/plain').send('The console is not built: run `npm run build:console` (npm start does it).');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path === '/index.html') return sendIndex(res, dir);
    express.static(dir, {
      index: false,
      setHeaders: (res, file) =>
        res.setHeader('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    })(req, res, () => {
      if (path.extname(req.path)) return next();
      sendIndex(res, dir);
    });
  });
  return router;
}
