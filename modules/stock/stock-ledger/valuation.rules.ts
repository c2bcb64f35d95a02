import { AppError, Decimal } from '@mosaic/kernel';

/**
 * Perpetual stock valuation, pure: no I/O. One item × warehouse at a time.
 *
 *   moving average: in 10 @ 10, in 10 @ 20, out 15 → 5 left valued 75  (rate 15)
 *   FIFO:           in 10 @ 10, in 10 @ 20, out 15 → 5 left valued 100 (the 20s remain)
 *
 * Money and quantities are Decimals end to end; values are kept to 6 places and
 * rounded to 2 only where they become accounting amounts (the finance module).
 */
export type ValuationMethod = 'moving_average' | 'fifo';

export interface Layer {
  qty: Decimal;
  rate: Decimal;
}

export interface StockState {
  qty: Decimal;
  value: Decimal;
  /** FIFO layers, oldest first (moving average keeps none). */
  layers: Layer[];
}

export interface MoveResult {
  state: StockState;
  /** Signed change of stock value (negative for issues). */
  valueChange: Decimal;
  /** The rate the move was valued at. */
  rate: Decimal;
}

const SCALE = 6;
const r6 = (d: Decimal) => d.toDecimalPlaces(SCALE, Decimal.ROUND_HALF_UP);

export function emptyState(): StockState {
  return { qty: new Decimal(0), value: new Decimal(0), layers: [] };
}

export function receive(state: StockState, qty: Decimal, rate: Decimal, method: ValuationMethod): MoveResult {
  if (qty.lte(0)) throw new AppError('FIELD_INVALID', 'qty: a receipt must be positive', { field: 'qty' });
  if (rate.lt(0)) throw new AppError('FIELD_INVALID', 'rate: must not be negative', { field: 'rate' });
  if (method === 'fifo') {
    // FIFO's value is its layers. A receipt that settles stock issued before it
    // arrived (a negative layer) changes value by less or more than qty × rate;
    // the difference is the revaluation of what went out at the older rate.
    const layers = settleNegativeLayers(state.layers.map((l) => ({ ...l })), qty, rate);
    const value = layersValue(layers);
    return { state: { qty: state.qty.plus(qty), value, layers }, valueChange: value.minus(state.value), rate };
  }
  const valueChange = r6(qty.times(rate));
  return { state: { qty: state.qty.plus(qty), value: r6(state.value.plus(valueChange)), layers: [] }, valueChange, rate };
}

/**
 * Issues `qty`. With moving average the issue goes out at the current average
 * rate; with FIFO it consumes the oldest layers first. Going below zero is for
 * the caller to allow or refuse; if allowed, the shortfall goes out at the last
 * known rate and is settled by the next receipt.
 */
export function issue(state: StockState, qty: Decimal, method: ValuationMethod, fallbackRate: Decimal = new Decimal(0), forcedRate?: Decimal): MoveResult {
  if (qty.lte(0)) throw new AppError('FIELD_INVALID', 'qty: an issue must be positive', { field: 'qty' });
  if (method === 'moving_average') {
    // A reversal of a receipt goes back out at the rate it came in (forcedRate).
    const rate = forcedRate ?? (state.qty.gt(0) ? state.value.div(state.qty) : fallbackRate);
    const left = state.qty.minus(qty);
    // Issuing everything takes the whole value: no rounding crumbs left behind.
    const valueChange = left.isZero() ? state.value.neg() : r6(qty.times(rate)).neg();
    return { state: { qty: left, value: r6(state.value.plus(valueChange)), layers: [] }, valueChange, rate: r6(rate) };
  }
  let remaining = qty;
  let cost = new Decimal(0);
  let lastRate = state.layers.length ? state.layers[state.layers.length - 1].rate : fallbackRate;
  const layers = state.layers.map((l) => ({ ...l }));
  while (remaining.gt(0) && layers.length && layers[0].qty.gt(0)) {
    const take = Decimal.min(remaining, layers[0].qty);
    lastRate = layers[0].rate;
    cost = cost.plus(take.times(layers[0].rate));
    layers[0].qty = layers[0].qty.minus(take);
    remaining = remaining.minus(take);
    if (layers[0].qty.isZero()) layers.shift();
  }
  if (remaining.gt(0)) {
    const rate = layers.length ? layers[layers.length - 1].rate : lastRate;
    cost = cost.plus(remaining.times(rate));
    const neg = layers.find((l) => l.qty.lt(0) && l.rate.eq(rate));
    if (neg) neg.qty = neg.qty.minus(remaining);
    else layers.push({ qty: remaining.neg(), rate }); // a negative layer, settled by the next receipt
  }
  const valueChange = r6(cost).neg();
  return { state: { qty: state.qty.minus(qty), value: r6(state.value.plus(valueChange)), layers }, valueChange, rate: r6(cost.div(qty)) };
}

function layersValue(layers: Layer[]): Decimal {
  return r6(layers.reduce((sum, l) => sum.plus(l.qty.times(l.rate)), new Decimal(0)));
}

/** A receipt first fills negative layers (stock that went out before it came in). */
function settleNegativeLayers(layers: Layer[], qty: Decimal, rate: Decimal): Layer[] {
  let incoming = qty;
  while (incoming.gt(0) && layers.length && layers[0].qty.lt(0)) {
    const fill = Decimal.min(incoming, layers[0].qty.neg());
    layers[0].qty = layers[0].qty.plus(fill);
    incoming = incoming.minus(fill);
    if (layers[0].qty.isZero()) layers.shift();
  }
  if (incoming.gt(0)) layers.push({ qty: incoming, rate });
  return layers;
}
