import { Button, Form, Table, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { FieldMeta, ObjectMeta } from '../../api/types.ts';
import { labelOf, useLang } from '../../i18n/index.ts';
import { sumDecimals } from '../../lib/decimal.ts';
import { formatMoney, formatNumber } from '../../lib/format.ts';
import { FieldControl } from '../FieldControl.tsx';
import { fieldRules } from '../rules.ts';
import { editableFields } from '../values.ts';

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
  if (!child) return null;
  const cols = editableFields(child);
  const numeric = (f: FieldMeta) => ['integer', 'decimal', 'money'].includes(f.type);

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
              {
                key: '$remove', width: 48,
                render: (_: unknown, item: { name: number }) => <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('form.removeRow')} onClick={() => remove(item.name)} />,
              },
            ]}
            summary={() => rows.length > 1 && cols.some(numeric) ? (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}><Typography.Text type="secondary">{t('common.total')}</Typography.Text></Table.Summary.Cell>
                {cols.map((cf, i) => (
                  <Table.Summary.Cell key={cf.apiName} index={i + 1} align="right">
                    {cf.type === 'money'
                      ? formatMoney(sumDecimals(rows.map((r) => (r?.[cf.apiName] as { amount?: string } | null)?.amount)), (rows[0]?.[cf.apiName] as { currency?: string })?.currency, lang)
                      : numeric(cf) ? formatNumber(sumDecimals(rows.map((r) => r?.[cf.apiName])), lang) : null}
                  </Table.Summary.Cell>
                ))}
                <Table.Summary.Cell index={cols.length + 1} />
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
  for (const f of cols) if (f.type === 'money') row[f.apiName] = { amount: null, currency: f.config.defaultCurrency ?? 'CNY' };
  return row;
}
