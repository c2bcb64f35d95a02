import { describe, expect, it } from 'vitest';
import { envNumber } from './env-number.ts';

describe('envNumber', () => {
  it('reads a positive number', () => {
    expect(envNumber('X', 600, { X: '1' })).toBe(1);
    expect(envNumber('X', 600, { X: ' 2.5 ' })).toBe(2.5);
  });

  it('falls back when unset, empty or not a positive number', () => {
    for (const X of [undefined, '', 'undefined', '10m', '0', '-5', 'Infinity']) expect(envNumber('X', 600, { X }), String(X)).toBe(600);
  });
});
