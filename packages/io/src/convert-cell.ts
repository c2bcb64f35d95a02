import { isUuid, parseDecimal } from '@mosaic/kernel';
import { PROTECTED_FIELDS, invalid, type FieldMeta } from '@mosaic/meta';
import { CellError, isBlankCell, type CellValue } from './cell.ts';
import { excelSerialToDate, isoDay, normaliseDayText, parseWallClock, wallClockToInstant } from './datetime.ts';
import { textToAddress } from './address-text.ts';
import { unneutralise } from './formula-guard.ts';

/**
 * One spreadsheet cell → the API value the field's coercer accepts. This only
 * translates spreadsheet habits (Excel dates and serial numbers, "1,234.50",
 * "13%", 是/否, "2026/3/1", option labels, a customer's name instead of its
 * id); the field coercers still decide what is valid. Blank → undefined (the
 * field is left out, so defaults and "required" apply).
 */
export class TitleRef {
  constructor(readonly title: string) {}
}

export function cellToInput(cell: CellValue, field: FieldMeta, path: string, timeZone: string): unknown {
  if (isBlankCell(cell)) return undefined;
  if (cell instanceof CellError) throw invalid(path, `the cell holds the spreadsheet error ${cell.code}`);
  if (field.system || PROTECTED_FIELDS.has(field.apiName)) return cellText(cell); // the records service decides
  switch (field.type) {
    case 'integer':
    case 'decimal':
    case 'percent':
    case 'money':
      return numberInput(cell, field);
    case 'boolean':
      return booleanInput(cell);
    case 'date':
      if (cell instanceof Date) return isoDay(cell);
      if (typeof cell === 'number') return isoDay(excelSerialToDate(Math.floor(cell)));
      return typeof cell === 'string' ? normaliseDayText(cell) : cell;
    case 'datetime':
      return dateTimeInput(cell, timeZone);
    case 'multi_select':
      return typeof cell === 'string' ? cell.split(/[,，;；、\n]/).map((s) => s.trim()).filter(Boolean) : [cellText(cell)];
    case 'single_select':
      return cellText(cell).trim();
    case 'link':
    case 'user':
    case 'department': {
      const s = cellText(cell).trim();
      return isUuid(s) ? s.toLowerCase() : new TitleRef(s);
    }
    case 'address':
      return textToAddress(cellText(cell));
    case 'attachment':
      return cellText(cell).split(/[,，;；\s]+/).filter(Boolean);
    case 'image':
      return cellText(cell).trim();
    default:
      return typeof cell === 'string' ? unneutralise(cell) : cellText(cell);
  }
}

/** Any cell as text: numbers as JavaScript prints them, dates as shown in Excel. */
export function cellText(cell: CellValue): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return unneutralise(cell);
  if (cell instanceof Date) {
    const day = isoDay(cell);
    return cell.getTime() % 86_400_000 === 0 ? day : `${day} ${cell.toISOString().slice(11, 19)}`;
  }
  if (cell instanceof CellError) return cell.code;
  return String(cell);
}

function numberInput(cell: CellValue, field: FieldMeta): unknown {
  if (typeof cell === 'number') {
    // 2.9999999999999996 from a spreadsheet sum is 3 in an integer column.
    if (field.type === 'integer' && Math.abs(cell - Math.round(cell)) < 1e-9) return String(Math.round(cell));
    return String(cell);
  }
  if (typeof cell !== 'string') return cell;
  const s = unneutralise(cell).trim().replace(/^[¥￥$€£]\s*/, '').replace(/\s+/g, '');
  if (field.type === 'percent' && s.endsWith('%')) {
    const d = parseDecimal(s.slice(0, -1));
    return d ? d.div(100).toString() : s;
  }
  return s;
}

const TRUE_WORDS = new Set(['true', '1', '是', 'yes', 'y', '对', '√']);
const FALSE_WORDS = new Set(['false', '0', '否', 'no', 'n', '错', '×']);

function booleanInput(cell: CellValue): unknown {
  if (typeof cell === 'boolean') return cell;
  if (typeof cell === 'number' && (cell === 0 || cell === 1)) return cell === 1;
  const s = cellText(cell).trim().toLowerCase();
  if (TRUE_WORDS.has(s)) return true;
  if (FALSE_WORDS.has(s)) return false;
  return s;
}

function dateTimeInput(cell: CellValue, timeZone: string): unknown {
  if (cell instanceof Date) return wallClockToInstant(cell, timeZone).toISOString();
  if (typeof cell === 'number') return wallClockToInstant(excelSerialToDate(cell), timeZone).toISOString();
  if (typeof cell !== 'string') return cell;
  const wall = parseWallClock(cell);
  return wall ? wallClockToInstant(wall, timeZone).toISOString() : cell.trim();
}
