import { AppError, Decimal, monthEnd } from '@mosaic/kernel';
import { datesBetween, type WorkCalendar, type WorkDayKind } from '../calendar/work-calendar.ts';

/**
 * China payroll, as pure functions: no I/O, every amount a Decimal rounded to
 * the fen half-up (四舍五入). The service reads the records, calls
 * `computePayslip`, and writes what it returns.
 *
 * A month's payslip:
 *   base, allowances = the structure's, × employed working days ÷ the month's working days
 *                    when hired or leaving within the month (按当月工作日折算)
 *   gross          = base + allowances + overtime − absence deduction
 *   五险一金 (employee) = each insurance's rate × its base, the base being the
 *                    declared contribution base clamped to the city's floor and ceiling
 *   IIT            = 累计预扣法: tax on the year's cumulative taxable income by the
 *                    annual table, less what earlier months withheld
 *   net            = gross − employee insurance − IIT
 */

const ZERO = new Decimal(0);
const fen = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

// ---------------------------------------------------------------- salary

/** Days a month counts for daily and hourly pay: 365 − 104 weekend days = 261 ÷ 12 = 21.75 (劳社部发〔2008〕3号). */
export const PAY_DAYS_PER_MONTH = new Decimal('21.75');
const HOURS_PER_DAY = new Decimal(8);

/** 劳动法 第四十四条: overtime on a working day ×150 %, on a rest day ×200 %, on a public holiday ×300 %. */
export const OVERTIME_MULTIPLIERS = { workday: new Decimal('1.5'), restDay: new Decimal(2), holiday: new Decimal(3) } as const;

export interface OvertimeHours {
  workday: Decimal;
  restDay: Decimal;
  holiday: Decimal;
}

export interface SalaryInput {
  /** Monthly base salary (基本工资). */
  base: Decimal;
  /** Fixed monthly allowances (津贴补贴), all taxable. */
  allowances: Decimal;
  /** Overtime hours of the month, from attendance. */
  overtime: OvertimeHours;
  /** Unpaid absence (旷工 / 事假) in days, from attendance and leave. */
  absenceDays: Decimal;
  /** Hired or leaving within the month: the working days employed of the month's (workdaysOf). Absent: the whole month. */
  workdays?: Workdays;
}

export interface Workdays {
  /** The month's working days by the company calendar over the employee's week (its days less holidays, plus 调休 days). */
  month: number;
  /** Those of them between the hire date and the leaving date, both included. */
  employed: number;
}

/** An approved unpaid leave request: its dates and the days it takes (which may be half days). */
export interface LeaveSpan {
  from: string;
  to: string;
  days: Decimal;
}

/**
 * The unpaid leave days that fall in a period: a request within the month counts whole; one that
 * spans months is split by its working days in each by the calendar (Jan 29 – Feb 3, 4 days: 2 in
 * January, 2 in February; a holiday is no working day, a 调休 Saturday is one), to 0.01 day.
 * A request of rest days or holidays only counts in the month it starts.
 */
export function leaveDaysIn(period: string, spans: LeaveSpan[], cal: WorkCalendar): Decimal {
  return spans.reduce((sum, l) => {
    const working = datesBetween(l.from, l.to).filter((d) => cal.isWorkday(d));
    if (!working.length) return l.from.startsWith(period) ? sum.plus(l.days) : sum;
    const inMonth = working.filter((d) => d.startsWith(period)).length;
    return sum.plus(l.days.times(inMonth).div(working.length).toDecimalPlaces(2, Decimal.ROUND_HALF_UP));
  }, ZERO);
}

/** Every date of a period (YYYY-MM). */
export function datesOfPeriod(period: string): string[] {
  return datesBetween(`${period}-01`, monthEnd(period));
}

/** The working days of a period (YYYY-MM) by the calendar, and those the employee was employed on. */
export function workdaysOf(period: string, hireDate: string, leaveDate: string | null, cal: WorkCalendar): Workdays {
  const days = datesOfPeriod(period).filter((d) => cal.isWorkday(d));
  return { month: days.length, employed: days.filter((d) => d >= hireDate && (!leaveDate || d <= leaveDate)).length };
}

/**
 * The days of a period whose kind the company calendar sets against the calendar's week (a day
 * of the week closed as a holiday or 调休 rest day, a day off the week opened by 调休: for a
 * 单休 week a 调休 Saturday changes nothing), with that kind. Overtime on them
 * is paid at the calendar's kind whatever the attendance row recorded: a holiday entered after
 * the clock file was imported still pays 3×, a swapped rest day 2×, a 调休 working day 1.5×.
 * Other days keep the recorded kind (HR may record holiday overtime the calendar does not know).
 */
export function calendarKindsOf(period: string, cal: WorkCalendar): Record<string, WorkDayKind> {
  const out: Record<string, WorkDayKind> = {};
  for (const d of datesOfPeriod(period)) {
    const kind = cal.kindOf(d);
    if (kind !== cal.baseKindOf(d)) out[d] = kind;
  }
  return out;
}

export interface Earnings {
  base: Decimal;
  allowances: Decimal;
  overtimePay: Decimal;
  absenceDeduction: Decimal;
  gross: Decimal;
}

/** The hourly rate overtime is paid on: base ÷ 21.75 ÷ 8, unrounded (rounding happens on the amount). */
export function hourlyRate(base: Decimal): Decimal {
  return base.div(PAY_DAYS_PER_MONTH).div(HOURS_PER_DAY);
}

export function computeEarnings(s: SalaryInput): Earnings {
  for (const [field, v] of [['base', s.base], ['allowances', s.allowances], ['absence_days', s.absenceDays]] as const) {
    if (v.isNegative()) throw new AppError('FIELD_INVALID', `${field}: must not be negative`, { field });
  }
  if (s.workdays && (s.workdays.employed < 0 || s.workdays.employed > s.workdays.month)) {
    throw new AppError('FIELD_INVALID', 'hire_date: the employed days do not fit the month', { field: 'hire_date' });
  }
  // A part month pays its share of the base and the allowances; overtime and absence are
  // still priced on the full monthly base (the statutory hourly and daily rates).
  const share = (x: Decimal) => (s.workdays && s.workdays.employed < s.workdays.month ? fen(x.times(s.workdays.employed).div(s.workdays.month)) : fen(x));
  const base = share(s.base);
  const allowances = share(s.allowances);
  const hourly = hourlyRate(s.base);
  const overtimePay = fen(
    hourly.times(s.overtime.workday).times(OVERTIME_MULTIPLIERS.workday)
      .plus(hourly.times(s.overtime.restDay).times(OVERTIME_MULTIPLIERS.restDay))
      .plus(hourly.times(s.overtime.holiday).times(OVERTIME_MULTIPLIERS.holiday)),
  );
  // A month of absence never takes more than the base earned: the deduction is capped at it.
  const absenceDeduction = Decimal.min(fen(s.base.div(PAY_DAYS_PER_MONTH).times(s.absenceDays)), base);
  const gross = base.plus(allowances).plus(overtimePay).minus(absenceDeduction);
  return { base, allowances, overtimePay, absenceDeduction, gross: fen(gross) };
}

// ---------------------------------------------------------------- 五险一金

export interface ContributionRates {
  pension: Decimal;
  medical: Decimal;
  unemployment: Decimal;
  /** Employer only (工伤保险). */
  injury: Decimal;
  /** Employer only (生育保险, merged into medical in many cities: then 0). */
  maternity: Decimal;
  housingFund: Decimal;
}

/** A city's contribution standard (社保/公积金缴费基数上下限 and 比例). */
export interface CityPolicy {
  siBaseFloor: Decimal;
  siBaseCeiling: Decimal;
  hfBaseFloor: Decimal;
  hfBaseCeiling: Decimal;
  employee: ContributionRates;
  employer: ContributionRates;
}

export interface Contributions {
  siBase: Decimal;
  hfBase: Decimal;
  pension: Decimal;
  medical: Decimal;
  unemployment: Decimal;
  injury: Decimal;
  maternity: Decimal;
  housingFund: Decimal;
  total: Decimal;
}

/** Clamps a declared base into [floor, ceiling]: below the floor one pays on the floor, above the ceiling on the ceiling. */
export function clampBase(declared: Decimal, floor: Decimal, ceiling: Decimal): Decimal {
  if (floor.greaterThan(ceiling)) throw new AppError('FIELD_INVALID', 'base_ceiling: must not be below the floor', { field: 'base_ceiling' });
  return Decimal.max(floor, Decimal.min(ceiling, declared));
}

/** One side's (employee or employer) five insurances and housing fund, each rounded to the fen. */
export function computeContributions(siDeclared: Decimal, hfDeclared: Decimal, policy: CityPolicy, side: 'employee' | 'employer'): Contributions {
  const siBase = clampBase(siDeclared, policy.siBaseFloor, policy.siBaseCeiling);
  const hfBase = clampBase(hfDeclared, policy.hfBaseFloor, policy.hfBaseCeiling);
  const r = policy[side];
  const pension = fen(siBase.times(r.pension));
  const medical = fen(siBase.times(r.medical));
  const unemployment = fen(siBase.times(r.unemployment));
  const injury = side === 'employer' ? fen(siBase.times(r.injury)) : ZERO;
  const maternity = side === 'employer' ? fen(siBase.times(r.maternity)) : ZERO;
  const housingFund = fen(hfBase.times(r.housingFund));
  const total = pension.plus(medical).plus(unemployment).plus(injury).plus(maternity).plus(housingFund);
  return { siBase, hfBase, pension, medical, unemployment, injury, maternity, housingFund, total };
}

// ---------------------------------------------------------------- 个人所得税 (累计预扣法)

/** 个人所得税预扣率表一 (居民个人工资、薪金所得预扣预缴适用): cumulative taxable income up to `upTo`, rate, quick deduction. */
export const IIT_BRACKETS: { upTo: Decimal | null; rate: Decimal; quickDeduction: Decimal }[] = [
  { upTo: new Decimal(36_000), rate: new Decimal('0.03'), quickDeduction: new Decimal(0) },
  { upTo: new Decimal(144_000), rate: new Decimal('0.10'), quickDeduction: new Decimal(2_520) },
  { upTo: new Decimal(300_000), rate: new Decimal('0.20'), quickDeduction: new Decimal(16_920) },
  { upTo: new Decimal(420_000), rate: new Decimal('0.25'), quickDeduction: new Decimal(31_920) },
  { upTo: new Decimal(660_000), rate: new Decimal('0.30'), quickDeduction: new Decimal(52_920) },
  { upTo: new Decimal(960_000), rate: new Decimal('0.35'), quickDeduction: new Decimal(85_920) },
  { upTo: null, rate: new Decimal('0.45'), quickDeduction: new Decimal(181_920) },
];

/** 基本减除费用: 5 000 yuan for each month of the year the employee has been paid by this employer. */
export const BASIC_DEDUCTION_PER_MONTH = new Decimal(5_000);

/** Tax on a cumulative taxable income by the annual table: taxable × rate − quick deduction, to the fen. */
export function cumulativeTax(taxable: Decimal): Decimal {
  if (!taxable.isPositive()) return ZERO;
  const bracket = IIT_BRACKETS.find((b) => b.upTo === null || taxable.lessThanOrEqualTo(b.upTo))!;
  return fen(taxable.times(bracket.rate).minus(bracket.quickDeduction));
}

/** What earlier months of the same tax year with this employer add up to. */
export interface YearToDate {
  /** Months already paid this year (the current one is month `months + 1`). */
  months: number;
  income: Decimal;
  /** Employee 五险一金 (专项扣除). */
  contributions: Decimal;
  /** 专项附加扣除 (children's education, housing loan or rent, elderly care …). */
  specialDeductions: Decimal;
  taxWithheld: Decimal;
}

export const EMPTY_YEAR: YearToDate = { months: 0, income: ZERO, contributions: ZERO, specialDeductions: ZERO, taxWithheld: ZERO };

export interface IncomeTax {
  month: number;
  cumulativeIncome: Decimal;
  cumulativeBasicDeduction: Decimal;
  cumulativeContributions: Decimal;
  cumulativeSpecialDeductions: Decimal;
  cumulativeTaxable: Decimal;
  cumulativeTax: Decimal;
  /** This month's withholding: the cumulative tax less what was withheld before, never below 0 (no refund through payroll). */
  tax: Decimal;
}

/**
 * 累计预扣法 (国家税务总局公告2018年第61号):
 *   累计预扣预缴应纳税所得额 = 累计收入 − 累计减除费用(5000×月数) − 累计专项扣除 − 累计专项附加扣除
 *   本期应预扣预缴税额 = (累计应纳税所得额 × 预扣率 − 速算扣除数) − 累计已预扣预缴税额
 */
export function computeIncomeTax(ytd: YearToDate, income: Decimal, contributions: Decimal, specialDeductions: Decimal): IncomeTax {
  const month = ytd.months + 1;
  if (month > 12) throw new AppError('FIELD_INVALID', 'period: a tax year has at most 12 payroll months', { field: 'period' });
  const cumulativeIncome = ytd.income.plus(income);
  const cumulativeBasicDeduction = BASIC_DEDUCTION_PER_MONTH.times(month);
  const cumulativeContributions = ytd.contributions.plus(contributions);
  const cumulativeSpecialDeductions = ytd.specialDeductions.plus(specialDeductions);
  const taxable = cumulativeIncome.minus(cumulativeBasicDeduction).minus(cumulativeContributions).minus(cumulativeSpecialDeductions);
  const cumulativeTaxable = Decimal.max(ZERO, fen(taxable));
  const cumTax = cumulativeTax(cumulativeTaxable);
  const tax = Decimal.max(ZERO, cumTax.minus(ytd.taxWithheld));
  return { month, cumulativeIncome, cumulativeBasicDeduction, cumulativeContributions, cumulativeSpecialDeductions, cumulativeTaxable, cumulativeTax: cumTax, tax };
}

// ---------------------------------------------------------------- the payslip

export interface PayslipInput {
  salary: SalaryInput;
  /** Declared contribution bases (缴费基数), before the city's floor and ceiling. */
  siDeclaredBase: Decimal;
  hfDeclaredBase: Decimal;
  policy: CityPolicy;
  /** This month's 专项附加扣除 for the employee. */
  specialDeductions: Decimal;
  ytd: YearToDate;
}

export interface Payslip {
  earnings: Earnings;
  employee: Contributions;
  employer: Contributions;
  tax: IncomeTax;
  net: Decimal;
  /** What the month costs the employer: gross + employer contributions. */
  employerCost: Decimal;
}

export function computePayslip(p: PayslipInput): Payslip {
  const earnings = computeEarnings(p.salary);
  const employee = computeContributions(p.siDeclaredBase, p.hfDeclaredBase, p.policy, 'employee');
  const employer = computeContributions(p.siDeclaredBase, p.hfDeclaredBase, p.policy, 'employer');
  const tax = computeIncomeTax(p.ytd, earnings.gross, employee.total, p.specialDeductions);
  const net = earnings.gross.minus(employee.total).minus(tax.tax);
  return { earnings, employee, employer, tax, net, employerCost: earnings.gross.plus(employer.total) };
}

/** The year-to-date after this payslip: what next month's 累计预扣法 starts from. */
export function nextYearToDate(ytd: YearToDate, slip: Payslip, specialDeductions: Decimal): YearToDate {
  return {
    months: ytd.months + 1,
    income: ytd.income.plus(slip.earnings.gross),
    contributions: ytd.contributions.plus(slip.employee.total),
    specialDeductions: ytd.specialDeductions.plus(specialDeductions),
    taxWithheld: ytd.taxWithheld.plus(slip.tax.tax),
  };
}
