import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded.ts';

// initdb reads its encoding from LANG/LC_*; a shell without them (CI, a service unit) used to
// get a SQL_ASCII database, where Chinese text is counted and cased byte by byte.
describe('the embedded PostgreSQL', () => {
  let server: EmbeddedServer | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-encoding-'));
  fs.chmodSync(dir, 0o777);
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is UTF8 with a code-point collation even when the environment names no locale', async () => {
    const saved = { LANG: process.env.LANG, LC_ALL: process.env.LC_ALL, LC_CTYPE: process.env.LC_CTYPE, LC_COLLATE: process.env.LC_COLLATE };
    for (const k of Object.keys(saved)) delete process.env[k];
    try {
      server = await startEmbeddedPostgres(dir);
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
    }
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      const r = await client.query(`SELECT current_setting('server_encoding') AS enc, length('中文客户') AS len,
        ('B' < 'a') AS codepoint, ('客户A' ^@ '客户') AS prefix`);
      expect(r.rows[0]).toEqual({ enc: 'UTF8', len: 4, codepoint: true, prefix: true });
      const collation = await client.query(`SELECT datcollate FROM pg_database WHERE datname = current_database()`);
      expect(['C.UTF-8', 'C']).toContain(collation.rows[0].datcollate);
    } finally {
      await client.end();
    }
  }, 120_000);
});
