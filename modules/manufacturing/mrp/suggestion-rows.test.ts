import { describe, expect, it } from 'vitest';
import { pegsJson, suggestionRowsJson, uuidV7Batch } from './suggestion-rows.ts';
import type { PlannedOrder } from './mrp.types.ts';

const order = (index: number, extra: Partial<PlannedOrder> = {}): PlannedOrder => ({
  index, item: '0190f4c2-7b1e-7a00-8000-000000000001', kind: 'work_order', qty: 12.5, startDate: '2026-12-01', dueDate: '2026-12-03', level: 1, pastDue: false, pegs: [], ...extra,
});

describe('suggestion rows as JSON text', () => {
  it('is the JSON of the rows, pegs embedded as JSON', () => {
    const so = { type: 'sales_order' as const, id: '0190f4c2-7b1e-7a00-8000-0000000000aa', line: '0190f4c2-7b1e-7a00-8000-0000000000ab' };
    const batch = [
      order(0, { pegs: [{ demand: so, qty: 10 }] }),
      order(1, { kind: 'purchase', qty: 0.000001, pegs: [{ order: 0, qty: 3.25 }, { demand: { type: 'safety_stock', id: 'x"y' }, qty: 1e-7 }] }),
    ];
    const rows = JSON.parse(suggestionRowsJson(batch));
    expect(rows.map(({ id: _id, ...r }: Record<string, unknown>) => r)).toEqual([
      { seq: 0, item: batch[0].item, kind: 'work_order', qty: 12.5, sd: '2026-12-01', dd: '2026-12-03', level: 1, so: so.id, pegs: [{ t: 'sales_order', id: so.id, l: so.line, q: 10 }] },
      // an odd id is escaped, not pasted; tiny numbers keep their JS text (1e-7), as JSON.stringify writes them
      { seq: 1, item: batch[1].item, kind: 'purchase', qty: 0.000001, sd: '2026-12-01', dd: '2026-12-03', level: 1, so: null, pegs: [{ o: 0, q: 3.25 }, { t: 'safety_stock', id: 'x"y', q: 1e-7 }] },
    ]);
    expect(pegsJson(batch[1])).toBe(JSON.stringify([{ o: 0, q: 3.25 }, { t: 'safety_stock', id: 'x"y', q: 1e-7 }]));
  });

  it('refuses a quantity that is not a number rather than writing broken JSON', () => {
    expect(() => suggestionRowsJson([order(0, { qty: NaN })])).toThrow(/not a number/);
  });

  it('makes distinct, time-ordered version 7 UUIDs', () => {
    const ids = uuidV7Batch(5000, Date.UTC(2026, 10, 23, 12));
    expect(new Set(ids).size).toBe(5000);
    for (const id of ids) expect(id).toMatch(/^01a20846-fe00-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
