import type { FieldMeta, FieldType, ObjectMeta } from '@mosaic/meta';
import type { TPrintTemplateBody } from './template.schema.ts';

const HEADER_TYPES: FieldType[] = ['text', 'auto_number', 'link', 'date', 'datetime', 'single_select', 'multi_select', 'email', 'phone', 'url', 'integer', 'decimal', 'percent', 'boolean', 'lookup', 'address'];
const TOTAL_TYPES: FieldType[] = ['money', 'rollup'];
const COLUMN_SKIP: FieldType[] = ['child_table', 'attachment', 'image', 'rich_text', 'long_text'];
const PARTIES = ['customer', 'supplier', 'employee'];

/**
 * The template any object prints with when it has no template of its own,
 * built from its metadata: the title field as the number, the party (customer,
 * supplier or employee link) first, the other plain fields as the header, the
 * first child table with its columns, money and roll-up fields as totals with
 * the last in Chinese capitals (大写), long texts as footer lines.
 * Fields are listed whatever the reader's rights: printing leaves out, per
 * user, what they may not read (render-document.ts).
 */
export function genericTemplate(objects: Map<string, ObjectMeta>, obj: ObjectMeta): TPrintTemplateBody {
  const fields = obj.fields.filter((f) => !f.archived && !f.system);
  const title = fields.find((f) => f.apiName === obj.titleField);
  const isParty = (f: FieldMeta) => f.type === 'link' && PARTIES.includes(f.config.target ?? '');
  const headerFields = [
    ...(title ? [title] : []),
    ...fields.filter(isParty),
    ...fields.filter((f) => f !== title && !isParty(f) && HEADER_TYPES.includes(f.type)),
  ];
  const totals = fields.filter((f) => TOTAL_TYPES.includes(f.type));
  const tableField = fields.find((f) => f.type === 'child_table' && objects.has(f.config.target ?? ''));
  const grandTotal = totals[totals.length - 1];
  return {
    letterhead: true,
    title: obj.label.zh,
    header: headerFields.map((f) => ({ label: f.label.zh, value: `{{${f.apiName}${filterFor(f)}}}` })),
    headerColumns: 2,
    table: tableField ? tableOf(objects.get(tableField.config.target!)!, tableField.apiName) : undefined,
    totals: [
      ...totals.map((f) => ({ label: f.label.zh, value: `{{${f.apiName}|money}}` })),
      ...(grandTotal ? [{ label: `${grandTotal.label.zh}（大写）`, value: `{{${grandTotal.apiName}|capital}}` }] : []),
    ],
    footer: fields.filter((f) => f.type === 'long_text').map((f) => `${f.label.zh}：{{${f.apiName}}}`),
    signatures: obj.isDocument ? ['制单', '审核'] : [],
    pageSize: 'A4',
    orientation: 'portrait',
  };
}

function tableOf(child: ObjectMeta, source: string): NonNullable<TPrintTemplateBody['table']> {
  // The row's title field (the item of an order line) leads, then the others in their order.
  const fields = child.fields.filter((f) => !f.archived && !f.system && !COLUMN_SKIP.includes(f.type))
    .sort((a, b) => Number(b.apiName === child.titleField) - Number(a.apiName === child.titleField));
  return {
    source,
    columns: [
      { label: '序号', value: '{{$row.no}}', width: 'auto', align: 'center' },
      ...fields.map((f, i) => ({
        label: f.label.zh,
        value: `{{${f.apiName}${filterFor(f)}}}`,
        width: i === 0 && f.type === 'link' ? ('*' as const) : ('auto' as const),
        align: isNumeric(f) ? ('right' as const) : ('left' as const),
      })),
    ],
  };
}

function isNumeric(f: FieldMeta): boolean {
  return ['integer', 'decimal', 'money', 'percent', 'rollup'].includes(f.type) || (f.type === 'formula' && f.config.resultType === 'number');
}

/** Amounts print with two decimals; quantities without trailing zeros; rates as percentages; dates in Chinese. */
function filterFor(f: FieldMeta): string {
  if (f.type === 'date' || f.type === 'datetime') return '|date';
  if (f.type === 'percent') return '|percent';
  if (f.type === 'money' || f.type === 'rollup') return '|money';
  if (f.type === 'formula' && f.config.resultType === 'number') return '|money';
  if (f.type === 'decimal') return '|number';
  return '';
}
