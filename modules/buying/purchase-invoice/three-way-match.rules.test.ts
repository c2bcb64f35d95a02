import { describe, expect, it } from 'vitest';
import { Decimal } from '@mosaic/kernel';
import type { OrderLineFigures } from '../chain/order-figures.ts';
import { assertMatched, threeWayMatch } from './three-way-match.rules.ts';

const d = (x: string | number) => new Decimal(x);
const line = (over: Partial<OrderLineFigures> = {}): OrderLineFigures => ({
  id: 'L1', idx: 0, item: 'I1', itemName: '螺栓', stocked: true, ordered: d(100), rate: d(10), uom: null, factor: d(1), taxRate: d('0.13'), priceIncludesTax: false, netUnit: d(10),
  received: d(60), receivedValue: d(600), returned: d(0), invoiced: d(0), ...over,
});
const order = (...lines: OrderLineFigures[]) => new Map(lines.map((l) => [l.id, l]));
const exact = { qty: d(0), price: d(0) };

describe('three-way match', () => {
  it('passes what was received at the order price', () => {
    expect(threeWayMatch([{ index: 0, orderLine: 'L1', item: 'I1', qty: d(60), netUnit: d(10) }], order(line()), exact)).toEqual([]);
  });

  it('counts returns out of what was received, and earlier invoices in', () => {
    const m = threeWayMatch([{ index: 0, orderLine: 'L1', item: 'I1', qty: d(20), netUnit: d(10) }], order(line({ returned: d(10), invoiced: d(35) })), exact);
    expect(m).toEqual([{ field: 'lines.0.qty', kind: 'qty_received', message: 'lines.0 (螺栓): invoiced quantity 55 (this invoice 20, before 35) exceeds the received quantity 50 (tolerance 0%)' }]);
  });

  it('adds up several invoice lines on one order line', () => {
    const m = threeWayMatch([
      { index: 0, orderLine: 'L1', item: 'I1', qty: d(40), netUnit: d(10) },
      { index: 1, orderLine: 'L1', item: 'I1', qty: d(30), netUnit: d(10) },
    ], order(line()), exact);
    expect(m.map((x) => x.field)).toEqual(['lines.1.qty']);
  });

  it('allows the quantity and price tolerances, and no more', () => {
    const tol = { qty: d('0.05'), price: d('0.02') };
    expect(threeWayMatch([{ index: 0, orderLine: 'L1', item: 'I1', qty: d(63), netUnit: d('10.20') }], order(line()), tol)).toEqual([]);
    const m = threeWayMatch([{ index: 0, orderLine: 'L1', item: 'I1', qty: d('63.01'), netUnit: d('10.21') }], order(line()), tol);
    expect(m.map((x) => x.kind)).toEqual(['qty_received', 'price']);
  });

  it('matches a service or non-stock line to the order alone: nothing is received, the order caps it', () => {
    const service = line({ stocked: false, received: d(0), receivedValue: d(0) });
    expect(threeWayMatch([{ index: 0, orderLine: 'L1', item: 'I1', qty: d(100), netUnit: d(10) }], order(service), exact)).toEqual([]);
    const m = threeWayMatch([{ index: 0, orderLine: 'L1', item: 'I1', qty: d(101), netUnit: d(10) }], order(service), exact);
    expect(m.map((x) => [x.field, x.kind])).toEqual([['lines.0.qty', 'qty_ordered']]);
  });

  it('names a line that bills no order line or another item', () => {
    const m = threeWayMatch([
      { index: 0, orderLine: null, item: 'I1', qty: d(1), netUnit: d(10) },
      { index: 1, orderLine: 'L1', item: 'I2', qty: d(1), netUnit: d(10) },
    ], order(line()), exact);
    expect(m.map((x) => [x.field, x.kind])).toEqual([['lines.0.order_line', 'order_line'], ['lines.1.item', 'item']]);
  });

  it('refuses with a 422 naming the first mismatch and listing all', () => {
    const m = threeWayMatch([{ index: 0, orderLine: 'L1', item: 'I1', qty: d(70), netUnit: d(12) }], order(line()), exact);
    expect(() => assertMatched(m)).toThrow(/Three-way match failed: lines.0 \(螺栓\): invoiced quantity 70.*\(and 1 more\)/);
    expect(() => assertMatched([])).not.toThrow();
  });
});
