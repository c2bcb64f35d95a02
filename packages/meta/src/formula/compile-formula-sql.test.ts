import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { AppError } from '@mosaic/kernel';
import type { QueryScope } from '../query-scope.ts';
import { toSql } from '../test-scope.ts';
import { fixedCtx, scope } from './formula.fixtures.ts';
import { compileFormulaToSql, parseFormula } from './index.ts';

const sqlOf = (src: string, s: QueryScope = scope) => toSql(compileFormulaToSql(parseFormula(src), s, fixedCtx));

// The fake scope maps `amount` → "t"."c_amount", `customer.region` → "j1"."c_region"
// and SUM(lines.amount) → a subquery on o_line (test-scope.ts).
describe('compileFormulaToSql: exact SQL and parameters', () => {
  it.each([
    ["amount * 1.13", "((\"t\".\"c_amount\")::numeric * $1::numeric)", ["1.13"]],
    ["ROUND(qty * price, 2)", "round(((\"t\".\"c_qty\")::numeric * (\"t\".\"c_price\")::numeric), $1::int)", [2]],
    ["qty / 0", "((\"t\".\"c_qty\")::numeric / NULLIF($1::numeric, 0))", ["0"]],
    ["IF(customer.region = \"华南\", 1, 0)", "(CASE WHEN COALESCE(((\"j1\".\"c_region\")::text) = ($1::text), FALSE) THEN $2::numeric ELSE $3::numeric END)", ["华南","1","0"]],
    ["name & \"-\" & qty", "(COALESCE((COALESCE((\"t\".\"c_name\")::text, '') || COALESCE($1::text, '')), '') || COALESCE((trim_scale((\"t\".\"c_qty\")::numeric))::text, ''))", ["-"]],
    ["start + 30", "(CASE WHEN (((\"t\".\"c_start\")::date + $1::int)) BETWEEN '0001-01-01'::date AND '9999-12-31'::date THEN (((\"t\".\"c_start\")::date + $2::int))::date END)", [30,30]],
    ["end - start", "((\"t\".\"c_end\")::date - (\"t\".\"c_start\")::date)::numeric", []],
    ["SUM(lines.amount) * 1.13", "(COALESCE(((SELECT sum(c.\"c_amount\") FROM o_line c WHERE c.parent_id = t.id))::numeric, 0) * $1::numeric)", ["1.13"]],
    ["AVG(lines.amount)", "((SELECT avg(c.\"c_amount\") FROM o_line c WHERE c.parent_id = t.id))::numeric", []],
    ["COUNT(lines.sku)", "COALESCE(((SELECT count(c.\"c_sku\") FROM o_line c WHERE c.parent_id = t.id))::numeric, 0)", []],
    ["TEXT(amount, \"#,##0.00\")", "to_char(round((\"t\".\"c_amount\")::numeric, 2), $1::text)", ["FM999,999,999,999,999,999,999,999,999,999,990.00"]],
    ["TEXT(start, \"yyyy年mm月dd日\")", "to_char(((\"t\".\"c_start\")::date)::timestamp, $1::text)", ["YYYY\"年\"MM\"月\"DD\"日\""]],
    ["TODAY()", "$1::date", ["2026-11-24"]],
    ["$now", "$1::timestamptz", ["2026-11-23T18:30:00.000Z"]],
    ["owner_id = $user", "COALESCE(((\"t\".\"c_owner_id\")::text) = ($1::text), FALSE)", ["0190b5c8-7a4d-7cc3-9a4e-000000000001"]],
    ["vip and not flag_null", "(COALESCE((\"t\".\"c_vip\")::boolean, FALSE) AND COALESCE((NOT COALESCE((\"t\".\"c_flag_null\")::boolean, FALSE)), FALSE))", []],
    ["code < \"b\"", "COALESCE(((\"t\".\"c_code\")::text) COLLATE \"C\" < ($1::text), FALSE)", ["b"]],
    ["ISBLANK(note)", "((\"t\".\"c_note\")::text IS NULL OR (\"t\".\"c_note\")::text = '')", []],
    ["COALESCE(bonus, 0)", "COALESCE((\"t\".\"c_bonus\")::numeric, $1::numeric)", ["0"]],
    ["IN(customer.region, \"华南\", \"华北\")", "COALESCE((\"j1\".\"c_region\")::text IN ($1::text, $2::text), FALSE)", ["华南","华北"]],
    ["DATEDIF(start, TODAY(), \"M\")", "(CASE WHEN $1::date >= (\"t\".\"c_start\")::date THEN (((extract(year from $2::date) - extract(year from (\"t\".\"c_start\")::date)) * 12 + extract(month from $3::date) - extract(month from (\"t\".\"c_start\")::date) - (CASE WHEN extract(day from $4::date) < extract(day from (\"t\".\"c_start\")::date) THEN 1 ELSE 0 END)))::numeric END)", ["2026-11-24","2026-11-24","2026-11-24","2026-11-24"]],
    ["CONTAINS(tags, \"vip\")", "COALESCE($1::text = ANY((\"t\".\"c_tags\")::text[]), FALSE)", ["vip"]],
    ["YEAR(created_at)", "(extract(year from (((\"t\".\"c_created_at\")::timestamptz) AT TIME ZONE $1::text)::date))::numeric", ["Asia/Shanghai"]],
    ["SQRT(qty * 2)", "(SELECT (CASE WHEN \"_f1\".\"v0\" >= 0 THEN sqrt(\"_f1\".\"v0\") END) FROM (SELECT ((\"t\".\"c_qty\")::numeric * $1::numeric) AS \"v0\") AS \"_f1\")", ["2"]],
    ["LEFT(name, 2)", "(CASE WHEN $1::int >= 0 THEN left((\"t\".\"c_name\")::text, $2::int) END)", [2,2]],
    ["TRUE", "$1::boolean", [true]],
    ["NULL", "NULL", []],
    ["created_at & \"\"", "(COALESCE(to_char(((\"t\".\"c_created_at\")::timestamptz) AT TIME ZONE $1::text, 'YYYY-MM-DD HH24:MI:SS'), '') || COALESCE($2::text, ''))", ["Asia/Shanghai",""]],
    ["-qty", "(-(\"t\".\"c_qty\")::numeric)", []],
  ] as [string, string, unknown[]][])('%s', (src, text, parameters) => {
    const c = sqlOf(src);
    expect(c.sql).toBe(text);
    expect(c.parameters).toEqual(parameters);
  });
});

describe('compileFormulaToSql: what SQL cannot do', () => {
  const noChildren: QueryScope = { root: scope.root, ref: (path) => scope.ref(path) };

  it('refuses child-row aggregates when the scope cannot correlate them', () => {
    expect(() => sqlOf('SUM(lines.amount)', noChildren)).toThrow(expect.objectContaining({ code: 'FORMULA_TYPE', message: expect.stringContaining('SUM(lines.amount): aggregates over child rows are not supported in SQL here') }));
  });

  it('reports an unknown field with its position and code from the scope', () => {
    let e: AppError | undefined;
    try {
      sqlOf('qty + nope');
    } catch (x) {
      e = x as AppError;
    }
    expect(e).toMatchObject({ code: 'FIELD_UNKNOWN', field: 'nope', message: 'position 7: no field nope' });
  });

  it('refuses a formula that does not type-check', () => {
    expect(() => sqlOf('name * 2')).toThrow(expect.objectContaining({ code: 'FORMULA_TYPE' }));
  });

  it('takes column SQL only from the scope', () => {
    const seen: string[] = [];
    const spy: QueryScope = { root: scope.root, ref: (path) => (seen.push(path), { sql: sql.ref('x.y'), field: scope.ref(path).field }) };
    expect(sqlOf('IF(vip, qty, customer.credit)', spy).sql).toBe('(CASE WHEN ("x"."y")::boolean THEN ("x"."y")::numeric ELSE ("x"."y")::numeric END)');
    expect(seen).toEqual(['vip', 'qty', 'customer.credit']);
  });
});

describe('compileFormulaToSql: SQL grows linearly with nesting', () => {
  // Guards repeat their operands (POWER's appear five times); complex operands are bound once in a subquery.
  it.each([
    ['POWER', (inner: string) => `POWER(${inner}, 2)`],
    ['SQRT', (inner: string) => `SQRT(${inner} + 1)`],
    ['DATEADD', (inner: string) => `DATEADD(${inner}, 1)`],
    ['LEFT', (inner: string) => `LEFT("ab", LEN(${inner}))`],
    ['MOD', (inner: string) => `MOD(${inner}, qty)`],
  ])('%s nested 30 deep', (_name, wrap) => {
    const seed = _name === 'DATEADD' ? 'start' : _name === 'LEFT' ? 'name' : 'qty';
    let src = seed;
    for (let i = 0; i < 30; i++) src = wrap(src);
    const c = sqlOf(src);
    expect(c.sql.length).toBeLessThan(30 * 400);
    expect(c.parameters.length).toBeLessThan(30 * 6);
  });
});
