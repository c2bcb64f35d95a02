import type { IncomingMessage } from 'node:http';

/**
 * Reads and drops the rest of a refused request body before the refusal is sent.
 * A body over the limit is refused before it has all arrived, and Fastify's reply
 * carries `Connection: close`: Node then closes the socket as soon as the reply is
 * written, the client — still sending — has its next segments answered with a TCP
 * reset, and the reset makes its kernel drop the reply it had not read yet. The
 * caller saw "connection reset" instead of the 413. Reading the body to its end
 * first (at most `bytes`, at most `ms`: then the reply goes anyway) lets the close
 * be an orderly one after a reply the client reads — what web servers call a
 * lingering close. Nothing is kept: the bytes are counted and dropped.
 */
const DRAIN_MS = 5_000;
const DRAIN_BYTES = 64 * 1024 * 1024;

export function drainRequestBody(raw: IncomingMessage, limits: { ms?: number; bytes?: number } = {}): Promise<void> {
  if (raw.complete || raw.readableEnded || raw.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const done = () => {
      clearTimeout(timer);
      raw.removeListener('data', onData);
      raw.removeListener('end', done);
      raw.removeListener('error', done);
      raw.removeListener('close', done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > (limits.bytes ?? DRAIN_BYTES)) done();
    };
    const timer = setTimeout(done, limits.ms ?? DRAIN_MS);
    timer.unref();
    raw.on('data', onData);
    raw.once('end', done);
    raw.once('error', done);
    raw.once('close', done);
    raw.resume();
  });
}
