import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from '@mosaic/kernel';
import { amountInWords } from './amount-in-words.ts';

// Success cases: the examples and the rules of 《支付结算办法》 for zeros.
const CASES: [string, string][] = [
  ['1234.56', '壹仟贰佰叁拾肆元伍角陆分'],
  ['100.00', '壹佰元整'],
  ['1005.04', '壹仟零伍元零肆分'],
  ['0.5', '伍角'],
  ['100000000', '壹亿元整'],
  ['10010.00', '壹万零壹拾元整'],
  ['0', '零元整'],
  ['0.00', '零元整'],
  ['0.05', '伍分'],
  ['0.56', '伍角陆分'],
  ['1', '壹元整'],
  ['10', '壹拾元整'],
  ['11', '壹拾壹元整'],
  ['101', '壹佰零壹元整'],
  ['110', '壹佰壹拾元整'],
  ['1000.05', '壹仟元零伍分'],
  ['10.30', '壹拾元叁角'],
  ['1680.32', '壹仟陆佰捌拾元叁角贰分'],
  ['10000', '壹万元整'],
  ['10001', '壹万零壹元整'],
  ['100100', '壹拾万零壹佰元整'],
  ['1000000', '壹佰万元整'],
  ['10040000', '壹仟零肆万元整'],
  ['12304567', '壹仟贰佰叁拾万肆仟伍佰陆拾柒元整'],
  ['100000001', '壹亿零壹元整'],
  ['100010000', '壹亿零壹万元整'],
  ['104000000', '壹亿零肆佰万元整'],
  ['110000000', '壹亿壹仟万元整'],
  ['1000000000000', '壹万亿元整'],
  ['1000100000000', '壹万零壹亿元整'],
  ['10000000000000', '壹拾万亿元整'],
  ['9999999999999999.99', '玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'],
  ['-1234.56', '负壹仟贰佰叁拾肆元伍角陆分'],
  ['-0.5', '负伍角'],
  ['-100', '负壹佰元整'],
  ['1,234.5', '壹仟贰佰叁拾肆元伍角'],
  // Rounded half-up to the fen (四舍五入), never through a float.
  ['0.005', '壹分'],
  ['0.004', '零元整'],
  ['-0.004', '零元整'],
  ['2.675', '贰元陆角捌分'],
  ['19.995', '贰拾元整'],
];

describe('amountInWords', () => {
  it.each(CASES)('%s → %s', (amount, words) => {
    expect(amountInWords(amount)).toBe(words);
    expect(amountInWords(new Decimal(amount.replace(/,/g, '')))).toBe(words);
  });

  it.each([['abc'], [''], ['1.2.3'], ['NaN'], ['10000000000000000'], ['-10000000000000000']])('refuses %j with FIELD_INVALID', (bad) => {
    expect(() => amountInWords(bad)).toThrow(expect.objectContaining({ code: 'FIELD_INVALID' }));
  });

  // A foreign-currency amount names its currency first, as bank forms and contracts write it; the yuan stays unnamed.
  it.each([
    ['113', 'USD', '美元壹佰壹拾叁元整'], ['1234.56', 'EUR', '欧元壹仟贰佰叁拾肆元伍角陆分'], ['8.5', 'HKD', '港币捌元伍角'],
    ['3000', 'JPY', '日元叁仟元整'], ['0', 'GBP', '英镑零元整'], ['-3', 'USD', '美元负叁元整'], ['7', 'ABC', 'ABC柒元整'],
    ['113', 'CNY', '壹佰壹拾叁元整'],
  ])('%s %s → %s', (amount, currency, words) => {
    expect(amountInWords(amount, currency)).toBe(words);
  });

  it('refuses a float', () => {
    expect(() => amountInWords(0.1 as unknown as string)).toThrow(expect.objectContaining({ code: 'FIELD_INVALID' }));
  });

  // Exhaustive over every fen up to 1,000.00 and every yuan up to 100,000, random
  // amounts up to the maximum: the words read back as the amount, and the form rules hold.
  it('reads back as the same amount for every fen to 1,000.00 and every yuan to 100,000', () => {
    const failures: string[] = [];
    for (let fen = 0n; fen <= 100_000n; fen++) failures.push(...roundTripProblems(fen));
    for (let yuan = 1_000n; yuan <= 100_000n; yuan++) failures.push(...roundTripProblems(yuan * 100n + (yuan % 101n)));
    expect(failures.slice(0, 10)).toEqual([]);
  }, 60_000);

  it('reads back as the same amount for any amount up to 9999万亿', () => {
    fc.assert(fc.property(fc.bigInt({ min: -999999999999999999n, max: 999999999999999999n }), (fen) => roundTripProblems(fen).length === 0), { numRuns: 5000 });
  });
});

function roundTripProblems(fen: bigint): string[] {
  const amount = new Decimal(fen.toString()).div(100);
  const words = amountInWords(amount);
  const problems: string[] = [];
  if (wordsToFen(words) !== fen) problems.push(`${amount.toFixed(2)} → ${words} reads back as ${wordsToFen(words)} fen`);
  // One 零 at a time, never leading, never before a unit, 元 or 整 (零元整 alone is zero).
  if (fen !== 0n && /零零|^负?零|零[拾佰仟元万亿整角分]|^负?[拾佰仟万亿元]/.test(words)) problems.push(`${amount.toFixed(2)} → ${words} breaks the 零 rules`);
  if (words.endsWith('整') !== (fen % 100n === 0n)) problems.push(`${amount.toFixed(2)} → ${words}: 整 only after whole yuan`);
  return problems;
}

// An independent reader of 大写金额 (the oracle): digits times units, 万 and 亿 closing their parts.
const DIGIT: Record<string, bigint> = { 零: 0n, 壹: 1n, 贰: 2n, 叁: 3n, 肆: 4n, 伍: 5n, 陆: 6n, 柒: 7n, 捌: 8n, 玖: 9n };
const UNIT: Record<string, bigint> = { 拾: 10n, 佰: 100n, 仟: 1000n };
function wordsToFen(words: string): bigint {
  const negative = words.startsWith('负');
  let text = negative ? words.slice(1) : words;
  text = text.replace(/整$/, '');
  const [yuanPart, centPart] = text.includes('元') ? text.split('元') : ['', text];
  let total = 0n;
  let section = 0n;
  let num = 0n;
  for (const ch of yuanPart) {
    if (ch in DIGIT) num = DIGIT[ch];
    else if (ch in UNIT) { section += num * UNIT[ch]; num = 0n; }
    else if (ch === '万') { total += (section + num) * 10_000n; section = 0n; num = 0n; }
    else if (ch === '亿') { total = (total + section + num) * 100_000_000n; section = 0n; num = 0n; }
    else throw new Error(`unexpected ${ch} in ${words}`);
  }
  let fen = (total + section + num) * 100n;
  const jiao = /(.)角/.exec(centPart);
  const f = /(.)分/.exec(centPart);
  if (jiao) fen += DIGIT[jiao[1]] * 10n;
  if (f) fen += DIGIT[f[1]];
  return negative ? -fen : fen;
}
