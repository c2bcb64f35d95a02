import fc from 'fast-check';
import { customerFields, fields } from './filter.fixtures.ts';
import { OPERATORS } from './index.ts';

/**
 * fast-check generators of hostile filters for the fuzz test: random JSON,
 * random keys, operators and values (SQL payloads among them), and mostly
 * well-typed conditions so that a fair share gets past validation into SQL.
 */
export const PAYLOADS = [
  "'; drop table x; --", 'pg_sleep(10)', "1'); SELECT pg_sleep(10); --", '1 OR 1=1', '$1', '\\', "%'--", '") OR TRUE --',
  'name; DELETE FROM o_order', '*/ OR /*', 'E\'\\x00\'', '\u0000', '华南', 'this_month', 'today', '$user',
];
const UUIDS = ['0190b5c8-7a4d-7cc3-9a4e-000000000001', '0190B5C8-7A4D-7CC3-9A4E-0000000000AA'];
const PATHS = [...fields.map((f) => f.apiName), ...customerFields.map((f) => `customer.${f.apiName}`), 'nope', 'name.x', 'customer', 'Name'];

const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom(...PAYLOADS));
const scalar = fc.oneof(
  text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
  fc.constantFrom('2026-11-24', '2026-02-30', '2026-11-24T09:30:00+08:00', '1,234.5', '1e999', 'won', '赢单', 'vip', ...UUIDS),
);
const valueObject = fc.oneof(
  fc.record({ relative: fc.oneof(fc.constantFrom('today', 'this_month', 'last_30_days'), text) }),
  fc.record({ var: fc.oneof(fc.constantFrom('$user', '$department', '$departmentTree', '$company', '$today'), text) }),
);
const value = fc.oneof(scalar, valueObject, fc.array(fc.oneof(scalar, valueObject), { maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }));
const path = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PATHS) }, { weight: 1, arbitrary: text });
const op = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...OPERATORS) }, { weight: 1, arbitrary: text });

const list = <T>(a: fc.Arbitrary<T>) => fc.array(a, { maxLength: 4 });
const numberValue = fc.oneof({ weight: 3, arbitrary: fc.integer() }, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom('1,234.50', '-0.001', '1e3', '1e999'), text);
const dateValue = fc.oneof(fc.constantFrom('2026-11-24', '2026-02-29', '9999-12-31', 'this_month', 'last_7_days', 'someday'), valueObject, text);
const datetimeValue = fc.oneof(dateValue, fc.constantFrom('2026-11-24T09:30', '2026-11-24T09:30:00.123+08:00', '2026-11-24 23:59:59Z'), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
const uuidValue = fc.oneof(fc.constantFrom(...UUIDS), fc.uuid(), valueObject, text);
const optionValue = fc.oneof(fc.constantFrom('won', 'lost', '赢单', 'vip', 'new', '新客户'), text);
const typed = (paths: string[], ops: string[], v: fc.Arbitrary<unknown>) => fc.oneof(
  { weight: 4, arbitrary: fc.record({ field: fc.constantFrom(...paths), op: fc.constantFrom(...ops), value: fc.oneof({ weight: 3, arbitrary: v }, list(v)) }) },
  { weight: 1, arbitrary: fc.record({ field: fc.constantFrom(...paths), op: fc.constant('isNull'), value: fc.oneof(fc.boolean(), v) }) },
);
export const wellTyped = fc.oneof(
  typed(['name', 'customer.region', 'customer_region'], ['eq', 'ne', 'gt', 'in', 'nin', 'contains', 'notContains', 'startsWith', 'endsWith'], text),
  typed(['amount', 'qty', 'score', 'customer.credit'], ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'between'], numberValue),
  typed(['close_date'], ['eq', 'ne', 'gt', 'lte', 'in', 'between'], dateValue),
  typed(['created_at'], ['eq', 'ne', 'gte', 'lt', 'between'], datetimeValue),
  typed(['owner_id', 'department_id', 'customer', 'customer.owner_id'], ['eq', 'ne', 'in', 'nin'], uuidValue),
  typed(['stage'], ['eq', 'ne', 'in', 'nin'], optionValue),
  typed(['tags'], ['hasAny', 'hasAll'], optionValue),
  typed(['active'], ['eq', 'ne'], fc.boolean()),
);

const condition = fc.oneof(
  { weight: 6, arbitrary: wellTyped },
  { weight: 2, arbitrary: fc.record({ field: path, op, value }) },
  { weight: 1, arbitrary: fc.record({ field: path, op, value, extra: value }, { requiredKeys: ['field', 'op'] }) },
  { weight: 2, arbitrary: fc.dictionary(path, fc.oneof(value, fc.dictionary(op, value, { maxKeys: 3 })), { maxKeys: 3 }) },
);
export const tree = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    condition,
    fc.record({ and: fc.array(tie('node'), { maxLength: 4 }) }),
    fc.record({ or: fc.array(tie('node'), { maxLength: 4 }) }),
    fc.record({ not: tie('node') }),
    fc.dictionary(fc.constantFrom('and', 'or', 'not', 'field', 'op', 'value'), tie('node'), { maxKeys: 2 }),
  ),
})).node;

/** What the fuzz test feeds to parseFilter + compileFilter. */
export const hostileFilter = fc.oneof({ weight: 1, arbitrary: fc.jsonValue() }, { weight: 3, arbitrary: wellTyped }, { weight: 4, arbitrary: tree });
