import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers, type Workers } from '@mosaic/automation';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { chainWorld, type ChainWorld } from './chain-world.ts';
import { runChain } from './chain-case.ts';
import { startSmtp } from './automation-smtp.ts';

// The chain (chain-case.ts) in one process: the API in-process, workers beside it.
let t: TestApp;
let w: ChainWorld;
let workers: Workers;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const previousSmtp = process.env.SMTP_URL;

beforeAll(async () => {
  smtp = await startSmtp();
  process.env.SMTP_URL = smtp.url;
  t = await createTestApp();
  w = await chainWorld(t);
  workers = await startWorkers({ db: t.testDb.db, store: t.store, url: t.testDb.url }, { tickMs: 200, slowTickMs: 3_600_000, pollMs: 300 });
}, 120_000);

afterAll(async () => {
  await workers?.stop();
  await t?.close();
  await smtp?.close();
  process.env.SMTP_URL = previousSmtp;
});

describe('the chain: web form to cash, through every module', () => {
  it('runs the business case end to end, and every module sees every step', async () => {
    await runChain(t, w, () => smtp.received.flatMap((m) => m.to));
  }, 120_000);
});
