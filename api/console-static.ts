import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { projectRoot } from '../runtime/config';

/** The built console: `dist/console` beside the sources, or `console/` beside the compiled API (the image). */
export function consoleDir(): string | undefined {
  const candidates = [path.join(projectRoot, 'dist', 'console'), path.join(projectRoot, 'console')];
  // Only a build writes `.source-hash`, so the console's sources (console/index.html) are never served.
  return candidates.find((dir) => fs.existsSync(path.join(dir, '.source-hash')));
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
    express.static(dir, {
      index: false,
      setHeaders: (res, file) =>
        res.setHeader('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    })(req, res, () => {
      if (path.extname(req.path)) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(path.join(dir, 'index.html'));
    });
  });
  return router;
}
