import { describe, expect, it } from 'vitest';
import type { FieldMeta } from '../meta.types.ts';
import { coerceNumber } from './coerce.ts';

const field = { apiName: 'units', type: 'integer', config: {} } as unknown as FieldMeta;
const integer = (v: unknown) => coerceNumber(v, field, 'units', { integer: true });

describe('coerceNumber, whole numbers', () => {
  it('takes every whole number a JSON reader gets back intact', () => {
    expect(integer(Number.MAX_SAFE_INTEGER)).toBe('9007199254740991');
    expect(integer('-9007199254740991')).toBe('-9007199254740991');
  });

  it('refuses one past 2^53, naming the field: it would be read back as another number', () => {
    for (const v of ['9007199254740993', '-9007199254740993', '9223372036854775807']) {
      expect(() => integer(v), v).toThrow(expect.objectContaining({ code: 'FIELD_INVALID', status: 422, field: 'units', message: expect.stringMatching(/too large/) }));
    }
  });
});
