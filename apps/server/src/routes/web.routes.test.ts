import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../http/errors.ts';
import { webRoutes } from './web.routes.ts';

// The web app's static serving, against a fake build in a temp dir (no database needed).
let dir: string;
let app: FastifyInstance;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-web-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.mkdirSync(path.join(dir, '.vite'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)'.repeat(200));
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js.gz'), 'gz');
  fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg/>');
  fs.writeFileSync(path.join(dir, '.vite', 'manifest.json'), '{}');
  app = Fastify();
  app.setErrorHandler(errorHandler);
  app.get('/api/v1/real', async () => ({ ok: true }));
  await app.register(webRoutes, { root: dir });
});

afterAll(async () => {
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('web routes', () => {
  it.each([
    ['/', 'no-cache'],
    ['/o/customer/0190a0a0-0000-7000-8000-000000000000', 'no-cache'],
    ['/settings/objects?x=1', 'no-cache'],
  ])('GET %s → index.html (%s): the app routes in the browser', async (url, cache) => {
    const r = await app.inject({ url });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.headers['cache-control']).toBe(cache);
    expect(r.body).toContain('id="root"');
  });

  it('serves hashed assets with a year-long immutable cache, precompressed when accepted', async () => {
    const plain = await app.inject({ url: '/assets/index-abc123.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const gz = await app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.body).toBe('gz');
  });

  it('serves other files with a short cache', async () => {
    const r = await app.inject({ url: '/favicon.svg' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('public, max-age=3600');
  });

  it.each(['/assets/missing-123.js', '/missing.css', '/.vite/manifest.json', '/../package.json', '/%2e%2e/%2e%2e/etc/passwd.txt'])(
    'GET %s → 404, never index.html in place of a file', async (url) => {
      const r = await app.inject({ url });
      expect(r.statusCode).toBe(404);
      expect(r.body).not.toContain('id="root"');
    },
  );

  it('leaves /api to the API: unknown API paths are JSON 404s, real ones answer', async () => {
    const r = await app.inject({ url: '/api/v1/nope' });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No route GET /api/v1/nope.' } });
    expect((await app.inject({ url: '/api/v1/real' })).json()).toEqual({ ok: true });
  });

  it('says how to build the app when there is no build', async () => {
    const empty = Fastify();
    await empty.register(webRoutes, { root: path.join(dir, 'nothing-here') });
    const r = await empty.inject({ url: '/' });
    expect(r.statusCode).toBe(503);
    expect(r.body).toContain('npm run build -w apps/web');
    await empty.close();
  });
});
