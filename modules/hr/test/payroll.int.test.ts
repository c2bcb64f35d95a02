import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download } from '@mosaic/io/test-kit';
import { pdfText } from '@mosaic/print/test-kit';
import { roleWith, userWith } from '../../../apps/server/test/access-helpers.ts';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { make, q, submit, testCity, voucherOf } from './hr-fixture.ts';

// A month's payroll for five employees on real PostgreSQL, every payslip line
// checked against hand arithmetic, then February to check 累计预扣法 carries
// the year to date; the voucher posted on submit; each employee sees only
// their own payslip (list, get, count, export).
//
// City standard: SI base 7 000–35 000, HF base 2 700–35 000.
// Employee rates: pension 8 %, medical 2 %, unemployment 0.5 %, housing fund 12 %.
// Employer rates: pension 16 %, medical 9.5 %, unemployment 0.5 %, injury 0.2 %, maternity 0, housing fund 12 %.
let t: TestApp;
const emp: Record<string, string> = {};
const users: Record<string, { id: string; token: string }> = {};
let janRun: string;
let febRun: string;

const PASSWORD = 'Payroll-Test-Pw-2026';
async function selfServiceUser(name: string) {
  const roles = (await t.api('GET', '/api/v1/admin/roles')).body.data ?? (await t.api('GET', '/api/v1/admin/roles')).body;
  const role = roles.find((r: any) => r.code === 'employee_self');
  const email = `${name}-${t.tenant.tenantId.slice(0, 8)}@test.local`;
  const c = await t.api('POST', '/api/v1/admin/users', { email, name, password: PASSWORD, roleIds: [role.id], departmentId: t.tenant.departmentId, companyId: t.tenant.companyId });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  const login = await t.api('POST', '/api/v1/auth/login', { email, password: PASSWORD }, { token: null });
  return { id: c.body.id as string, token: login.body.token as string };
}

beforeAll(async () => {
  t = await createTestApp();
  const city = await testCity(t);
  users.zhang = await selfServiceUser('zhangsan');
  users.li = await selfServiceUser('lisi');
  const staff = [
    // no, name, category, base, allowances, declared SI/HF base, special deduction, user
    ['E001', '张三', 'admin', '10000', [['交通补贴', '500'], ['餐补', '1500']], '12000', '2000', users.zhang.id],
    ['E002', '李四', 'selling', '8700', [], '8700', '0', users.li.id],
    ['E003', '王五', 'admin', '3000', [], '3000', '0', null],
    ['E004', '赵六', 'admin', '45000', [['岗位津贴', '5000']], '50000', '3000', null],
    ['E005', '孙七', 'selling', '6000', [['通讯补贴', '300']], '6300', '1000', null],
  ] as const;
  for (const [no, name, category, base, allowances, declared, special, user] of staff) {
    emp[no] = (await make(t, 'employee', { employee_no: no, name, cost_category: category, hire_date: '2025-06-01', special_deduction: special, user })).id;
    await make(t, 'salary_structure', {
      employee: emp[no], base_salary: base, policy: city, si_base: declared, hf_base: declared,
      components: allowances.map(([n, amount]) => ({ name: n, amount })),
    });
  }
  // January attendance: 李四 4 h workday overtime, 8 h rest-day overtime, one day absent; 孙七 8 h on New Year's Day.
  await make(t, 'attendance', { employee: emp.E002, date: '2026-01-06', first_in: '09:00', last_out: '22:00', overtime_hours: '4', overtime_kind: 'workday' });
  await make(t, 'attendance', { employee: emp.E002, date: '2026-01-10', first_in: '09:00', last_out: '18:00', overtime_hours: '8', overtime_kind: 'rest_day' });
  await make(t, 'attendance', { employee: emp.E002, date: '2026-01-12', day_status: 'absent' });
  await make(t, 'attendance', { employee: emp.E005, date: '2026-01-01', first_in: '09:00', last_out: '18:00', overtime_hours: '8', overtime_kind: 'holiday' });
  // February's attendance must not leak into January (and vice versa).
  await make(t, 'attendance', { employee: emp.E003, date: '2026-02-02', day_status: 'absent' });
  // An unpaid day of 事假 in February for 王五 (no approval flow: approved on submit); paid leave costs nothing.
  const unpaid = (await make(t, 'leave_type', { name: '事假', accrual: 'none', paid: false })).id;
  const paid = (await make(t, 'leave_type', { name: '婚假', accrual: 'none', paid: true })).id;
  for (const [type, day] of [[unpaid, '2026-02-09'], [paid, '2026-02-10']]) {
    const lr = await make(t, 'leave_request', { employee: emp.E003, leave_type: type, from_date: day, to_date: day, days: '1' });
    expect((await submit(t, 'leave_request', lr.id)).status).toBe('approved');
  }
});

afterAll(async () => {
  await t?.close();
});

const LINE_FIELDS = ['base_salary', 'allowances', 'overtime_pay', 'absence_deduction', 'gross_pay', 'ee_pension', 'ee_medical', 'ee_unemployment', 'ee_housing_fund', 'ee_total',
  'er_pension', 'er_medical', 'er_unemployment', 'er_injury', 'er_maternity', 'er_housing_fund', 'er_total', 'tax_month', 'cum_taxable', 'cum_tax', 'iit', 'net_pay'] as const;
const slipsOf = async (run: string) => {
  const r = await t.api('GET', `/api/v1/records/payslip?filter=${q({ payroll_run: run })}&fields=employee,${LINE_FIELDS.join(',')}&pageSize=50`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return Object.fromEntries(Object.entries(emp).map(([no, id]) => [no, r.body.data.find((s: any) => s.employee === id)]));
};
const line = (s: Record<string, unknown>) => Object.fromEntries(LINE_FIELDS.map((f) => [f, s[f]]));

describe('payroll for January', () => {
  it('calculates every payslip line of five employees, 五险一金 and IIT included', async () => {
    janRun = (await make(t, 'payroll_run', { period: '2026-01', posting_date: '2026-01-31' })).id;
    const calc = await t.api('POST', `/api/v1/hr/payroll-runs/${janRun}/calculate`);
    expect(calc.status, JSON.stringify(calc.body)).toBe(200);
    // Σ gross 12 000 + 9 400 + 3 000 + 50 000 + 7 127.59; Σ net 9 231 + 7 369.22 + 1 905 + 41 101.25 + 5 636.59
    expect(calc.body).toEqual({ payslips: 5, grossTotal: '81527.59', netTotal: '65243.06' });
    const s = await slipsOf(janRun);

    // 张三: gross 10 000 + 500 + 1 500 = 12 000, bases 12 000.
    //   employee 960 + 240 + 60 + 1 440 = 2 700; employer 1 920 + 1 140 + 60 + 24 + 0 + 1 440 = 4 584
    //   taxable 12 000 − 5 000 − 2 700 − 2 000 (special) = 2 300 → 3 % = 69; net 12 000 − 2 700 − 69 = 9 231
    expect(line(s.E001)).toEqual({
      base_salary: '10000.00', allowances: '2000.00', overtime_pay: '0.00', absence_deduction: '0.00', gross_pay: '12000.00',
      ee_pension: '960.00', ee_medical: '240.00', ee_unemployment: '60.00', ee_housing_fund: '1440.00', ee_total: '2700.00',
      er_pension: '1920.00', er_medical: '1140.00', er_unemployment: '60.00', er_injury: '24.00', er_maternity: '0.00', er_housing_fund: '1440.00', er_total: '4584.00',
      tax_month: 1, cum_taxable: '2300.00', cum_tax: '69.00', iit: '69.00', net_pay: '9231.00',
    });
    // 李四: 8 700 ÷ 21.75 = 400 a day, 50 an hour. Overtime 4 × 50 × 1.5 + 8 × 50 × 2 = 300 + 800 = 1 100;
    //   absence 1 × 400. Gross 8 700 + 1 100 − 400 = 9 400. Bases 8 700:
    //   employee 696 + 174 + 43.50 + 1 044 = 1 957.50; employer 1 392 + 826.50 + 43.50 + 17.40 + 0 + 1 044 = 3 323.40
    //   taxable 9 400 − 5 000 − 1 957.50 = 2 442.50 → × 3 % = 73.275 → 73.28; net 9 400 − 1 957.50 − 73.28 = 7 369.22
    expect(line(s.E002)).toEqual({
      base_salary: '8700.00', allowances: '0.00', overtime_pay: '1100.00', absence_deduction: '400.00', gross_pay: '9400.00',
      ee_pension: '696.00', ee_medical: '174.00', ee_unemployment: '43.50', ee_housing_fund: '1044.00', ee_total: '1957.50',
      er_pension: '1392.00', er_medical: '826.50', er_unemployment: '43.50', er_injury: '17.40', er_maternity: '0.00', er_housing_fund: '1044.00', er_total: '3323.40',
      tax_month: 1, cum_taxable: '2442.50', cum_tax: '73.28', iit: '73.28', net_pay: '7369.22',
    });
    // 王五: declared 3 000 is under the SI floor → SI on 7 000; HF on 3 000 (over its 2 700 floor).
    //   employee 560 + 140 + 35 + 360 = 1 095; employer 1 120 + 665 + 35 + 14 + 0 + 360 = 2 194
    //   taxable 3 000 − 5 000 − 1 095 < 0 → 0; net 3 000 − 1 095 = 1 905. Feb's absence is not January's.
    expect(line(s.E003)).toEqual({
      base_salary: '3000.00', allowances: '0.00', overtime_pay: '0.00', absence_deduction: '0.00', gross_pay: '3000.00',
      ee_pension: '560.00', ee_medical: '140.00', ee_unemployment: '35.00', ee_housing_fund: '360.00', ee_total: '1095.00',
      er_pension: '1120.00', er_medical: '665.00', er_unemployment: '35.00', er_injury: '14.00', er_maternity: '0.00', er_housing_fund: '360.00', er_total: '2194.00',
      tax_month: 1, cum_taxable: '0.00', cum_tax: '0.00', iit: '0.00', net_pay: '1905.00',
    });
    // 赵六: gross 45 000 + 5 000 = 50 000; declared 50 000 is over both ceilings → 35 000.
    //   employee 2 800 + 700 + 175 + 4 200 = 7 875; employer 5 600 + 3 325 + 175 + 70 + 0 + 4 200 = 13 370
    //   taxable 50 000 − 5 000 − 7 875 − 3 000 = 34 125 → 3 % = 1 023.75; net 50 000 − 7 875 − 1 023.75 = 41 101.25
    expect(line(s.E004)).toEqual({
      base_salary: '45000.00', allowances: '5000.00', overtime_pay: '0.00', absence_deduction: '0.00', gross_pay: '50000.00',
      ee_pension: '2800.00', ee_medical: '700.00', ee_unemployment: '175.00', ee_housing_fund: '4200.00', ee_total: '7875.00',
      er_pension: '5600.00', er_medical: '3325.00', er_unemployment: '175.00', er_injury: '70.00', er_maternity: '0.00', er_housing_fund: '4200.00', er_total: '13370.00',
      tax_month: 1, cum_taxable: '34125.00', cum_tax: '1023.75', iit: '1023.75', net_pay: '41101.25',
    });
    // 孙七: holiday overtime 8 h × (6 000 ÷ 21.75 ÷ 8 = 34.4827…) × 3 = 827.586… → 827.59; gross 6 000 + 300 + 827.59 = 7 127.59.
    //   SI on the 7 000 floor (declared 6 300), HF on 6 300:
    //   employee 560 + 140 + 35 + 756 = 1 491; employer 1 120 + 665 + 35 + 14 + 0 + 756 = 2 590
    //   taxable 7 127.59 − 5 000 − 1 491 − 1 000 < 0 → 0; net 7 127.59 − 1 491 = 5 636.59
    expect(line(s.E005)).toEqual({
      base_salary: '6000.00', allowances: '300.00', overtime_pay: '827.59', absence_deduction: '0.00', gross_pay: '7127.59',
      ee_pension: '560.00', ee_medical: '140.00', ee_unemployment: '35.00', ee_housing_fund: '756.00', ee_total: '1491.00',
      er_pension: '1120.00', er_medical: '665.00', er_unemployment: '35.00', er_injury: '14.00', er_maternity: '0.00', er_housing_fund: '756.00', er_total: '2590.00',
      tax_month: 1, cum_taxable: '0.00', cum_tax: '0.00', iit: '0.00', net_pay: '5636.59',
    });
  });

  it('refuses to submit a run that was never calculated', async () => {
    const empty = await make(t, 'payroll_run', { period: '2026-03', posting_date: '2026-03-31' });
    const r = await t.api('POST', `/api/v1/records/payroll_run/${empty.id}/submit`, { version: 1 });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'CONFLICT', field: 'payslips' });
  });

  it('posts the payroll voucher on submit: expense by category, net pay per employee, 五险一金 and IIT payable', async () => {
    await submit(t, 'payroll_run', janRun);
    const v = await voucherOf(t, janRun);
    // 5602 管理费用 (张三, 王五, 赵六): gross 65 000 + employer 20 148 = 85 148
    // 5601 销售费用 (李四, 孙七): gross 16 527.59 + employer 5 913.40 = 22 440.99
    // 2241: employee 15 118.50 + employer 26 061.40 = 41 179.90; 222112 应交个人所得税 (never the group 2221): IIT 69 + 73.28 + 1 023.75 = 1 166.03
    expect(v.filter((l) => l.code !== '2211').map(({ code, debit, credit }) => ({ code, debit, credit }))).toEqual([
      { code: '222112', debit: '0.00', credit: '1166.03' },
      { code: '2241', debit: '0.00', credit: '41179.90' },
      { code: '5601', debit: '22440.99', credit: '0.00' },
      { code: '5602', debit: '85148.00', credit: '0.00' },
    ]);
    // 应付职工薪酬: one line per employee with the employee as the party, amounts = net pay.
    const payable = Object.fromEntries(v.filter((l) => l.code === '2211').map((l) => [l.party, l.credit]));
    expect(payable).toEqual({ [emp.E001]: '9231.00', [emp.E002]: '7369.22', [emp.E003]: '1905.00', [emp.E004]: '41101.25', [emp.E005]: '5636.59' });
    // Submitted with the run, the payslips can no longer be changed.
    const slip = (await t.api('GET', `/api/v1/records/payslip?filter=${q({ payroll_run: janRun, employee: emp.E001 })}`)).body.data[0];
    expect(slip.status).toBe('submitted');
    const edit = await t.api('PATCH', `/api/v1/records/payslip/${slip.id}`, { version: slip.version, net_pay: '99999' });
    expect(edit.status).toBe(409);
    // A second run for the same month would withhold the tax twice.
    const again = await make(t, 'payroll_run', { period: '2026-01', posting_date: '2026-01-31' });
    await t.api('POST', `/api/v1/hr/payroll-runs/${again.id}/calculate`);
    const dup = await t.api('POST', `/api/v1/records/payroll_run/${again.id}/submit`, { version: 2 });
    expect(dup.body.error).toMatchObject({ code: 'CONFLICT', field: 'period' });
  });
});

describe('payroll for February: 累计预扣法 carries January', () => {
  it('withholds on the cumulative income of two months', async () => {
    febRun = (await make(t, 'payroll_run', { period: '2026-02', posting_date: '2026-02-28' })).id;
    expect((await t.api('POST', `/api/v1/hr/payroll-runs/${febRun}/calculate`)).status).toBe(200);
    const s = await slipsOf(febRun);
    const tax = (no: string) => [s[no].tax_month, s[no].cum_taxable, s[no].cum_tax, s[no].iit, s[no].net_pay];
    // 张三: 24 000 − 10 000 − 5 400 − 4 000 = 4 600 → 138; 138 − 69 = 69; net 9 231
    expect(tax('E001')).toEqual([2, '4600.00', '138.00', '69.00', '9231.00']);
    // 李四: no overtime or absence in February, gross 8 700. 18 100 − 10 000 − 3 915 = 4 185 → 125.55; − 73.28 = 52.27
    //   net 8 700 − 1 957.50 − 52.27 = 6 690.23
    expect(tax('E002')).toEqual([2, '4185.00', '125.55', '52.27', '6690.23']);
    // 王五: one day absent and one day of unpaid leave in February (the paid day costs nothing):
    //   2 × 3 000 ÷ 21.75 = 275.862… → 275.86; gross 2 724.14; still no tax. net 2 724.14 − 1 095 = 1 629.14
    expect([s.E003.absence_deduction, ...tax('E003')]).toEqual(['275.86', 2, '0.00', '0.00', '0.00', '1629.14']);
    // 赵六: 100 000 − 10 000 − 15 750 − 6 000 = 68 250 → 10 %: 6 825 − 2 520 = 4 305; 4 305 − 1 023.75 = 3 281.25
    //   net 50 000 − 7 875 − 3 281.25 = 38 843.75
    expect(tax('E004')).toEqual([2, '68250.00', '4305.00', '3281.25', '38843.75']);
    // 孙七: 13 427.59 − 10 000 − 2 982 − 2 000 < 0 → 0; net 6 300 − 1 491 = 4 809
    expect(tax('E005')).toEqual([2, '0.00', '0.00', '0.00', '4809.00']);
    await submit(t, 'payroll_run', febRun);
  });

  it('refuses to cancel January behind a submitted February: its tax rests on January', async () => {
    const jan = (await t.api('GET', `/api/v1/records/payroll_run/${janRun}`)).body;
    const r = await t.api('POST', `/api/v1/records/payroll_run/${janRun}/cancel`, { version: jan.version, reason: '重算' });
    expect([r.status, r.body.error?.code, r.body.error?.field]).toEqual([409, 'CONFLICT', 'period']);
    expect((await t.api('GET', `/api/v1/records/payroll_run/${janRun}`)).body.status).toBe('submitted');
  });
});

describe('each employee sees only their own payslip', () => {
  it('through list, get, count and export', async () => {
    const asZhang = (url: string) => t.api('GET', url, undefined, { token: users.zhang.token });
    const list = await asZhang('/api/v1/records/payslip?fields=employee,period,net_pay&sort=period');
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body.data.map((s: any) => [s.employee, s.period, s.net_pay])).toEqual([[emp.E001, '2026-01', '9231.00'], [emp.E001, '2026-02', '9231.00']]);
    expect(list.body.total).toBe(2);

    const liSlip = (await t.api('GET', `/api/v1/records/payslip?filter=${q({ employee: emp.E002, period: '2026-01' })}`)).body.data[0];
    expect((await asZhang(`/api/v1/records/payslip/${liSlip.id}`)).status).toBe(404);
    expect((await t.api('GET', `/api/v1/records/payslip/${liSlip.id}`, undefined, { token: users.li.token })).status).toBe(200);
    // The draft second January run has a payslip for 张三 too: not his until submitted (it is not in the list above).
    // Filtering on someone else's employee finds nothing rather than leaking.
    expect((await asZhang(`/api/v1/records/payslip?filter=${q({ employee: emp.E004 })}`)).body.total).toBe(0);

    const count = await asZhang('/api/v1/records/payslip/aggregate?measures=count');
    expect(count.status, JSON.stringify(count.body)).toBe(200);
    expect(JSON.stringify(count.body)).toMatch(/"count":2\b|"count":"2"/);

    const csv = await download(t, '/api/v1/export/payslip?format=csv&fields=period,net_pay&sort=period', users.zhang.token);
    expect(csv.status).toBe(200);
    const rows = parse(csv.body, { bom: true }) as string[][];
    expect(rows.slice(1)).toEqual([['2026-01', '9231.00'], ['2026-02', '9231.00']]);

    // And they cannot create or change payslips, nor see payroll runs.
    const forged = await t.api('POST', '/api/v1/records/payslip', { payroll_run: janRun, employee: emp.E001, period: '2026-01' }, { token: users.zhang.token });
    // Without the create right the platform answers as if the object did not exist for that action.
    expect(forged.status, JSON.stringify(forged.body)).toBe(404);
    expect(forged.body.error.code).toBe('OBJECT_UNKNOWN');
    expect((await asZhang('/api/v1/records/payroll_run')).status).toBe(404); // an object one may not read does not exist for them
    const asZhangPost = (url: string, body: unknown) => t.api('POST', url, body, { token: users.zhang.token });
    const calc = await asZhangPost(`/api/v1/hr/payroll-runs/${febRun}/calculate`, {});
    expect([calc.status, calc.body.error?.code]).toEqual([404, 'OBJECT_UNKNOWN']);
    const accrue = await asZhangPost('/api/v1/hr/leave/accrue', { month: '2026-02' });
    expect(accrue.status).toBe(404);
  });
});

describe('the payslip PDF', () => {
  const pdfOf = async (id: string, token: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/records/payslip/${id}/print`, headers: { authorization: `Bearer ${token}` } });
    return { status: res.statusCode, body: res.rawPayload, headers: res.headers, json: () => JSON.parse(res.body) };
  };
  const slip = async (no: string, period: string) => (await t.api('GET', `/api/v1/records/payslip?filter=${q({ employee: emp[no], period, payroll_run: period === '2026-01' ? janRun : febRun })}`)).body.data[0];

  it('is printed by the employee for their own payslip, every line read back from the PDF', async () => {
    const own = await slip('E001', '2026-01');
    const r = await pdfOf(own.id, users.zhang.token);
    expect(r.status, r.status === 200 ? '' : r.body.toString()).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(decodeURIComponent(String(r.headers['content-disposition']))).toContain('工资条-张三.pdf');
    const text = (await pdfText(r.body)).replace(/\s+/g, ' ');
    // The January figures checked line by line above, now as the employee reads them.
    for (const part of ['工资条', '2026-01', '员工：张三', '工号：E001', '基本工资：10,000.00', '津贴补贴：2,000.00', '应发工资：12,000.00',
      '个人养老：960.00', '个人医疗：240.00', '个人失业：60.00', '个人公积金：1,440.00', '个人五险一金合计：2,700.00', '专项附加扣除：2,000.00',
      '累计应纳税所得额：2,300.00', '累计应纳税额：69.00', '本月个税：69.00', '实发工资： ¥9,231.00', '实发工资（大写）： 玖仟贰佰叁拾壹元整', '4,584.00', '第 1 个月']) {
      expect(text, part).toContain(part);
    }
  });

  it('is refused to another employee: 李四 gets a 404 for 张三\'s payslip, and the attempt prints nothing', async () => {
    const zhangs = await slip('E001', '2026-02');
    const r = await pdfOf(zhangs.id, users.li.token);
    expect([r.status, r.json().error.code]).toEqual([404, 'RECORD_NOT_FOUND']);
    // His own prints, with his own net pay (February: 6 690.23).
    const own = await pdfOf((await slip('E002', '2026-02')).id, users.li.token);
    expect(own.status).toBe(200);
    const text = await pdfText(own.body);
    expect(text).toContain('员工：李四');
    expect(text).toContain('6,690.23');
    expect(text).not.toContain('张三');
  });

  it('is refused (403) to a role that may read payslips but not print them', async () => {
    const viewer = await userWith(t, [await roleWith(t, 'payslip_viewer', [{ object: 'payslip', action: 'read', scope: 'all' }, { object: 'employee', action: 'read', scope: 'all' }])]);
    const token = viewer.token;
    const r = await pdfOf((await slip('E001', '2026-01')).id, token);
    expect([r.status, r.json().error.code]).toEqual([403, 'FORBIDDEN']);
  });
});
