import type { IncomingMessage } from 'node:http';
import { envNumber } from '@mosaic/kernel';

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
 *
 * Each drain holds a socket open for up to `ms` while a client sends: a flood of
 * oversized uploads would otherwise tie up the process. So at most
 * MAX_CONCURRENT_DRAINS run at once; beyond that the answer is `false` and the
 * caller closes the socket right after the 413 (that client may see a reset).
 */
const DRAIN_MS = 5_000;
/** Per refused request: what a client on a slow link sends in the time limit anyway. */
export const DRAIN_BYTES = 16 * 1024 * 1024;
export const MAX_CONCURRENT_DRAINS = envNumber('MOSAIC_MAX_DRAINS', 4);

let inFlight = 0;
let mostInFlight = 0;

/** Drains running now, and the most seen at once (for tests and diagnostics). */
export function drainStats(): { inFlight: number; mostInFlight: number } {
  return { inFlight, mostInFlight };
}

/** Resolves true once the body was drained (or was already complete), false when refused for the cap. */
export function drainRequestBody(raw: IncomingMessage, limits: { ms?: number; bytes?: number; max?: number } = {}): Promise<boolean> {
  if (raw.complete || raw.readableEnded || raw.destroyed) return Promise.resolve(true);
  if (inFlight >= (limits.max ?? MAX_CONCURRENT_DRAINS)) return Promise.resolve(false);
  inFlight++;
  mostInFlight = Math.max(mostInFlight, inFlight);
  return new Promise((resolve) => {
    let seen = 0;
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      inFlight--;
      clearTimeout(timer);
      raw.removeListener('data', onData);
      raw.removeListener('end', done);
      raw.removeListener('error', done);
      raw.removeListener('close', done);
      resolve(true);
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
