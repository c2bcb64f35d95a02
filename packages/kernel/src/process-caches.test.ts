import { describe, expect, it } from 'vitest';
import { clearProcessCaches, registerProcessCache } from './process-caches.ts';

describe('process caches', () => {
  it('empties every registered cache, once each however often it registered', () => {
    const a = new Map([['tenant', 'policy']]);
    const b = new Map([['tenant', 'time zone']]);
    let cleared = 0;
    const clearA = () => {
      cleared++;
      a.clear();
    };
    registerProcessCache(clearA);
    registerProcessCache(clearA);
    registerProcessCache(() => b.clear());
    clearProcessCaches();
    expect([a.size, b.size, cleared]).toEqual([0, 0, 1]);
  });
});
