import { describe, expect, it } from 'vitest';
import { envNumber } from './env-number.ts';

describe('envNumber', () => {
  it('reads a positive number', () => {
    expect(envNumber('X', 600, { env: { X: '1' } })).toBe(1);
    expect(envNumber('X', 600, { env: { X: ' 2.5 ' } })).toBe(2.5);
  });

  it('falls back when unset, empty or not a positive number', () => {
    for (const X of [undefined, '', 'undefined', '10m', '0', '-5', 'Infinity']) expect(envNumber('X', 600, { env: { X } }), String(X)).toBe(600);
  });

  it('takes 0 where 0 means something, still not a negative', () => {
    expect(envNumber('X', 25, { zero: true, env: { X: '0' } })).toBe(0);
    expect(envNumber('X', 25, { zero: true, env: { X: '-1' } })).toBe(25);
  });
});
