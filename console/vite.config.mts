import path from 'node:path';
import { defineConfig } from 'vite';

// The console is served by the API at /console; the build lands in dist/console (ignored by git).
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: path.join(import.meta.dirname, '..', 'dist', 'console'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // Mantine marks its modules "use client" (for React Server Components); irrelevant in a browser-only bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
