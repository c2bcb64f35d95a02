import { describe, expect, it } from 'vitest';
import { Decimal } from '@mosaic/kernel';
import { emptyState, issue, receive, type ValuationMethod } from './valuation.rules.ts';

const d = (x: string | number) => new Decimal(x);
const run = (method: ValuationMethod, moves: [('in' | 'out'), number, number?][]) => {
  let s = emptyState();
  const changes: string[] = [];
  for (const [kind, qty, rate] of moves) {
    const r = kind === 'in' ? receive(s, d(qty), d(rate!), method) : issue(s, d(qty), method);
    changes.push(r.valueChange.toFixed(2));
    s = r.state;
  }
  return { qty: s.qty.toFixed(), value: s.value.toFixed(2), changes, layers: s.layers.map((l) => `${l.qty}@${l.rate}`) };
};

describe('valuation', () => {
  it('moving average: in 10 @ 10, in 10 @ 20, out 15 → 5 left valued 75', () => {
    expect(run('moving_average', [['in', 10, 10], ['in', 10, 20], ['out', 15]])).toMatchObject({ qty: '5', value: '75.00', changes: ['100.00', '200.00', '-225.00'] });
  });

  it('FIFO: the same moves → 5 left valued 100', () => {
    expect(run('fifo', [['in', 10, 10], ['in', 10, 20], ['out', 15]])).toMatchObject({ qty: '5', value: '100.00', changes: ['100.00', '200.00', '-200.00'], layers: ['5@20'] });
  });

  it('issuing everything leaves exactly zero value, even at a repeating average', () => {
    expect(run('moving_average', [['in', 3, 10], ['in', 3, 10.01], ['out', 1], ['out', 5]])).toMatchObject({ qty: '0', value: '0.00' });
  });

  it('FIFO below zero goes out at the last rate and the next receipt settles it', () => {
    const r = run('fifo', [['in', 2, 5], ['out', 3], ['in', 4, 6]]);
    // out at 5 (the last rate), settled at 6: the receipt revalues the unit that went out early
    expect(r).toMatchObject({ qty: '3', value: '18.00', changes: ['10.00', '-15.00', '23.00'], layers: ['3@6'] });
  });

  it('refuses non-positive quantities and negative rates', () => {
    expect(() => receive(emptyState(), d(0), d(1), 'fifo')).toThrow(/positive/);
    expect(() => receive(emptyState(), d(1), d(-1), 'fifo')).toThrow(/negative/);
    expect(() => issue(emptyState(), d(-1), 'fifo')).toThrow(/positive/);
  });
});
