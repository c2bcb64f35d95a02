import { useMemo } from 'react';
import { Table, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { FieldMeta, ListReply, ObjectMeta, RecordData } from '../../api/types.ts';
import { useLang } from '../../i18n/index.ts';
import { sumDecimals } from '../../lib/decimal.ts';
import { formatMoney } from '../../lib/format.ts';
import { buildColumns } from './columns.tsx';
import type { ListState } from './useListState.ts';

/** The desktop list: server-side paging and sorting, row selection, page totals of money columns. */
export function RecordTable({ obj, objects, reply, loading, state, visible, selected, onSelect, onChange, actions }: {
  obj: ObjectMeta;
  objects: ObjectMeta[];
  reply: ListReply | undefined;
  loading: boolean;
  state: ListState;
  visible: string[];
  selected: RecordData[];
  onSelect: (rows: RecordData[]) => void;
  onChange: (patch: Partial<ListState>) => void;
  actions: (r: RecordData) => React.ReactNode;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const navigate = useNavigate();
  const columns = useMemo(() => [
    ...buildColumns(obj, objects, visible, state.sort, lang),
    { key: '$actions', title: t('common.actions'), width: 110, fixed: 'right' as const, render: (_: unknown, r: RecordData) => actions(r) },
  ], [obj, objects, visible, state.sort, lang, t, actions]);
  const moneyCols = visible.map((n) => obj.fields.find((f) => f.apiName === n)).filter((f): f is FieldMeta => f?.type === 'money');
  const rows = reply?.data ?? [];

  return (
    <Table<RecordData>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={rows}
      loading={loading}
      scroll={{ x: 'max-content' }}
      rowSelection={{ selectedRowKeys: selected.map((r) => r.id), onChange: (_, rs) => onSelect(rs), preserveSelectedRowKeys: true }}
      onRow={(r) => ({ onClick: () => navigate(`/o/${obj.apiName}/${r.id}`), style: { cursor: 'pointer' } })}
      pagination={{
        current: state.page,
        pageSize: state.pageSize,
        total: reply?.total,
        showSizeChanger: true,
        pageSizeOptions: [20, 50, 100, 200],
        showTotal: (total) => t('list.total', { total }),
      }}
      onChange={(p, _f, sorter, extra) => {
        if (extra.action === 'sort') {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          onChange({ sort: s?.order ? `${s.order === 'descend' ? '-' : ''}${String(s.columnKey)}` : undefined });
        } else if (extra.action === 'paginate') {
          onChange({ page: p.current ?? 1, pageSize: p.pageSize ?? state.pageSize });
        }
      }}
      summary={moneyCols.length && rows.length > 1 ? () => (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0} />
          {visible.map((n, i) => {
            const f = moneyCols.find((m) => m.apiName === n);
            const amounts = f ? rows.map((r) => r[n] as { amount?: string; currency?: string } | null) : [];
            const currencies = new Set(amounts.filter(Boolean).map((m) => m!.currency));
            return (
              <Table.Summary.Cell key={n} index={i + 1} align={f ? 'right' : undefined}>
                {f && currencies.size <= 1
                  ? <strong className="num">{formatMoney(sumDecimals(amounts.map((m) => m?.amount)), [...currencies][0] ?? 'CNY', lang, f.config.scale ?? 2)}</strong>
                  : i === 0 ? <Typography.Text type="secondary">{t('list.pageTotal')}</Typography.Text> : null}
              </Table.Summary.Cell>
            );
          })}
          <Table.Summary.Cell index={visible.length + 1} />
        </Table.Summary.Row>
      ) : undefined}
    />
  );
}
