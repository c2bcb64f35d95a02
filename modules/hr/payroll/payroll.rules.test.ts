import { describe, expect, it } from 'vitest';
import { Decimal } from '@mosaic/kernel';
import { WEEKDAYS, workCalendar } from '../calendar/work-calendar.ts';
import {
  EMPTY_YEAR, IIT_BRACKETS, calendarKindsOf, clampBase, leaveDaysIn, workdaysOf, computeContributions, computeEarnings, computeIncomeTax, computePayslip, cumulativeTax, hourlyRate, nextYearToDate,
  type CityPolicy, type SalaryInput, type YearToDate,
} from './payroll.rules.ts';

const d = (x: string | number) => new Decimal(x);
const s = (x: Decimal) => x.toFixed(2);
const NO_OVERTIME = { workday: d(0), restDay: d(0), holiday: d(0) };
const salary = (base: number, allowances = 0, extra: Partial<SalaryInput> = {}): SalaryInput => ({ base: d(base), allowances: d(allowances), overtime: NO_OVERTIME, absenceDays: d(0), ...extra });

// A city standard shaped like Shanghai's (rounded figures): SI base 7 000–35 000, housing fund 2 700–35 000.
const CITY: CityPolicy = {
  siBaseFloor: d(7000), siBaseCeiling: d(35000), hfBaseFloor: d(2700), hfBaseCeiling: d(35000),
  employee: { pension: d('0.08'), medical: d('0.02'), unemployment: d('0.005'), injury: d(0), maternity: d(0), housingFund: d('0.12') },
  employer: { pension: d('0.16'), medical: d('0.095'), unemployment: d('0.005'), injury: d('0.0026'), maternity: d(0), housingFund: d('0.12') },
};

describe('earnings', () => {
  it('pays overtime on base ÷ 21.75 ÷ 8 at 150 / 200 / 300 % and deducts absence at base ÷ 21.75 a day', () => {
    // 8 700 ÷ 21.75 = 400 a day, ÷ 8 = 50 an hour.
    expect(s(hourlyRate(d(8700)))).toBe('50.00');
    const e = computeEarnings(salary(8700, 500, { overtime: { workday: d(10), restDay: d(8), holiday: d(8) }, absenceDays: d(2) }));
    // 10 h × 50 × 1.5 = 750; 8 h × 50 × 2 = 800; 8 h × 50 × 3 = 1 200 → 2 750. Absence 2 × 400 = 800.
    expect([s(e.overtimePay), s(e.absenceDeduction), s(e.gross)]).toEqual(['2750.00', '800.00', '11150.00']); // 8700 + 500 + 2750 − 800
  });

  it('rounds overtime to the fen, half up', () => {
    // 10 000 ÷ 21.75 ÷ 8 = 57.4712643…; × 1 h × 1.5 = 86.2068965… → 86.21
    expect(s(computeEarnings(salary(10000, 0, { overtime: { workday: d(1), restDay: d(0), holiday: d(0) } })).overtimePay)).toBe('86.21');
  });

  it('pays a part month its share of base and allowances, overtime and absence still on the full base', () => {
    // January 2026: 22 working days; hired Thursday the 15th: 12 of them.
    const workdays = workdaysOf('2026-01', '2026-01-15', null, WEEKDAYS);
    expect(workdays).toEqual({ month: 22, employed: 12 });
    expect(workdaysOf('2026-01', '2025-01-01', '2026-01-20', WEEKDAYS)).toEqual({ month: 22, employed: 14 });
    expect(workdaysOf('2026-02', '2025-01-01', null, WEEKDAYS)).toEqual({ month: 20, employed: 20 });
    // 8 700 × 12 ÷ 22 = 4 745.4545… → 4 745.45; 500 × 12 ÷ 22 = 272.7272… → 272.73;
    // 2 h workday overtime at 50 × 1.5 = 150; 1 day absent at 400.
    const e = computeEarnings(salary(8700, 500, { workdays, overtime: { workday: d(2), restDay: d(0), holiday: d(0) }, absenceDays: d(1) }));
    expect([s(e.base), s(e.allowances), s(e.overtimePay), s(e.absenceDeduction), s(e.gross)]).toEqual(['4745.45', '272.73', '150.00', '400.00', '4768.18']);
    // The absence deduction never exceeds the base earned.
    expect(s(computeEarnings(salary(8700, 0, { workdays: { month: 22, employed: 2 }, absenceDays: d(5) })).gross)).toBe('0.00');
    expect(() => computeEarnings(salary(8700, 0, { workdays: { month: 20, employed: 21 } }))).toThrow(expect.objectContaining({ code: 'FIELD_INVALID', field: 'hire_date' }));
  });

  it('splits unpaid leave spanning months by its working days in each', () => {
    const span = (from: string, to: string, days: string) => ({ from, to, days: d(days) });
    // Thu 29 Jan – Tue 3 Feb: 4 working days, 2 and 2; a half day on the 30th counts in January only.
    expect(s(leaveDaysIn('2026-01', [span('2026-01-29', '2026-02-03', '4'), span('2026-01-30', '2026-01-30', '0.5')], WEEKDAYS))).toBe('2.50');
    expect(s(leaveDaysIn('2026-02', [span('2026-01-29', '2026-02-03', '4')], WEEKDAYS))).toBe('2.00');
    // 3 days over 4 working days (one half-day somewhere): 3 × 2 ÷ 4 = 1.50 in each month.
    expect(s(leaveDaysIn('2026-02', [span('2026-01-29', '2026-02-03', '3')], WEEKDAYS))).toBe('1.50');
    // Weekend-only leave counts in its first month.
    expect(s(leaveDaysIn('2026-01', [span('2026-01-31', '2026-02-01', '1')], WEEKDAYS))).toBe('1.00');
    expect(s(leaveDaysIn('2026-02', [span('2026-01-31', '2026-02-01', '1')], WEEKDAYS))).toBe('0.00');
  });

  it('counts working days by the company calendar: holidays closed, 调休 weekend days open', () => {
    // National Day 2026: Thu 1 – Wed 7 October closed; Sun 27 September and Sat 10 October worked.
    const cal = workCalendar(new Map([...[1, 2, 3, 4, 5, 6, 7].map((n) => [`2026-10-0${n}`, 'holiday'] as const), ['2026-09-27', 'workday'], ['2026-10-10', 'workday']]));
    // October: 22 weekdays − 5 closed + the 10th = 18; hired Mon 12th: 15 of them.
    expect(workdaysOf('2026-10', '2026-10-12', null, cal)).toEqual({ month: 18, employed: 15 });
    // September: 22 weekdays + Sun 27th = 23.
    expect(workdaysOf('2026-09', '2020-01-01', null, cal)).toEqual({ month: 23, employed: 23 });
    // Tue 29 Sep – Fri 9 Oct, 4 days: working days 29, 30 Sep and 8, 9 Oct → 2 and 2 (by weekdays alone it was 2 and 7 of 9).
    const span = { from: '2026-09-29', to: '2026-10-09', days: d(4) };
    expect(s(leaveDaysIn('2026-09', [span], cal))).toBe('2.00');
    expect(s(leaveDaysIn('2026-10', [span], cal))).toBe('2.00');
    // A leave inside the holiday only counts in its first month.
    expect(s(leaveDaysIn('2026-10', [{ from: '2026-10-02', to: '2026-10-03', days: d(1) }], cal))).toBe('1.00');
  });

  it('never deducts more than the base for absence', () => {
    expect(s(computeEarnings(salary(5000, 300, { absenceDays: d(30) })).gross)).toBe('300.00');
  });

  it.each([
    ['base', salary(-1)],
    ['allowances', salary(100, -5)],
    ['absence_days', salary(100, 0, { absenceDays: d(-1) })],
  ])('refuses a negative %s, naming the field', (field, input) => {
    expect(() => computeEarnings(input)).toThrow(expect.objectContaining({ code: 'FIELD_INVALID', field }));
  });
});

describe('五险一金', () => {
  it.each([
    ['below the floor pays on the floor', '3000', '7000'],
    ['inside pays on the declared base', '12000', '12000'],
    ['above the ceiling pays on the ceiling', '50000', '35000'],
    ['on the floor exactly', '7000', '7000'],
  ])('%s', (_, declared, base) => {
    expect(s(clampBase(d(declared), CITY.siBaseFloor, CITY.siBaseCeiling))).toBe(d(base).toFixed(2));
  });

  it('refuses a floor above the ceiling', () => {
    expect(() => clampBase(d(1), d(10), d(5))).toThrow(expect.objectContaining({ code: 'FIELD_INVALID', field: 'base_ceiling' }));
  });

  it('employee side on 12 000: 8 % + 2 % + 0.5 % + 12 % housing fund', () => {
    const c = computeContributions(d(12000), d(12000), CITY, 'employee');
    // 960 + 240 + 60 + 1 440 = 2 700; no injury or maternity on the employee side.
    expect([c.pension, c.medical, c.unemployment, c.injury, c.maternity, c.housingFund, c.total].map(s)).toEqual(['960.00', '240.00', '60.00', '0.00', '0.00', '1440.00', '2700.00']);
  });

  it('employer side on 12 000, injury 0.26 % rounded to the fen', () => {
    const c = computeContributions(d(12000), d(12000), CITY, 'employer');
    // 1 920 + 1 140 + 60 + 31.20 + 0 + 1 440 = 4 591.20
    expect([c.pension, c.medical, c.unemployment, c.injury, c.housingFund, c.total].map(s)).toEqual(['1920.00', '1140.00', '60.00', '31.20', '1440.00', '4591.20']);
  });

  it('social insurance and housing fund clamp to their own floors', () => {
    // SI on the 7 000 floor: 560 + 140 + 35 = 735; HF on the declared 3 000 (above its 2 700 floor): 360.
    const c = computeContributions(d(3000), d(3000), CITY, 'employee');
    expect([c.siBase, c.hfBase, c.total].map(s)).toEqual(['7000.00', '3000.00', '1095.00']);
  });
});

describe('个人所得税: the annual table', () => {
  it.each([
    ['0', '0.00'], ['-100', '0.00'], ['1', '0.03'], ['2300', '69.00'], ['36000', '1080.00'], ['36000.01', '1080.00'],
    ['37125', '1192.50'], ['144000', '11880.00'], ['148500', '12780.00'], ['300000', '43080.00'], ['420000', '73080.00'],
    ['660000', '145080.00'], ['960000', '250080.00'], ['1000000', '268080.00'],
  ])('cumulative taxable %s → tax %s', (taxable, tax) => {
    expect(s(cumulativeTax(d(taxable)))).toBe(tax);
  });

  it('the quick deductions make the tax continuous at every bracket edge', () => {
    for (let i = 0; i < IIT_BRACKETS.length - 1; i++) {
      const edge = IIT_BRACKETS[i].upTo!;
      const below = edge.times(IIT_BRACKETS[i].rate).minus(IIT_BRACKETS[i].quickDeduction);
      const above = edge.times(IIT_BRACKETS[i + 1].rate).minus(IIT_BRACKETS[i + 1].quickDeduction);
      expect(s(above)).toBe(s(below));
    }
  });
});

describe('个人所得税: 累计预扣法 month by month', () => {
  it('a high earner crosses into the 10 % and 20 % brackets as the year goes on', () => {
    // Gross 50 000, contributions 7 875 a month, no special deductions. Monthly taxable 37 125.
    //   Jan: 37 125 × 10 % − 2 520 = 1 192.50
    //   Feb: 74 250 × 10 % − 2 520 = 4 905.00 − 1 192.50 = 3 712.50
    //   Mar: 111 375 × 10 % − 2 520 = 8 617.50 − 4 905.00 = 3 712.50
    //   Apr: 148 500 × 20 % − 16 920 = 12 780.00 − 8 617.50 = 4 162.50
    let ytd: YearToDate = EMPTY_YEAR;
    const taxes: string[] = [];
    for (let m = 0; m < 4; m++) {
      const t = computeIncomeTax(ytd, d(50000), d(7875), d(0));
      taxes.push(s(t.tax));
      ytd = { months: t.month, income: t.cumulativeIncome, contributions: t.cumulativeContributions, specialDeductions: t.cumulativeSpecialDeductions, taxWithheld: ytd.taxWithheld.plus(t.tax) };
    }
    expect(taxes).toEqual(['1192.50', '3712.50', '3712.50', '4162.50']);
    expect(s(ytd.taxWithheld)).toBe('12780.00');
  });

  it('withholds nothing (and refunds nothing) when a lower month brings the cumulative tax under what was withheld', () => {
    // Jan: 30 000 − 5 000 = 25 000 → 750. Feb: +1 000 → 31 000 − 10 000 = 21 000 → 630 < 750 → 0.
    const jan = computeIncomeTax(EMPTY_YEAR, d(30000), d(0), d(0));
    const feb = computeIncomeTax({ months: 1, income: d(30000), contributions: d(0), specialDeductions: d(0), taxWithheld: jan.tax }, d(1000), d(0), d(0));
    expect([s(jan.tax), s(feb.cumulativeTax), s(feb.tax)]).toEqual(['750.00', '630.00', '0.00']);
  });

  it('refuses a 13th payroll month in one tax year', () => {
    expect(() => computeIncomeTax({ ...EMPTY_YEAR, months: 12 }, d(1), d(0), d(0))).toThrow(expect.objectContaining({ field: 'period' }));
  });
});

describe('a whole payslip', () => {
  it('12 000 with 2 000 allowances inside the bases, 2 000 special deductions, two months', () => {
    const input = { salary: salary(10000, 2000), siDeclaredBase: d(12000), hfDeclaredBase: d(12000), policy: CITY, specialDeductions: d(2000), ytd: EMPTY_YEAR };
    const jan = computePayslip(input);
    // taxable 12 000 − 5 000 − 2 700 − 2 000 = 2 300 → 3 % = 69; net 12 000 − 2 700 − 69 = 9 231
    expect([jan.earnings.gross, jan.employee.total, jan.tax.cumulativeTaxable, jan.tax.tax, jan.net, jan.employerCost].map(s))
      .toEqual(['12000.00', '2700.00', '2300.00', '69.00', '9231.00', '16591.20']);
    const feb = computePayslip({ ...input, ytd: nextYearToDate(EMPTY_YEAR, jan, d(2000)) });
    // cumulative 24 000 − 10 000 − 5 400 − 4 000 = 4 600 → 138 − 69 = 69
    expect([feb.tax.month, feb.tax.cumulativeTaxable, feb.tax.cumulativeTax, feb.tax.tax].map(String)).toEqual(['2', '4600', '138', '69']);
  });

  it('net + contributions + tax add back to gross, whatever the figures', () => {
    for (const [base, allow, ot, abs] of [[3000, 0, 0, 0], [8700, 500, 12, 1], [25000, 3000, 3, 0], [60000, 0, 0, 2.5]]) {
      const p = computePayslip({
        salary: salary(base, allow, { overtime: { workday: d(ot), restDay: d(0), holiday: d(0) }, absenceDays: d(abs) }),
        siDeclaredBase: d(base), hfDeclaredBase: d(base), policy: CITY, specialDeductions: d(1000), ytd: EMPTY_YEAR,
      });
      expect(s(p.net.plus(p.employee.total).plus(p.tax.tax))).toBe(s(p.earnings.gross));
      expect(p.net.decimalPlaces()).toBeLessThanOrEqual(2);
    }
  });
});

describe('calendarKindsOf', () => {
  it('lists only the days the calendar sets against the week, with their kind', () => {
    const cal = workCalendar(new Map([['2026-12-01', 'holiday'], ['2026-12-02', 'rest'], ['2026-12-05', 'workday'], ['2026-12-06', 'rest'], ['2027-01-01', 'holiday']] as const));
    // Sunday the 6th marked rest is a rest day anyway; January is another period.
    expect(calendarKindsOf('2026-12', cal)).toEqual({ '2026-12-01': 'holiday', '2026-12-02': 'rest_day', '2026-12-05': 'workday' });
    expect(calendarKindsOf('2026-12', WEEKDAYS)).toEqual({});
  });

  it('sets a day against the employee\'s own week: for 单休 (Monday–Saturday) a 调休 Saturday is no change, a closed one is', () => {
    const cal = workCalendar(new Map([['2026-12-05', 'workday'], ['2026-12-12', 'rest'], ['2026-12-13', 'workday']] as const), [1, 2, 3, 4, 5, 6]);
    expect([cal.kindOf('2026-12-19'), cal.kindOf('2026-12-20')]).toEqual(['workday', 'rest_day']); // Saturday, Sunday
    // Sat 5 opened by 调休 is a working day by the week already; Sat 12 closed and Sun 13 opened are against it.
    expect(calendarKindsOf('2026-12', cal)).toEqual({ '2026-12-12': 'rest_day', '2026-12-13': 'workday' });
  });
});

describe('a 单休 week (Monday–Saturday)', () => {
  const sixDays = WEEKDAYS.withWeek([1, 2, 3, 4, 5, 6]);

  it('counts the Saturdays in the month and in a part month', () => {
    // January 2026: 22 weekdays + 5 Saturdays (3, 10, 17, 24, 31) = 27; hired Thu 15th: 12 + 3 = 15.
    expect(workdaysOf('2026-01', '2026-01-15', null, sixDays)).toEqual({ month: 27, employed: 15 });
  });

  it('splits leave spanning months by its working days, Saturdays included', () => {
    // Thu 29 Jan – Tue 3 Feb, 5 days: 29, 30, 31 Jan | 2, 3 Feb → 3 and 2 (Monday–Friday: 4 days, 2 and 2).
    const span = { from: '2026-01-29', to: '2026-02-03', days: d(5) };
    expect([s(leaveDaysIn('2026-01', [span], sixDays)), s(leaveDaysIn('2026-02', [span], sixDays))]).toEqual(['3.00', '2.00']);
  });
});
