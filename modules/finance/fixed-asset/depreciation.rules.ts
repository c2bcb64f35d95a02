import { AppError, Decimal } from '@mosaic/kernel';

export type DepreciationMethod = 'straight_line' | 'double_declining' | 'sum_of_years';

export interface AssetTerms {
  cost: Decimal;
  residualRate: Decimal;
  lifeMonths: number;
  method: DepreciationMethod;
}

const cents = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

/**
 * The whole depreciation schedule, one amount per month of life, adding up to
 * cost − residual exactly (the last month of each year, and of the life, takes
 * the rounding):
 * - 年限平均法: (cost − residual) ÷ months;
 * - 双倍余额递减法: each year 2 ÷ years × the book value at its start, residual
 *   ignored, then the last two years straight-line down to the residual
 *   (企业会计准则—固定资产 应用指南; 小企业会计准则 第三十二条 allows the accelerated methods);
 * - 年数总和法: (cost − residual) × remaining years ÷ sum of the years' digits.
 */
export function depreciationSchedule(t: AssetTerms): Decimal[] {
  const depreciable = cents(t.cost.times(new Decimal(1).minus(t.residualRate)));
  if (t.method === 'straight_line') return spread(depreciable, t.lifeMonths);
  if (t.lifeMonths % 12 !== 0 || t.lifeMonths < 24) {
    throw new AppError('FIELD_INVALID', 'life_months: the accelerated methods need whole years, at least two', { field: 'life_months' });
  }
  const years = t.lifeMonths / 12;
  const yearly: Decimal[] = [];
  if (t.method === 'sum_of_years') {
    const digits = (years * (years + 1)) / 2;
    for (let k = 0; k < years; k++) yearly.push(cents(depreciable.times(years - k).div(digits)));
  } else {
    let book = t.cost;
    const rate = new Decimal(2).div(years);
    for (let k = 0; k < years - 2; k++) {
      const d = cents(book.times(rate));
      yearly.push(d);
      book = book.minus(d);
    }
    const rest = book.minus(t.cost.minus(depreciable)); // what remains above the residual, over the last two years
    const half = cents(rest.div(2));
    yearly.push(half, rest.minus(half));
  }
  yearly[years - 1] = depreciable.minus(yearly.slice(0, -1).reduce((s, d) => s.plus(d), new Decimal(0)));
  return yearly.flatMap((y) => spread(y, 12));
}

/** `total` over `months` equal amounts, the last one taking the rounding. */
function spread(total: Decimal, months: number): Decimal[] {
  const each = cents(total.div(months));
  return Array.from({ length: months }, (_, i) => (i === months - 1 ? total.minus(each.times(months - 1)) : each));
}

/**
 * Which month of its life `period` is for an asset acquired on `acquired`, or
 * -1 outside it. 小企业会计准则 第三十条: depreciation starts the month after
 * the asset is acquired (当月增加的固定资产当月不计提).
 */
export function lifeMonthIndex(acquired: string, period: string, lifeMonths: number): number {
  const [ay, am] = acquired.split('-').map(Number);
  const [py, pm] = period.split('-').map(Number);
  const i = (py - ay) * 12 + (pm - am) - 1;
  return i >= 0 && i < lifeMonths ? i : -1;
}
