import { describe, expect, it } from 'vitest';
import { Decimal } from '@mosaic/kernel';
import { pdfText } from '../print-test-kit.ts';
import { formatCell, renderTablePdf } from './render-table.ts';
import { contentWidth } from './layout.ts';

// The generic table PDF other modules print statements and payslips with.
describe('renderTablePdf', () => {
  it('prints a statement over several pages: header row on each page, totals, 大写, letterhead', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => ({
      date: `2026-10-${String((i % 28) + 1).padStart(2, '0')}`, doc: `SI-2026-${String(i + 1).padStart(5, '0')}`,
      memo: i % 2 ? '销售发票' : '收款', amount: new Decimal(i).times('10.5').toFixed(2), lines: i + 1,
    }));
    const pdf = await renderTablePdf({
      title: '客户对账单', subtitle: '2026年10月', info: [{ label: '客户', value: '深圳市华强电子有限公司' }],
      letterhead: { name: '上海示例贸易有限公司', lines: ['上海市浦东新区张江路 88 号'] },
      columns: [
        { key: 'date', label: '日期', format: 'date' }, { key: 'doc', label: '单据号' }, { key: 'memo', label: '摘要', width: '*' },
        { key: 'lines', label: '行数', format: 'number' }, { key: 'amount', label: '金额', format: 'money' },
      ],
      rows,
      totals: [{ label: '期末余额', value: new Decimal('74970.00'), format: 'money' }, { label: '大写', value: '74970.00', format: 'capital' }],
      footer: ['如有疑问请于收到后七日内联系。'],
    });
    const text = await pdfText(pdf);
    const pages = Number(/共 (\d+) 页/.exec(text)?.[1]);
    expect(pages).toBeGreaterThan(2);
    expect(text.match(/单据号/g)?.length).toBe(pages); // the header row repeats on every page
    for (const s of ['上海示例贸易有限公司', '客户对账单', '客户：深圳市华强电子有限公司', '2026年10月01日', 'SI-2026-00120', '1,249.50', '74,970.00', '柒万肆仟玖佰柒拾元整', '如有疑问请于收到后七日内联系。']) {
      expect(text, s).toContain(s);
    }
  });

  it('lays out A5 landscape pages with the letterhead rule across the content width', async () => {
    const pdf = await renderTablePdf({
      title: '工资条', pageSize: 'A5', orientation: 'landscape', letterhead: { name: '上海示例贸易有限公司', lines: [] },
      columns: [{ key: 'name', label: '姓名' }, { key: 'net', label: '实发', format: 'money' }], rows: [{ name: '王小明', net: '8765.40' }],
    });
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/MediaBox \[0 0 595\.2\d* 419\.5\d*\]/); // A5, turned
    expect(await pdfText(pdf)).toContain('王小明 8,765.40');
    expect(contentWidth('A5', 'landscape')).toBeCloseTo(515.28);
    expect(contentWidth('A4', 'portrait')).toBeCloseTo(515.28);
    expect(contentWidth('A4', 'landscape')).toBeCloseTo(761.89);
  });

  it('formats cells from strings, Decimals and money objects, never floats', () => {
    expect(formatCell(new Decimal('1234.5'), 'money')).toBe('1,234.50');
    expect(formatCell({ amount: '99.9', currency: 'CNY' }, 'money')).toBe('99.90');
    expect(formatCell('0.09', 'percent')).toBe('9%');
    expect(formatCell(12, 'number')).toBe('12');
    expect(formatCell(null, 'money')).toBe('');
    expect(() => formatCell(0.1 + 0.2, 'money')).toThrow(expect.objectContaining({ code: 'FIELD_INVALID', field: 'rows' }));
  });

  it('writes 大写 in the figures\' currency: a foreign one by name, the yuan (or none given) as before', async () => {
    expect(formatCell('113', 'capital', 'USD')).toBe('美元壹佰壹拾叁元整');
    expect(formatCell('113', 'capital', 'CNY')).toBe('壹佰壹拾叁元整');
    expect(formatCell('113', 'capital')).toBe('壹佰壹拾叁元整');
    const pdf = await renderTablePdf({ title: '对账单', currency: 'HKD', columns: [{ key: 'a', label: '金额', format: 'money' }], rows: [{ a: '8.5' }], totals: [{ label: '大写', value: '8.5', format: 'capital' }] });
    expect(await pdfText(pdf)).toContain('港币捌元伍角');
  });

  it('refuses no columns and more rows than a PDF should carry', async () => {
    await expect(renderTablePdf({ title: 'x', columns: [], rows: [] })).rejects.toMatchObject({ code: 'FIELD_REQUIRED', field: 'columns' });
    await expect(renderTablePdf({ title: 'x', columns: [{ key: 'a', label: 'a' }], rows: Array.from({ length: 10_001 }, () => ({ a: 1 })) })).rejects.toMatchObject({ code: 'FIELD_INVALID', field: 'rows' });
  });
});
