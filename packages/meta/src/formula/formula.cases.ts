import { fixedCtx } from './formula.fixtures.ts';

/**
 * What every function and operator gives on the fixture record
 * (formula.fixtures.ts; now = 2026-11-24 02:30 in Asia/Shanghai), as
 * display() renders it: numbers bare, text quoted, instants with @.
 * evaluate-formula.test.ts checks the interpreter against this table and
 * formula.pg.int.test.ts checks PostgreSQL, running the compiled SQL.
 */
export const FORMULA_CASES: Record<string, [formula: string, value: string][]> = {
  'decimal arithmetic': [
    ['0.1 + 0.2', '0.3'], ['0.1 + 0.2 = 0.3', 'TRUE'], ['1e3 + .5', '1000.5'], ['qty * price', '3.5'],
    ['qty * price * (1 - discount)', '3.045'], ['10 / 4', '2.5'], ['1 / 3', '0.33333333333333333333'],
    ['2 / 3', '0.66666666666666666667'], ['100 / 7', '14.2857142857142857'], ['1 / 3 * 3', '0.99999999999999999999'],
    ['count_int / 2', '1.5'], ['-qty', '-10'], ['2 ^ 3 ^ 2', '512'], ['-2 ^ 2', '4'], ['2 ^ -2', '0.25'],
    ['50% * qty', '5'], ['amount - 1234.5', '0'],
  ],
  'empty values and division by zero': [
    ['1 / 0', 'NULL'], ['qty / (price - 0.35)', 'NULL'], ['bonus + 1', 'NULL'], ['-bonus', 'NULL'], ['0 ^ -1', 'NULL'],
    ['(-8) ^ 0.5', 'NULL'], ['bonus = 1', 'FALSE'], ['bonus <> 1', 'FALSE'], ['note <> "x"', 'FALSE'], ['NOT(note = "x")', 'TRUE'], ['note = ""', 'FALSE'],
    ['name & note', '"螺栓"'], ['due + 1', 'NULL'], ['flag_null', 'NULL'],
  ],
  aggregates: [
    ['SUM(1, 2, bonus)', '3'], ['SUM(bonus)', '0'], ['AVG(1, 2, bonus)', '1.5'], ['AVERAGE(1, 2)', '1.5'], ['AVG(bonus)', 'NULL'],
    ['COUNT(1, note, "a")', '2'], ['MIN(3, 1, bonus)', '1'], ['MAX(3, 1, 2)', '3'], ['MIN("b", "a")', '"a"'],
    ['MAX(start, end)', '"2026-03-01"'], ['MAX(note)', 'NULL'],
    ['SUM(lines.amount)', '6.52'], ['AVG(lines.amount)', '3.26'], ['COUNT(lines.amount)', '2'], ['MAX(lines.amount)', '3.5'],
    ['MIN(lines.amount)', '3.02'], ['COUNT(lines.sku)', '3'], ['SUM(lines.amount) * 1.13', '7.3676'], ['COUNT(tags)', '2'],
  ],
  rounding: [
    ['ROUND(2.675, 2)', '2.68'], ['ROUND(-2.5)', '-3'], ['ROUND(2.5)', '3'], ['ROUND(1234.5678, -2)', '1200'], ['ROUND(1.005, 2.9)', '1.01'],
    ['ROUNDUP(1.001, 2)', '1.01'], ['ROUNDUP(-1.21, 1)', '-1.3'], ['ROUNDUP(1234, -2)', '1300'], ['ROUNDUP(5, 2)', '5'],
    ['ROUNDDOWN(1.999, 2)', '1.99'], ['ROUNDDOWN(-1.999, 2)', '-1.99'], ['ROUND(bonus, 2)', 'NULL'], ['ROUND(1.5, bonus)', 'NULL'],
  ],
  'math functions': [
    ['ABS(-5.5)', '5.5'], ['INT(-1.5)', '-2'], ['INT(1.9)', '1'], ['CEILING(2.1)', '3'], ['CEILING(-2.1)', '-2'],
    ['CEILING(7, 5)', '10'], ['CEILING(7, 0)', '0'], ['CEILING(0.234, 0.05)', '0.25'], ['FLOOR(7, 5)', '5'], ['FLOOR(-2.1)', '-3'],
    ['SQRT(16)', '4'], ['SQRT(2.25)', '1.5'], ['SQRT(-1)', 'NULL'], ['MOD(-3, 2)', '1'], ['MOD(3, -2)', '-1'], ['MOD(7.5, 2)', '1.5'],
    ['MOD(7, 0)', 'NULL'], ['POWER(2, 10)', '1024'], ['POWER(1.1, 2)', '1.21'], ['VALUE("¥1,234.50")', '1234.5'],
    ['VALUE(" 12 ")', '12'], ['VALUE("abc")', 'NULL'], ['VALUE("1e5")', 'NULL'],
  ],
  logic: [
    ['IF(qty > 5, "大单", "小单")', '"大单"'], ['IF(bonus > 5, "x", "y")', '"y"'], ['IF(flag_null, 1, 2)', '2'],
    ['IF(qty > 5, 1)', '1'], ['IF(qty < 5, 1)', 'NULL'], ['IF(vip, qty, "无")', '"10"'], ['IF(vip, start, created_at)', '@2026-01-30T16:00:00.000Z'],
    ['IFS(qty > 100, "A", qty > 5, "B", TRUE, "C")', '"B"'], ['IFS(qty > 100, "A")', 'NULL'],
    ['SWITCH(customer.region, "华东", 1, "华南", 2, 0)', '2'], ['SWITCH(code, "X", 1, 0)', '0'], ['SWITCH(note, "X", 1)', 'NULL'],
    ['AND(vip, qty >= 10)', 'TRUE'], ['AND(vip, flag_null)', 'FALSE'], ['OR(FALSE, bonus = 1)', 'FALSE'], ['OR(flag_null, vip)', 'TRUE'],
    ['NOT(vip)', 'FALSE'], ['NOT(flag_null)', 'TRUE'], ['vip and not FALSE', 'TRUE'], ['vip && qty > 1 || FALSE', 'TRUE'],
    ['ISBLANK(note)', 'TRUE'], ['ISBLANK("")', 'TRUE'], ['ISBLANK(qty)', 'FALSE'], ['ISBLANK(tags)', 'FALSE'], ['ISBLANK(due)', 'TRUE'],
    ['ISNUMBER(qty)', 'TRUE'], ['ISNUMBER(note)', 'FALSE'], ['ISNUMBER("5")', 'FALSE'], ['ISNUMBER(bonus + 1)', 'FALSE'],
    ['IN(customer.region, "华南", "华北")', 'TRUE'], ['IN(note, "a")', 'FALSE'], ['IN(qty, 1, 10)', 'TRUE'],
    ['COALESCE(note, "无")', '"无"'], ['COALESCE(due, start)', '"2026-01-31"'], ['COALESCE(note, qty)', '"10"'], ['COALESCE(note, due)', 'NULL'],
  ],
  comparison: [
    ['code = "A-01"', 'TRUE'], ['"a" < "b"', 'TRUE'], ['"Z" < "a"', 'TRUE'], ['"b" < "啊"', 'TRUE'], ['"ab" < "abc"', 'TRUE'],
    ['qty > 9.99', 'TRUE'], ['qty = 10.000', 'TRUE'], ['amount >= customer.credit', 'FALSE'], ['vip = TRUE', 'TRUE'],
    ['start < end', 'TRUE'], ['start = "2026-01-31"', 'TRUE'], ['"2026-02-01" > start', 'TRUE'], ['created_at > start', 'TRUE'],
    ['created_at >= TODAY()', 'TRUE'], ['owner_id = $user', 'TRUE'], ['total > 3', 'TRUE'],
  ],
  text: [
    ['CONCATENATE(name, "-", qty)', '"螺栓-10"'], ['CONCAT(name, note, "!")', '"螺栓!"'], ['name & note & "!"', '"螺栓!"'],
    ['qty & " 件"', '"10 件"'], ['price & ""', '"0.35"'], ['discount * 100 & "%"', '"13%"'], ['vip & ""', '"TRUE"'],
    ['start & ""', '"2026-01-31"'], ['created_at & ""', '"2026-11-24 02:30:00"'], ['amount & ""', '"1234.5"'],
    ['LEFT("深圳市南山区", 3)', '"深圳市"'], ['LEFT(name)', '"螺"'], ['LEFT("abc", -1)', 'NULL'], ['LEFT("abc", 10)', '"abc"'],
    ['RIGHT("深圳市南山区", 3)', '"南山区"'], ['RIGHT("abc", 0)', '""'], ['RIGHT(qty, 1)', '"0"'],
    ['MID("深圳市南山区", 4, 2)', '"南山"'], ['MID("abc", 0, 1)', 'NULL'], ['MID("abc", 5, 1)', '""'],
    ['LEN("深圳")', '2'], ['LEN(note)', 'NULL'], ['LEN(qty)', '2'], ['LEN("😀a")', '2'],
    ['UPPER("abc")', '"ABC"'], ['LOWER("ABC")', '"abc"'], ['UPPER("ａbé")', '"ａBé"'], ['TRIM("  a   b ")', '"a b"'],
    ['SUBSTITUTE("有限公司", "有限", "")', '"公司"'], ['SUBSTITUTE("aaa", "", "x")', '"aaa"'], ['SUBSTITUTE(note, "a", "b")', 'NULL'],
    ['FIND("市", "深圳市")', '3'], ['FIND("x", "abc")', 'NULL'], ['FIND("", "abc")', '1'],
    ['CONTAINS(name, "螺")', 'TRUE'], ['CONTAINS(note, "a")', 'FALSE'], ['CONTAINS(tags, "vip")', 'TRUE'], ['CONTAINS(tags, "old")', 'FALSE'],
  ],
  'TEXT formats': [
    ['TEXT(1234.5, "#,##0.00")', '"1,234.50"'], ['TEXT(-1234567.891, "#,##0")', '"-1,234,568"'], ['TEXT(0.135, "0.0%")', '"13.5%"'],
    ['TEXT(0.5, "0%")', '"50%"'], ['TEXT(-0.001, "0.00")', '"0.00"'], ['TEXT(2.5, "0")', '"3"'], ['TEXT(qty, "0.00")', '"10.00"'],
    ['TEXT(start, "yyyy年mm月dd日")', '"2026年01月31日"'], ['TEXT(start, "yyyy/m/d")', '"2026/1/31"'], ['TEXT(start, "yyyy-mm")', '"2026-01"'],
    ['TEXT(created_at, "yyyy-mm-dd hh:mm:ss")', '"2026-11-24 02:30:00"'], ['TEXT(created_at, "hh:mm")', '"02:30"'], ['TEXT(bonus, "0")', 'NULL'],
  ],
  dates: [
    ['TODAY()', '"2026-11-24"'], ['$today', '"2026-11-24"'], ['NOW()', '@2026-11-23T18:30:00.000Z'], ['$now', '@2026-11-23T18:30:00.000Z'],
    ['DATE(2026, 2, 30)', '"2026-03-02"'], ['DATE(2026, 13, 1)', '"2027-01-01"'], ['DATE(2026, 3, 0)', '"2026-02-28"'],
    ['DATE(2024, 2, 29)', '"2024-02-29"'], ['DATE(0, 1, 1)', 'NULL'], ['DATE(9999, 12, 32)', 'NULL'],
    ['YEAR(start) * 100 + MONTH(start)', '202601'], ['DAY(end)', '1'], ['YEAR(created_at)', '2026'], ['DAY(created_at)', '24'],
    ['WEEKDAY("2026-11-23")', '2'], ['WEEKDAY("2026-11-22")', '1'], ['WEEKDAY("2026-11-23", 2)', '1'], ['WEEKDAY("2026-11-22", 2)', '7'],
    ['WEEKDAY("2026-11-22", 3)', '6'], ['DATEDIF(start, end, "D")', '29'], ['DATEDIF(start, end, "M")', '1'],
    ['DATEDIF("2020-02-29", "2026-02-28", "Y")', '5'], ['DATEDIF(end, start, "D")', 'NULL'], ['DATEDIF(start, TODAY(), "m")', '9'],
    ['EDATE(start, 1)', '"2026-02-28"'], ['EDATE("2024-02-29", 12)', '"2025-02-28"'], ['EDATE(start, -2)', '"2025-11-30"'],
    ['DATEADD(start, 3)', '"2026-02-03"'], ['DATEADD(start, 1, "M")', '"2026-02-28"'], ['DATEADD("2024-02-29", 1, "Y")', '"2025-02-28"'],
    ['DATEADD(start, 1.9)', '"2026-02-01"'], ['DATEADD(start, 99999999)', 'NULL'], ['DAYS(end, start)', '29'],
    ['end - start', '29'], ['start + 1', '"2026-02-01"'], ['1 + start', '"2026-02-01"'], ['start - 1', '"2026-01-30"'],
    ['TODAY() - start', '297'], ['created_at - DATE(2026, 11, 24)', '0.10416666666666666667'], ['created_at + 1', '@2026-11-24T18:30:00.000Z'],
    ['created_at - 0.5', '@2026-11-23T06:30:00.000Z'], ['created_at + bonus', 'NULL'], ['DATEADD(start, bonus)', 'NULL'],
    ['EDATE(start, bonus)', 'NULL'], ['DATE(2026, bonus, 1)', 'NULL'], ['LEFT(name, bonus)', 'NULL'], ['MID(name, 1, bonus)', 'NULL'],
  ],
  'context variables': [
    ['$user', `"${fixedCtx.userId}"`], ['$department', `"${fixedCtx.departmentId}"`], ['$company', `"${fixedCtx.companyId}"`],
  ],
};
