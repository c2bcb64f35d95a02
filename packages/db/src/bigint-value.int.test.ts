import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '@mosaic/testing';

// Every bigint read through @mosaic/db: counts as numbers, and a value past 2^53 as its digits
// rather than a neighbouring number (Number('9007199254740993') is 9007199254740992).
let t: TestDb;

beforeAll(async () => {
  t = await createTestDb();
});

afterAll(async () => {
  await t?.drop();
});

describe('bigint values read from PostgreSQL', () => {
  it('are numbers while exact, and never rounded past 2^53', async () => {
    const row = (await sql<{ small: unknown; edge: unknown; big: unknown; negative: unknown }>`SELECT 5::bigint AS small, 9007199254740991::bigint AS edge,
      9007199254740993::bigint AS big, (-9223372036854775807)::bigint AS negative`.execute(t.db.owner)).rows[0];
    expect(row).toEqual({ small: 5, edge: 9007199254740991, big: '9007199254740993', negative: '-9223372036854775807' });
  });
});
