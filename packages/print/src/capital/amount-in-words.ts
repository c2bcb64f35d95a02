import { AppError, Decimal, parseDecimal } from '@mosaic/kernel';
import { currencyName } from '../render/currency-sign.ts';

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const IN_SECTION = ['', '拾', '佰', '仟']; // units inside a group of four digits
const BIG_UNITS: [string, number][] = [['亿', 8], ['万', 4]]; // a unit and how many digits lie below it
/** 9,999万亿 — a larger amount is no amount a document carries. */
export const MAX_AMOUNT_IN_WORDS = new Decimal('9999999999999999.99');

/**
 * 大写金额: an amount in Chinese financial capitals, as written on cheques,
 * invoices and receipts (《支付结算办法》附件一, 正确填写票据和结算凭证的基本规定):
 *   1234.56 → 壹仟贰佰叁拾肆元伍角陆分    1005.04 → 壹仟零伍元零肆分
 *   100     → 壹佰元整                    10010   → 壹万零壹拾元整
 *   0.5     → 伍角                        -3      → 负叁元整
 * Rounded half-up to the fen. A zero between digits is written once (零), a
 * missing 角 before 分 is written 零; an amount ending at 元 ends with 整.
 * Takes a Decimal or a decimal string, never a float.
 *
 * An amount in another currency than the yuan is named before its words, as bank forms and contracts
 * in foreign currency write it (外币金额大写: 币种名称 + 大写数字, 元角分 then the currency's own units):
 *   amountInWords('113', 'USD') → 美元壹佰壹拾叁元整    amountInWords('8.5', 'HKD') → 港币捌元伍角
 * The yuan (CNY, or no currency given) prints as above, without a name.
 */
export function amountInWords(amount: Decimal | string, currency = 'CNY'): string {
  const words = yuanInWords(amount);
  return currency === 'CNY' ? words : currencyName(currency) + words;
}

function yuanInWords(amount: Decimal | string): string {
  // A float has already lost the fen (0.1 + 0.2); amounts arrive as strings from PostgreSQL NUMERIC.
  const parsed = typeof amount === 'number' ? null : parseDecimal(amount);
  if (!parsed) throw new AppError('FIELD_INVALID', `amount: "${String(amount).slice(0, 40)}" is not a number`, { field: 'amount' });
  const fen = parsed.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  if (fen.abs().gt(MAX_AMOUNT_IN_WORDS)) throw new AppError('FIELD_INVALID', `amount: ${fen.toFixed(2)} is too large to write in words`, { field: 'amount' });
  const [yuan, cents] = fen.abs().toFixed(2).split('.');
  const jiao = Number(cents[0]);
  const fenDigit = Number(cents[1]);
  const sign = fen.isNegative() && !fen.isZero() ? '负' : '';
  if (yuan === '0' && jiao === 0 && fenDigit === 0) return '零元整';

  let words = yuan === '0' ? '' : `${integerInWords(yuan)}元`;
  if (jiao === 0 && fenDigit === 0) return `${sign}${words}整`;
  if (jiao > 0) words += `${DIGITS[jiao]}角`;
  else if (words) words += '零'; // 壹仟零伍元零肆分: the empty 角 is read as 零
  if (fenDigit > 0) words += `${DIGITS[fenDigit]}分`;
  return sign + words;
}

/**
 * Whole yuan in words: the part above 亿 is itself a number up to 9999万 (so
 * 10^12 is 壹万亿 and 1,0001,0000,0000 is 壹万零壹亿), the rest falls to 万 and
 * then to a group of four. A lower part that does not fill its top digit is
 * joined with one 零: 壹亿零壹万, 壹万零壹拾.
 */
function integerInWords(digits: string, units: [string, number][] = BIG_UNITS): string {
  if (!units.length) return groupInWords(digits.padStart(4, '0'));
  const [[unit, width], ...smaller] = units;
  if (digits.length <= width) return integerInWords(digits, smaller);
  const high = digits.slice(0, digits.length - width);
  const low = digits.slice(-width);
  const words = integerInWords(high, smaller) + unit;
  if (/^0+$/.test(low)) return words;
  return words + (low[0] === '0' ? '零' : '') + integerInWords(low.replace(/^0+/, ''), smaller);
}

/** Four digits, "0406" → 肆佰零陆; leading zeros dropped, inner runs of zeros written once, trailing ones not at all. */
function groupInWords(group: string): string {
  let out = '';
  let zero = false;
  for (let i = 0; i < 4; i++) {
    const d = Number(group[i]);
    if (d === 0) {
      zero = out !== '';
      continue;
    }
    if (zero) out += '零';
    out += DIGITS[d] + IN_SECTION[3 - i];
    zero = false;
  }
  return out;
}
