import { Decimal as DecimalJs } from 'decimal.js';

/**
 * Decimal arithmetic for money and quantities. A float never touches an amount:
 * PostgreSQL NUMERIC comes back as a string and goes in as a string.
 * 40 significant digits, half-up rounding (四舍五入) as Chinese accounting expects.
 */
export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });
export type Decimal = DecimalJs;

/** Parses "1,234.50", "1234.5", 1234.5 (finite numbers only) into a Decimal, or returns null. */
export function parseDecimal(input: unknown): Decimal | null {
  if (DecimalJs.isDecimal(input)) return new Decimal(input as DecimalJs);
  if (typeof input === 'number') return Number.isFinite(input) ? new Decimal(String(input)) : null;
  if (typeof input !== 'string') return null;
  const s = input.trim().replace(/,/g, '');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return null;
  return new Decimal(s);
}

/** Rounds to `scale` places, half-up, and renders without exponent: "1234.50". */
export function toFixedString(d: Decimal, scale: number): string {
  return d.toDecimalPlaces(scale, DecimalJs.ROUND_HALF_UP).toFixed(scale);
}
