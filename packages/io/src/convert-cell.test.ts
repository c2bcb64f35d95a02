import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FieldMeta, FieldType } from '@mosaic/meta';
import { CellError } from './cell.ts';
import { cellToInput, TitleRef } from './convert-cell.ts';
import { formatInZone, normaliseDayText, wallClockToInstant } from './datetime.ts';
import { addressToText, textToAddress } from './address-text.ts';
import { neutralise, unneutralise } from './formula-guard.ts';

const field = (type: FieldType, config: FieldMeta['config'] = {}): FieldMeta => ({
  id: 'f', objectId: 'o', apiName: 'x', columnName: 'c_x', type, label: { zh: '字段' }, required: false, unique: false, indexed: false,
  defaultValue: null, config, position: 1, system: false, readOnly: false, archived: false,
});
const tz = 'Asia/Shanghai';

describe('cellToInput', () => {
  const ok: [string, unknown, FieldMeta, unknown][] = [
    ['Excel number → decimal text', 1250.5, field('decimal'), '1250.5'],
    ['thousands separators and ¥', '¥ 1,234.50', field('money'), '1,234.50'], // the coercer reads "1,234.50",
    ['13% → 0.13', '13%', field('percent'), '0.13'],
    ['float noise in an integer column', 2.9999999999999996, field('integer'), '3'],
    ['是 → true', '是', field('boolean'), true],
    ['FALSE → false', 'FALSE', field('boolean'), false],
    ['1 → true', 1, field('boolean'), true],
    ['Excel date → day', new Date(Date.UTC(2026, 2, 1)), field('date'), '2026-03-01'],
    ['serial number → day', 46000, field('date'), '2025-12-09'],
    ['2026/3/1 → day', '2026/3/1', field('date'), '2026-03-01'],
    ['2026年3月1日 → day', '2026年3月1日', field('date'), '2026-03-01'],
    ['wall clock in Shanghai', '2026-11-20 08:30', field('datetime'), '2026-11-20T00:30:00.000Z'],
    ['explicit offset kept', '2026-11-20T08:30:00+08:00', field('datetime'), '2026-11-20T08:30:00+08:00'],
    ['multi-select split on 、and ，', '甲、乙，丙', field('multi_select'), ['甲', '乙', '丙']],
    ['uuid link kept', '0190E4A2-0000-7000-8000-000000000001', field('link'), '0190e4a2-0000-7000-8000-000000000001'],
    ['number as text', 13800138000, field('phone'), '13800138000'],
    ['export guard taken off', "'=1+2", field('text'), '=1+2'],
    ['ordinary apostrophe kept', "'quoted'", field('text'), "'quoted'"],
  ];
  it.each(ok)('%s', (_name, cell, f, expected) => {
    expect(cellToInput(cell as never, f, 'x', tz)).toEqual(expected);
  });

  it('leaves blank cells out and looks links up by title', () => {
    expect(cellToInput('  ', field('decimal'), 'x', tz)).toBeUndefined();
    expect(cellToInput(null, field('text'), 'x', tz)).toBeUndefined();
    expect(cellToInput('华为', field('link'), 'x', tz)).toEqual(new TitleRef('华为'));
  });

  it('refuses a spreadsheet error value, naming the field', () => {
    expect(() => cellToInput(new CellError('#DIV/0!'), field('decimal'), 'amount', tz)).toThrow('amount: the cell holds the spreadsheet error #DIV/0!');
  });
});

describe('dates and zones', () => {
  it('normalises day text and round-trips a wall clock through the zone', () => {
    expect(normaliseDayText('2026.3.1')).toBe('2026-03-01');
    expect(normaliseDayText('20260301')).toBe('2026-03-01');
    expect(normaliseDayText('next week')).toBe('next week');
    const at = wallClockToInstant(new Date(Date.UTC(2026, 6, 1, 9, 15, 0)), 'Europe/Berlin');
    expect(at.toISOString()).toBe('2026-07-01T07:15:00.000Z');
    expect(formatInZone(at, 'Europe/Berlin')).toBe('2026-07-01 09:15:00');
  });
});

describe('addresses', () => {
  it('writes and reads back region names', () => {
    const a = { province: '44', city: '4403', district: '440305', detail: '科技园路 1 号' };
    expect(addressToText(a)).toBe('广东省深圳市南山区 科技园路 1 号');
    expect(textToAddress(addressToText(a))).toEqual(a);
    expect(textToAddress('北京市朝阳区建国路')).toEqual({ province: '11', city: '1101', district: '110105', detail: '建国路' });
    expect(textToAddress('外国某地')).toEqual({ detail: '外国某地' });
  });
});

describe('formula guard', () => {
  it('prefixes formula triggers, not plain numbers', () => {
    expect(['=A1', '+1', '-1+1', '@x', '\tx', '\rx', '-5', '-5.25', 'a=b'].map(neutralise)).toEqual(["'=A1", '+1', "'-1+1", "'@x", "'\tx", "'\rx", '-5', '-5.25', 'a=b']);
  });

  it('import undoes export for any text that does not itself start with a guard', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      fc.pre(!/^'[=+\-@\t\r]/.test(s));
      expect(unneutralise(neutralise(s))).toBe(s);
      expect(/^[=+@\t\r]/.test(neutralise(s))).toBe(false);
    }));
  });
});
