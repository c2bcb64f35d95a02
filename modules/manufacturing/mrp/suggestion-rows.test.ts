import { describe, expect, it } from 'vitest';
import { dayNumber, MrpPlan } from './mrp.rules.ts';
import { pegsJson, suggestionArrays, uuidV7Batch } from './suggestion-rows.ts';

const ITEM = '0190f4c2-7b1e-7a00-8000-000000000001';
const so = { type: 'sales_order' as const, id: '0190f4c2-7b1e-7a00-8000-0000000000aa', line: '0190f4c2-7b1e-7a00-8000-0000000000ab' };

/** Two planned orders: a work order pegged to one sales order line; a purchase pegged to it and to an odd demand id. */
function twoOrders(qty = 12.5): MrpPlan {
  const plan = new MrpPlan();
  plan.itemIds = [ITEM];
  plan.demandRefs = [so, { type: 'safety_stock', id: 'x"y\\z' }, { type: 'work_order', id: '工单"1' }];
  const [start, due] = [dayNumber('2026-12-01'), dayNumber('2026-12-03')];
  const wo = plan.addOrder(0, qty, start, due, 1, true);
  plan.addPeg(wo, -1, 10);
  const buy = plan.addOrder(0, 0.000001, start, due, 2, false);
  plan.addPeg(buy, wo, 3.25);
  plan.addPeg(buy, -2, 1.4e-6); // pegs are kept to 6 places, like the numeric columns
  plan.addPeg(buy, -3, 2);
  return plan;
}

/** Reads a one-dimensional array literal back: quoted elements unescaped, NULL as null. */
function elements(literal: string): (string | null)[] {
  expect(literal.startsWith('{') && literal.endsWith('}')).toBe(true);
  const out: (string | null)[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|([^,]+)/g;
  for (const m of literal.slice(1, -1).matchAll(re)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] === 'NULL' ? null : m[2]);
  return out;
}

describe('suggestion rows as array literals for unnest', () => {
  it('pegs are JSON: parents by seq, demands by type, id and line; odd ids escaped', () => {
    const plan = twoOrders();
    expect(pegsJson(plan, 0)).toBe(JSON.stringify([{ t: 'sales_order', id: so.id, l: so.line, q: 10 }]));
    expect(pegsJson(plan, 1)).toBe(JSON.stringify([{ o: 0, q: 3.25 }, { t: 'safety_stock', id: 'x"y\\z', q: 0.000001 }, { t: 'work_order', id: '工单"1', q: 2 }]));
  });

  it('each column is an array literal of the rows; the pegs element unescapes to the pegs JSON', () => {
    const plan = twoOrders();
    const a = suggestionArrays(plan, 0, 2);
    expect(elements(a.seq)).toEqual(['0', '1']);
    expect(elements(a.item)).toEqual([ITEM, ITEM]);
    expect(elements(a.kind)).toEqual(['work_order', 'purchase']);
    expect(elements(a.qty)).toEqual(['12.5', '0.000001']);
    expect(elements(a.sd)).toEqual(['2026-12-01', '2026-12-01']);
    expect(elements(a.dd)).toEqual(['2026-12-03', '2026-12-03']);
    expect(elements(a.level)).toEqual(['1', '2']);
    // the sales order is named only where the suggestion covers that one requirement
    expect(elements(a.so)).toEqual([so.id, null]);
    expect(elements(a.pegs)).toEqual([pegsJson(plan, 0), pegsJson(plan, 1)]);
    expect(elements(a.id)).toHaveLength(2);
    // a slice of the plan: seq stays the order's index in the run
    expect(elements(suggestionArrays(plan, 1, 2).seq)).toEqual(['1']);
  });

  it('refuses a quantity that is not a number rather than writing a broken literal', () => {
    expect(() => suggestionArrays(twoOrders(NaN), 0, 2)).toThrow(/not a number/);
  });

  it('makes distinct version 7 UUIDs', () => {
    const ids = uuidV7Batch(5000, Date.UTC(2026, 10, 23, 12));
    expect(new Set(ids).size).toBe(5000);
    for (const id of ids) expect(id).toMatch(/^01a20846-fe00-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
