import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The production build is served by the API server (apps/server/src/routes/web.routes.ts)
// from dist/ on the same port; `npm run dev -w apps/web` proxies /api to a running server.
// A build is always a production build, even when run from a test runner that sets NODE_ENV=test
// (Vite would otherwise bundle React's development code).
if (process.argv.includes('build')) process.env.NODE_ENV = 'production';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true, // scripts/report-bundle.mjs reads it to size the login route's initial JS
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        // Framework code changes rarely: its own long-cached chunks.
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          if (/node_modules\/(react|react-dom|scheduler|react-router)\//.test(id)) return 'react';
          if (/node_modules\/(@tanstack|i18next|react-i18next)\//.test(id)) return 'data';
          return undefined;
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': process.env.MOSAIC_API ?? 'http://localhost:3000', '/healthz': process.env.MOSAIC_API ?? 'http://localhost:3000' },
  },
});
