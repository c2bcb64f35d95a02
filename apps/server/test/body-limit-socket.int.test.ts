import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { drainStats, MAX_CONCURRENT_DRAINS } from '../src/http/linger-close.ts';

// A body over the 10 MB limit, sent over a real socket (Fastify's injector never
// shows this): the caller gets the 413 and its JSON error, not a connection reset
// (http/linger-close.ts). The server stays up and answers the next request.
let t: TestApp;
let base: string;

beforeAll(async () => {
  t = await createTestApp();
  // Multi topology: an API process's socket; single: this process's app on a port.
  base = t.topology?.apis[0].base ?? (await t.app.listen({ port: 0, host: '127.0.0.1' }));
}, 300_000);

afterAll(async () => {
  await t?.close();
});

/** `sendError`: the socket failed under the client while it was still sending (a reset). */
interface Answer { status: number; headers: http.IncomingHttpHeaders; body: string; sendError?: string }

/** POSTs `size` bytes of JSON in 64 kB writes, with a Content-Length or chunked. */
function postBig(path: string, size: number, opts: { chunked?: boolean } = {}): Promise<Answer> {
  const url = new URL(path, base);
  const head = Buffer.from('{"name":"');
  const tail = Buffer.from('"}');
  const fill = Buffer.alloc(64 * 1024, 'x');
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json', authorization: `Bearer ${t.adminToken}`,
        ...(opts.chunked ? {} : { 'content-length': String(size) }),
      },
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => (answer = { status: res.statusCode!, headers: res.headers, body }));
      res.on('error', reject);
    });
    let answer: Answer | undefined;
    let sendError: string | undefined;
    // Settled once the request is over: a reset while the body was still going out counts too.
    req.on('error', (e) => (sendError = (e as NodeJS.ErrnoException).code ?? e.message));
    req.on('close', () => (answer ? resolve({ ...answer, sendError }) : reject(new Error(`no reply: ${sendError}`))));
    let left = size - head.length - tail.length;
    req.write(head);
    const pump = () => {
      while (left > 0) {
        const piece = left >= fill.length ? fill : fill.subarray(0, left);
        left -= piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      req.end(tail);
    };
    pump();
  });
}

describe('a body over the limit, over a socket', () => {
  it('answers 413 with the JSON error naming the limit, then closes (Content-Length of 11 MB)', async () => {
    const r = await postBig('/api/v1/records/customer', 11 * 1024 * 1024);
    expect(r.status).toBe(413);
    expect(r.sendError).toBeUndefined();
    expect(r.headers.connection).toBe('close');
    expect(JSON.parse(r.body).error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than the limit of 10 MB (10485760 bytes).' });
  });

  it('answers 413 the same to a chunked body that grows past the limit', async () => {
    const r = await postBig('/api/v1/records/customer', 11 * 1024 * 1024, { chunked: true });
    expect(r.status).toBe(413);
    expect(r.sendError).toBeUndefined();
    expect(JSON.parse(r.body).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('names a route\'s own smaller limit, and keeps serving afterwards', async () => {
    const r = await postBig('/api/v1/hooks/00000000-0000-0000-0000-000000000000', 1024 * 1024);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).error.message).toContain('256 KB (262144 bytes)');
    const next = await fetch(`${base}/healthz`);
    expect(next.status).toBe(200);
  });

  it('drains at most MAX_CONCURRENT_DRAINS refused bodies at once; the others get the 413 and a closed socket', async () => {
    const many = MAX_CONCURRENT_DRAINS * 2 + 2;
    const answers = await Promise.allSettled(Array.from({ length: many }, () => postBig('/api/v1/records/customer', 11 * 1024 * 1024)));
    // Every request ended: a 413, or (past the cap) a socket closed under a client still sending.
    const statuses = answers.map((a) => (a.status === 'fulfilled' ? a.value.status : 'closed'));
    expect(statuses.filter((s) => s !== 413 && s !== 'closed')).toEqual([]);
    expect(statuses.filter((s) => s === 413).length).toBeGreaterThanOrEqual(MAX_CONCURRENT_DRAINS);
    if (!t.topology) { // in-process app only: never more than the cap at once (how many overlap depends on the machine)
      const stats = drainStats();
      expect(stats.inFlight).toBe(0);
      expect(stats.mostInFlight).toBeGreaterThanOrEqual(1);
      expect(stats.mostInFlight).toBeLessThanOrEqual(MAX_CONCURRENT_DRAINS);
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  }, 120_000);
});
