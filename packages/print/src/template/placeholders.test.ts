import { describe, expect, it } from 'vitest';
import { applyFilters } from './filters.ts';
import { parseTemplateText, PlaceholderError } from './placeholders.ts';

describe('parseTemplateText', () => {
  it.each([
    ['plain text', ['plain text']],
    ['客户：{{customer}}', ['客户：', { raw: '{{customer}}', path: ['customer'], filters: [] }]],
    ['{{ customer.tax_no }}', [{ raw: '{{ customer.tax_no }}', path: ['customer', 'tax_no'], filters: [] }]],
    ['¥{{grand_total|money}} / {{grand_total | money | capital}}', [
      '¥', { raw: '{{grand_total|money}}', path: ['grand_total'], filters: ['money'] }, ' / ',
      { raw: '{{grand_total | money | capital}}', path: ['grand_total'], filters: ['money', 'capital'] },
    ]],
    ['{{$company.name}}', [{ raw: '{{$company.name}}', path: ['$company', 'name'], filters: [] }]],
  ])('%s', (text, parts) => {
    expect(parseTemplateText(text)).toEqual(parts);
  });

  it.each([
    ['{{customer', '"{{" is not closed'],
    ['a }} b', '"}}" without "{{"'],
    ['{{}}', 'a placeholder is a field name'],
    ['{{a.b.c}}', 'a placeholder is a field name'],
    ['{{Customer}}', 'a placeholder is a field name'],
    ['{{x; drop table}}', 'a placeholder is a field name'],
    ['{{constructor.$x}}', 'only the first part'],
    ['{{total|eval}}', 'unknown filter "eval"'],
  ])('refuses %s', (text, message) => {
    expect(() => parseTemplateText(text)).toThrow(PlaceholderError);
    expect(() => parseTemplateText(text)).toThrow(message);
  });
});

describe('filters', () => {
  it.each([
    ['1234.5', ['money'], '1,234.50'],
    ['-1234567.005', ['money'], '-1,234,567.01'],
    ['12.000000', ['number'], '12'],
    ['12345.250', ['number'], '12,345.25'],
    ['0.13', ['percent'], '13%'],
    ['0.065', ['percent'], '6.5%'],
    ['2026-11-23', ['date'], '2026年11月23日'],
    ['2026-11-23 14:05', ['date'], '2026年11月23日 14:05'],
    ['1234.56', ['capital'], '壹仟贰佰叁拾肆元伍角陆分'],
    ['1234.56', ['money', 'capital'], '壹仟贰佰叁拾肆元伍角陆分'],
    ['', ['money'], ''],
    ['深圳', ['money'], '深圳'], // a value a filter cannot read prints unchanged
  ] as const)('%s | %j → %s', (value, filters, out) => {
    expect(applyFilters(value, [...filters])).toBe(out);
  });
});
