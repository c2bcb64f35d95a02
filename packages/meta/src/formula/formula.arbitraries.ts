import fc from 'fast-check';

/**
 * Random well-typed formulas over the fixture fields (formula.fixtures.ts), as
 * source text, for the fuzz tests. Literals carry markers the SQL must never
 * contain: text literals start with "zq", numbers have the decimals .17 or .83
 * (checked as "n.17" in the SQL). Numbers stay small and powers integral so
 * both engines compute exactly (SQRT and fractional powers are rounded).
 */
const int = (min: number, max: number) => fc.integer({ min, max }).map(String);
const numLit = fc.oneof(
  int(-100, 100),
  fc.tuple(fc.integer({ min: -99, max: 99 }), fc.constantFrom('.17', '.83', '.5', '.25')).map(([i, d]) => (i < 0 ? `(${i}${d})` : `${i}${d}`)),
);
const textLit = fc.oneof(
  fc.constantFrom('zq', 'zq华南', 'zq a  b ', 'zqABC', 'zq"q"', 'zq😀x', 'zq,1'),
  fc.stringMatching(/^[a-z 华南深圳]{0,6}$/).map((s) => `zq${s}`),
).map((s) => `"${s.replace(/"/g, '""')}"`);
const numField = fc.constantFrom('qty', 'price', 'discount', 'amount', 'bonus', 'count_int', 'customer.credit', 'total');
const textField = fc.constantFrom('name', 'note', 'code', 'customer.region');
const dateField = fc.constantFrom('start', 'end', 'due');
const numFormat = fc.constantFrom('"0"', '"0.00"', '"#,##0.00"', '"0%"', '"0.0%"', '"#,##0"');
const dateFormat = fc.constantFrom('"yyyy-mm-dd"', '"yyyy年m月d日"', '"yyyy/mm"', '"yyyy-mm-dd hh:mm:ss"', '"hh:mm"');
const cmp = fc.constantFrom('=', '<>', '<', '<=', '>', '>=');
const call = (fn: string, ...args: fc.Arbitrary<string>[]) => fc.tuple(...args).map((a) => `${fn}(${a.join(', ')})`);
const bin = (a: fc.Arbitrary<string>, op: fc.Arbitrary<string>, b: fc.Arbitrary<string>) => fc.tuple(a, op, b).map(([x, o, y]) => `(${x} ${o} ${y})`);

export const formulas = fc.letrec<{ num: string; text: string; bool: string; date: string; datetime: string; any: string }>((tie) => {
  const num = tie('num');
  const text = tie('text');
  const bool = tie('bool');
  const date = tie('date');
  const datetime = tie('datetime');
  return {
    num: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      numLit, numField, fc.constantFrom('SUM(lines.amount)', 'AVG(lines.amount)', 'COUNT(lines.sku)', 'MAX(lines.amount)', 'COUNT(tags)'),
      bin(num, fc.constantFrom('+', '-', '*', '/'), num),
      num.map((x) => `-${x}`),
      call('ROUND', num, int(-2, 4)), call('ROUNDUP', num, int(-1, 3)), call('ROUNDDOWN', num, int(0, 3)),
      call('ABS', num), call('INT', num), call('CEILING', num), call('FLOOR', num, fc.constantFrom('1', '0.5', '5', '0')),
      call('MOD', num, num), call('ROUND', call('SQRT', num), fc.constant('6')), fc.tuple(int(-9, 9), int(0, 3)).map(([a, b]) => `POWER(${a}, ${b})`),
      fc.tuple(int(-9, 9), int(0, 3)).map(([a, b]) => `(${a}) ^ ${b}`),
      call('IF', bool, num, num), call('SUM', num, num, num), call('AVG', num, num), call('MIN', num, num), call('MAX', num, num),
      call('COUNT', num, text), call('COALESCE', num, num), call('LEN', text), call('FIND', text, text), call('VALUE', text),
      call('YEAR', date), call('MONTH', date), call('DAY', datetime), fc.tuple(date, fc.constantFrom('', ', 2', ', 3')).map(([d, t]) => `WEEKDAY(${d}${t})`),
      call('DATEDIF', date, date, fc.constantFrom('"D"', '"M"', '"Y"')), call('DAYS', date, date), bin(date, fc.constant('-'), date),
      fc.tuple(num, numLit, num, num).map(([x, a, r, d]) => `SWITCH(${x}, ${a}, ${r}, ${d})`),
    ),
    text: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      textLit, textField,
      bin(text, fc.constant('&'), fc.oneof(text, num, date, bool, datetime)),
      call('CONCATENATE', text, num, text), call('LEFT', text, int(-1, 4)), call('RIGHT', text, int(0, 4)), call('MID', text, int(0, 4), int(0, 3)),
      call('UPPER', text), call('LOWER', text), call('TRIM', text), call('SUBSTITUTE', text, text, text),
      call('TEXT', num, numFormat), call('TEXT', date, dateFormat), call('TEXT', datetime, dateFormat),
      call('IF', bool, text, text), call('IF', bool, text, num), call('COALESCE', text, text), call('MIN', text, text),
    ),
    bool: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('TRUE', 'FALSE', 'vip', 'flag_null'),
      bin(num, cmp, num), bin(text, cmp, text), bin(date, cmp, date), bin(datetime, cmp, date),
      bin(bool, fc.constantFrom('and', 'or', '&&'), bool), bool.map((b) => `NOT(${b})`), bool.map((b) => `not ${b}`),
      call('AND', bool, bool, bool), call('OR', bool, bool), call('ISBLANK', fc.oneof(num, text, date)), call('ISNUMBER', fc.oneof(num, text)),
      fc.tuple(num, numLit, numLit).map(([x, a, b]) => `IN(${x}, ${a}, ${b})`), call('CONTAINS', text, text),
      textLit.map((t) => `CONTAINS(tags, ${t})`), call('IF', bool, bool, bool), fc.constant('(owner_id = $user)'),
    ),
    date: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      dateField, fc.constantFrom('TODAY()', '$today'),
      fc.tuple(int(1990, 2040), int(-14, 14), int(-40, 40)).map(([y, m, d]) => `DATE(${y}, ${m}, ${d})`),
      bin(date, fc.constantFrom('+', '-'), fc.oneof(int(-400, 400), fc.constantFrom('bonus', 'count_int'))), call('DATEADD', date, fc.oneof(int(-30, 30), fc.constant('bonus')), fc.constantFrom('"D"', '"M"', '"Y"')),
      call('EDATE', date, int(-25, 25)), call('IF', bool, date, date), call('MAX', date, date), call('COALESCE', date, date),
    ),
    datetime: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('created_at', 'NOW()', '$now'), bin(datetime, fc.constantFrom('+', '-'), fc.constantFrom('1', '0.5', '0.25', '3', 'bonus', 'discount')),
      call('IF', bool, datetime, date),
    ),
    any: fc.oneof(num, text, bool, date, datetime),
  };
}).any;

/** Literal markers that must never show up in SQL text. */
export function literalMarkers(src: string): string[] {
  return [...src.matchAll(/"(zq[^"]*)"|(\d+\.(?:17|83))/g)].map((m) => m[1] ?? m[2]);
}
