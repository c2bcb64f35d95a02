/**
 * Decimal strings, as the API sends numbers ("1234.50"): parsed, shifted and
 * added without ever becoming a float (DESIGN.md: a float never touches an amount).
 */
const DEC_RE = /^([+-])?(\d*)(?:\.(\d*))?$/;

interface Parts {
  neg: boolean;
  int: string;
  frac: string;
}

function parts(value: unknown): Parts | null {
  const s = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const m = DEC_RE.exec(s);
  if (!m || (!m[2] && !m[3])) return null;
  return { neg: m[1] === '-', int: (m[2] || '0').replace(/^0+(?=\d)/, ''), frac: m[3] ?? '' };
}

function join({ neg, int, frac }: Parts): string {
  const f = frac.replace(/0+$/, '');
  const i = int.replace(/^0+(?=\d)/, '') || '0';
  const out = f ? `${i}.${f}` : i;
  return neg && /[1-9]/.test(out) ? `-${out}` : out;
}

export function isDecimal(value: unknown): boolean {
  return parts(value) !== null;
}

/** "0.13" shifted by 2 → "13" (percent fraction → percent points); by -2 back. */
export function shiftDecimal(value: unknown, places: number): string | null {
  const p = parts(value);
  if (!p) return null;
  let digits = p.int + p.frac;
  let point = p.int.length + places;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits = digits + '0'.repeat(point - digits.length);
  return join({ neg: p.neg, int: digits.slice(0, point) || '0', frac: digits.slice(point) });
}

/** Exact sum of decimal strings (unparseable values are skipped). */
export function sumDecimals(values: unknown[]): string {
  const ps = values.map(parts).filter((p): p is Parts => p !== null);
  const scale = Math.max(0, ...ps.map((p) => p.frac.length));
  let total = 0n;
  for (const p of ps) {
    const n = BigInt(p.int + p.frac.padEnd(scale, '0'));
    total += p.neg ? -n : n;
  }
  const neg = total < 0n;
  const digits = (neg ? -total : total).toString().padStart(scale + 1, '0');
  return join({ neg, int: digits.slice(0, digits.length - scale), frac: digits.slice(digits.length - scale) });
}

/** Rounds half away from zero to `scale` places: "2.345" → "2.35". */
export function roundDecimal(value: unknown, scale: number): string | null {
  const p = parts(value);
  if (!p) return null;
  const frac = p.frac.padEnd(scale + 1, '0');
  let n = BigInt(p.int + frac.slice(0, scale));
  if (Number(frac[scale]) >= 5) n += 1n;
  const digits = n.toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const f = digits.slice(digits.length - scale);
  const out = scale ? `${int}.${f}` : int;
  return p.neg && /[1-9]/.test(out) ? `-${out}` : out;
}

/** a × b of decimal strings, exact (BigInt), rounded half away from zero to `scale` places; null when either is not a number. */
export function mulDecimals(a: unknown, b: unknown, scale: number): string | null {
  const x = parts(a);
  const y = parts(b);
  if (!x || !y) return null;
  const big = (p: Parts) => BigInt(`${p.neg ? '-' : ''}${p.int}${p.frac}` || '0');
  const places = x.frac.length + y.frac.length;
  let product = big(x) * big(y);
  const neg = product < 0n;
  if (neg) product = -product;
  // Round to `scale` places: drop (places - scale) digits, half away from zero.
  const drop = places - scale;
  if (drop > 0) {
    const div = 10n ** BigInt(drop);
    product = (product + div / 2n) / div;
  } else if (drop < 0) {
    product *= 10n ** BigInt(-drop);
  }
  const digits = product.toString().padStart(scale + 1, '0');
  return join({ neg, int: digits.slice(0, digits.length - scale), frac: scale ? digits.slice(digits.length - scale) : '' });
}
