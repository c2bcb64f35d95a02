import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, listenerCut, until, type ListenerCut, type TestDb } from '@mosaic/testing';
import { CacheHearing } from './index.ts';

// One "may this cache serve from memory?" for the metadata, policy and session
// caches: yes while their LISTEN connection hears every change, no while it is
// lost, and what a process without a listener does is the cache's choice.
let t: TestDb;
let cut: ListenerCut;

beforeAll(async () => {
  t = await createTestDb();
  cut = await listenerCut(t);
});

afterAll(async () => {
  await cut?.close();
  await t?.drop();
});

describe('CacheHearing', () => {
  it('without a listener: "cache" caches, "bypass" does not', () => {
    expect([new CacheHearing('cache').canCache(), new CacheHearing('bypass').canCache()]).toEqual([true, false]);
  });

  it('stops caching and drops everything while its listener is lost, drops again and caches once it is back', async () => {
    const hearings = [new CacheHearing('cache'), new CacheHearing('bypass')];
    const drops = [0, 0];
    const heard: string[] = [];
    const stops = await Promise.all(hearings.map((h, i) => h.listen(t.url, [`mosaic_hear_${i}`], (p) => heard.push(`${i}:${p}`), () => drops[i]++)));
    try {
      expect(hearings.map((h) => [h.canCache(), h.hearing()])).toEqual([[true, true], [true, true]]);
      await cut.admin.query(`NOTIFY mosaic_hear_0, 'tenant-a'`);
      await cut.admin.query(`NOTIFY mosaic_hear_1, 'tenant-b'`);
      await until(() => heard.length === 2);
      expect(heard.sort()).toEqual(['0:tenant-a', '1:tenant-b']);

      // Lost, and kept lost (reconnects refused) long enough to look.
      await cut.loseListeners();
      await until(() => hearings.every((h) => !h.canCache()));
      await new Promise((r) => setTimeout(r, 400)); // a few failed reconnects: still one loss each
      expect(hearings.map((h) => [h.canCache(), h.hearing()])).toEqual([[false, false], [false, false]]);
      const dropsWhileLost = [...drops];
      expect(dropsWhileLost.every((n) => n >= 1)).toBe(true);

      await cut.allowBack();
      await until(() => hearings.every((h) => h.canCache()), 15_000);
      expect(drops.every((n, i) => n > dropsWhileLost[i])).toBe(true); // dropped again on the way back
    } finally {
      await cut.allowBack();
      for (const stop of stops) await stop();
    }
    // Stopped: "bypass" no longer caches, "cache" caches as a process without a listener.
    expect(hearings.map((h) => [h.canCache(), h.hearing()])).toEqual([[true, false], [false, false]]);
  }, 30_000);
});
