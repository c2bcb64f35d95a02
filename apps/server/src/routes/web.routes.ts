import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { AppError } from '@mosaic/kernel';

/** The production build of apps/web (`npm run build -w apps/web`, run by the root postinstall). */
// Found through the package: the server also runs bundled (scripts/build-server.mjs).
export const WEB_DIST = path.join(path.dirname(createRequire(import.meta.url).resolve('@mosaic/web/package.json')), 'dist');

/**
 * Serves the web app on the API's port:
 *   GET /assets/index-3f9a1c.js  → the file, cached for a year (names carry a content hash)
 *   GET /o/customer/…            → index.html, never cached (the app routes in the browser)
 *   GET /api/v1/nope             → 404 { error: { code: "NOT_FOUND" } } (an API path never gets HTML)
 * Gzip/brotli copies written by the build are sent to browsers that accept them.
 * Register it last: its `GET /*` catches only what no other route matched.
 */
export async function webRoutes(app: FastifyInstance, opts: { root?: string } = {}): Promise<void> {
  const root = opts.root ?? process.env.MOSAIC_WEB_DIST ?? WEB_DIST;
  await app.register(fastifyStatic, { root, serve: false, preCompressed: true, cacheControl: false, dotfiles: 'deny' });

  app.get('/*', async (request, reply) => {
    const urlPath = safeDecode(request.url.split('?')[0]);
    if (urlPath === '/api' || urlPath.startsWith('/api/')) throw new AppError('NOT_FOUND', `No route GET ${urlPath.slice(0, 100)}.`);
    const rel = path.posix.normalize(urlPath).replace(/^\/+/, '');
    if (rel && !rel.startsWith('..') && !rel.startsWith('.vite') && isFile(path.join(root, rel))) {
      const hashed = rel.startsWith('assets/');
      return reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=3600').sendFile(rel);
    }
    // A missing script or image must not get index.html (the browser would parse HTML as JS).
    if (rel.startsWith('assets/') || /\.(js|mjs|css|map|png|jpe?g|svg|ico|woff2?|json|txt)$/i.test(rel)) {
      throw new AppError('NOT_FOUND', `No file ${urlPath.slice(0, 100)}.`);
    }
    if (!isFile(path.join(root, 'index.html'))) {
      return reply.status(503).type('text/plain; charset=utf-8').send('The web app is not built. Run: npm run build -w apps/web');
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
