import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { mfgHelpers } from './mfg-fixture.ts';

// "Can we take this order?" on a real PostgreSQL, capacity-aware: the new order's work is
// forward-loaded behind released and unreleased work on the workstation's calendar (company
// holidays closed), routed by the BOM version in effect on the planned start — not today's.
let t: TestApp;
const ids: Record<string, string> = {};

const mfg = mfgHelpers(() => t);
const { create, submit } = mfg;
// The server's "today" is the tenant's (Asia/Shanghai); the plan sits on a Monday at least two weeks ahead.
const DAY = 86_400_000;
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const plus = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const MON = (() => {
  let d = plus(today, 14);
  while (new Date(`${d}T00:00:00Z`).getUTCDay() !== 1) d = plus(d, 1);
  return d;
})();
const [TUE, WED, THU, FRI] = [1, 2, 3, 4].map((n) => plus(MON, n));
const ask = async (qty: number, date: string) => {
  const r = await t.api('POST', '/api/v1/manufacturing/can-we-take', { item: ids.WIDGET, qty, date });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};

beforeAll(async () => {
  t = await createTestApp();
  const fg = (ids.FG = await create('warehouse', { code: 'FG', name: '成品仓', allow_negative: true }));
  const rm = (ids.RM = await create('warehouse', { code: 'RM', name: '原料仓', allow_negative: true }));
  for (const code of ['WIDGET', 'BUSY', 'RAW']) ids[code] = await create('item', { code, name: `物料${code}` });
  for (const code of ['WIDGET', 'BUSY']) await create('item_planning', { item: ids[code], procurement: 'make', lead_time_days: 0 });
  await create('item_planning', { item: ids.RAW, procurement: 'buy', lead_time_days: 0 });
  ids.PRESS = await create('workstation', { code: 'PRESS', name: '冲压线', hourly_cost: 60, shifts: [{ name: '白班', hours: 8 }] });
  ids.OLD = await create('workstation', { code: 'OLD', name: '旧冲压线', hourly_cost: 40, shifts: [{ name: '白班', hours: 8 }] });
  await create('company_holiday', { day: WED, name: '节日', kind: 'holiday' });
  const route = (code: string, ws: string) => create('routing', { code, name: code, operations: [{ seq: 10, name: '冲压', workstation: ws, setup_minutes: 0, run_minutes: 60 }] });
  const [onPress, onOld, busy] = [await route('R-WIDGET', ids.PRESS), await route('R-WIDGET-OLD', ids.OLD), await route('R-BUSY', ids.PRESS)];
  // WIDGET moves to the press from MON on: W1 (today's version) runs on OLD, W2 on PRESS.
  await create('bom', { item: ids.WIDGET, revision: 'W1', is_default: true, effective_to: plus(MON, -1), routing: onOld, lines: [{ item: ids.RAW, qty: 1 }] });
  await create('bom', { item: ids.WIDGET, revision: 'W2', effective_from: MON, routing: onPress, lines: [{ item: ids.RAW, qty: 1 }] });
  await create('bom', { item: ids.BUSY, is_default: true, routing: busy, lines: [{ item: ids.RAW, qty: 1 }] });
  // A released order books the press for 16 h from MON: all of Monday and Tuesday.
  const wo = await create('work_order', { item: ids.BUSY, qty: 16, planned_start: MON, due_date: TUE, source_warehouse: rm, fg_warehouse: fg });
  await submit('work_order', wo);
});

afterAll(async () => {
  await t?.close();
});

describe('can we take this order: capacity-aware earliest date', () => {
  it('a press booked for two days pushes the date two working days, over the holiday: MON → THU', async () => {
    const r = await ask(4, MON);
    // 4 h on the press from MON: Monday and Tuesday are booked, Wednesday is a holiday → worked Thursday
    expect(r).toMatchObject({ ok: false, earliestDate: THU, materialShortages: [], capacityShortages: [] });
    expect(r.capacityDelays).toEqual([{ workstation: ids.PRESS, code: 'PRESS', workingDays: 2, finishes: THU }]);
  });

  it('asked for Thursday, the press has room: the wanted date stands', async () => {
    expect(await ask(4, THU)).toMatchObject({ ok: true, earliestDate: THU, capacityDelays: [], capacityShortages: [] });
  });

  it('an unreleased work order books its routing too: Thursday taken, Friday it is', async () => {
    await create('work_order', { item: ids.BUSY, qty: 8, planned_start: THU, due_date: THU, source_warehouse: ids.RM, fg_warehouse: ids.FG });
    const r = await ask(4, THU);
    expect(r).toMatchObject({ ok: false, earliestDate: FRI });
    expect(r.capacityDelays).toEqual([{ workstation: ids.PRESS, code: 'PRESS', workingDays: 1, finishes: FRI }]);
  });

  it('refuses a date that is not one, naming the field', async () => {
    const r = await t.api('POST', '/api/v1/manufacturing/can-we-take', { item: ids.WIDGET, qty: 1, date: '2026-02-30' });
    expect(r.status).toBe(422);
    expect(r.body.error.field).toBe('date');
  });
});
