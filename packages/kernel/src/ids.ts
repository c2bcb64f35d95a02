import { randomFillSync } from 'node:crypto';
import { V7Generator } from 'uuidv7';

/**
 * The generator's random words, drawn from the system CSPRNG 4 KB at a time: the
 * library's default asks the kernel every two ids, which a 1,000-row bulk create
 * felt (issue 2). Same generator otherwise: monotonic within a millisecond.
 */
class PooledRandom {
  private readonly pool = new Uint32Array(1024);
  private cursor = this.pool.length;

  nextUint32(): number {
    if (this.cursor >= this.pool.length) {
      randomFillSync(this.pool);
      this.cursor = 0;
    }
    return this.pool[this.cursor++];
  }
}

const generator = new V7Generator(new PooledRandom());

/** A new time-ordered id (UUIDv7): index-friendly, and safe for a client to mint. */
export function newId(): string {
  return generator.generate().toString();
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_RE.test(value);
}
