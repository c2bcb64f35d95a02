import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError, ERROR_CATALOGUE } from './errors.ts';

// docs/errors.md lists every code of the catalogue with its HTTP status; this keeps the two in step.
const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../../docs/errors.md'), 'utf8');
const documented = new Map([...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]));

describe('error catalogue', () => {
  it('documents every code with its status, and nothing else', () => {
    const catalogue = new Map(Object.entries(ERROR_CATALOGUE).map(([code, e]) => [code, e.status]));
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(catalogue));
  });

  it('gives 4xx for the caller\'s mistakes and 5xx only for ours', () => {
    for (const [code, e] of Object.entries(ERROR_CATALOGUE)) {
      expect(e.status >= 500, code).toBe(code === 'INTERNAL' || code === 'UNAVAILABLE');
    }
  });

  it('serialises to the error envelope', () => {
    const e = new AppError('FIELD_INVALID', 'amount: not a number', { field: 'amount' });
    expect(e.toJSON()).toEqual({ error: { code: 'FIELD_INVALID', message: 'amount: not a number', field: 'amount' } });
    expect(new AppError('NOT_FOUND').toJSON().error.message).toBe(ERROR_CATALOGUE.NOT_FOUND.message);
  });
});
