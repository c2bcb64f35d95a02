import { Button, Form, Table, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { companyCurrency, useCompanyCurrency } from '../../api/company-currency.ts';
import { useTranslation } from 'react-i18next';
import type { FieldMeta, ObjectMeta } from '../../api/types.ts';
import { labelOf, useLang } from '../../i18n/index.ts';
import { mulDecimals, sumDecimals } from '../../lib/decimal.ts';
import { formatMoney, formatNumber } from '../../lib/format.ts';
import { FieldControl } from '../FieldControl.tsx';
import { fieldRules } from '../rules.ts';
import { editableFields, moneyTotalCurrency } from '../values.ts';

/**
 * Child rows (order lines) as an editable grid: add/remove rows, a cell per
 * field, totals of number columns. A server error on `lines.2.qty` lands on
 * row 3's qty cell (Form.List path ['lines', 2, 'qty']).
 */
export function ChildTableInput({ field, objects }: { field: FieldMeta; objects: ObjectMeta[] }) {
  const { t } = useTranslation();
  const lang = useLang();
  const child = objects.find((o) => o.apiName === field.config.target);
  const rows = (Form.useWatch(field.apiName) ?? []) as Record<string, unknown>[];
  const recordCurrency = Form.useWatch('currency') as unknown; // the document's own currency, when it has one
  const company = useCompanyCurrency();
  if (!child) return null;
  const cols = editableFields(child);
  const numeric = (f: FieldMeta) => ['integer', 'decimal', 'money'].includes(f.type);
  const rowTotals = rowTotalFields(child.fields, cols);
  const rowTotal = (r: Record<string, unknown> | undefined, t: RowTotal) => mulDecimals(amountOf(r?.[t.a]), amountOf(r?.[t.b]), t.scale);

  return (
    <Form.List name={field.apiName}>
      {(items, { add, remove }) => (
        <div className="child-grid" data-testid={`child-${field.apiName}`}>
          <Table
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={items}
            scroll={{ x: 'max-content' }}
            columns={[
              { key: '#', title: '#', width: 40, render: (_: unknown, __: unknown, i: number) => i + 1 },
              ...cols.map((cf) => ({
                key: cf.apiName,
                title: <span>{cf.required && <span style={{ color: '#ff4d4f' }}>* </span>}{labelOf(cf.label, lang)}</span>,
                width: cf.type === 'money' ? 220 : numeric(cf) ? 120 : 180,
                render: (_: unknown, item: { name: number }) => (
                  <Form.Item name={[item.name, cf.apiName]} rules={fieldRules(cf, t)} style={{ margin: 0 }}>
                    <FieldControl field={cf} objects={objects} />
                  </Form.Item>
                ),
              })),
              ...rowTotals.map((rt) => ({
                key: rt.field.apiName,
                title: labelOf(rt.field.label, lang),
                width: 120,
                align: 'right' as const,
                render: (_: unknown, item: { name: number }) => {
                  const v = rowTotal(rows[item.name], rt);
                  return <span className="num" data-testid={`row-total-${rt.field.apiName}`}>{v === null ? '—' : formatNumber(v, lang, rt.scale)}</span>;
                },
              })),
              {
                key: '$remove', width: 48,
                render: (_: unknown, item: { name: number }) => <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('form.removeRow')} onClick={() => remove(item.name)} />,
              },
            ]}
            summary={() => rows.length > 1 && (cols.some(numeric) || rowTotals.length > 0) ? (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}><Typography.Text type="secondary">{t('common.total')}</Typography.Text></Table.Summary.Cell>
                {cols.map((cf, i) => (
                  <Table.Summary.Cell key={cf.apiName} index={i + 1} align="right">
                    {cf.type === 'money'
                      ? formatMoney(sumDecimals(rows.map((r) => (r?.[cf.apiName] as { amount?: string } | null)?.amount)), moneyTotalCurrency(cf, rows, recordCurrency, company), lang, cf.config.scale ?? 2)
                      : numeric(cf) ? formatNumber(sumDecimals(rows.map((r) => r?.[cf.apiName])), lang) : null}
                  </Table.Summary.Cell>
                ))}
                {rowTotals.map((rt, i) => (
                  <Table.Summary.Cell key={rt.field.apiName} index={cols.length + 1 + i} align="right">
                    <strong className="num" data-testid={`grid-total-${rt.field.apiName}`}>{formatNumber(sumDecimals(rows.map((r) => rowTotal(r, rt))), lang, rt.scale)}</strong>
                  </Table.Summary.Cell>
                ))}
                <Table.Summary.Cell index={cols.length + 1 + rowTotals.length} />
              </Table.Summary.Row>
            ) : undefined}
          />
          <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add(newRow(cols))} style={{ marginTop: 8 }}>{t('form.addRow')}</Button>
        </div>
      )}
    </Form.List>
  );
}

function newRow(cols: FieldMeta[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const f of cols) if (f.type === 'money') row[f.apiName] = { amount: null, currency: f.config.defaultCurrency ?? companyCurrency() };
  return row;
}

interface RowTotal {
  field: FieldMeta;
  a: string;
  b: string;
  scale: number;
}

const PRODUCT_RE = /^\s*(?:ROUND\(\s*)?([a-z][a-z0-9_]*)\s*\*\s*([a-z][a-z0-9_]*)\s*(?:,\s*(\d)\s*\))?\s*$/;

/**
 * Row totals shown while typing: a child's formula field that multiplies two of
 * its number fields (qty * price, ROUND(qty * price, 2)) is worked out exactly
 * in the grid; the server computes the stored value on save. Other formulas
 * show after saving.
 */
function rowTotalFields(all: FieldMeta[], editable: FieldMeta[]): RowTotal[] {
  const isNum = (n: string) => editable.some((f) => f.apiName === n && ['integer', 'decimal', 'money'].includes(f.type)); // not percent: the form holds points, the formula a fraction
  return all.flatMap((f) => {
    if (f.type !== 'formula' || f.archived || !f.config.formula) return [];
    const m = PRODUCT_RE.exec(f.config.formula);
    if (!m || !isNum(m[1]) || !isNum(m[2]) || (f.config.formula.includes('ROUND') !== (m[3] !== undefined))) return [];
    return [{ field: f, a: m[1], b: m[2], scale: m[3] !== undefined ? Number(m[3]) : f.config.scale ?? 2 }];
  });
}

function amountOf(v: unknown): unknown {
  return v && typeof v === 'object' && 'amount' in v ? (v as { amount: unknown }).amount : v;
}
