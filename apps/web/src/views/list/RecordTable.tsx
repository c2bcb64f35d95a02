import { memo, useCallback, useMemo } from 'react';
import { Table, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { behindOf, isMoneyColumn } from '../../api/meta.ts';
import type { FieldMeta, ListReply, ObjectMeta, RecordData } from '../../api/types.ts';
import { useLang } from '../../i18n/index.ts';
import { useCompanyCurrency } from '../../api/company-currency.ts';
import { formatMoneyByCurrency } from '../../lib/format.ts';
import { buildColumns } from './columns.tsx';
import type { ListState } from './useListState.ts';
import { pagerTotal } from './pager.ts';

const VIRTUAL_FROM = 50;
/**
 * The spinner over the old rows shows only when an answer takes longer than this. Most pages come sooner: the
 * spinner then was mounted, animated and unmounted for nothing, its blur toggled over the whole table twice,
 * all on the main thread that must render the new rows (bench/web-list). aria-busy on the list (ListPage)
 * still says at once that the rows on screen are not yet those asked for.
 */
const SPIN_DELAY_MS = 400;

/** The desktop list: server-side paging and sorting, row selection, totals of money columns over all matches, virtual rows on long pages. */
export const RecordTable = memo(function RecordTable({ obj, objects, reply, total, loading, state, visible, selected, onSelect, onChange, actions, totals }: {
  obj: ObjectMeta;
  objects: ObjectMeta[];
  reply: ListReply | undefined;
  /** All matches (the aggregate's count); undefined while it is being counted, null when the count failed. */
  total: number | undefined | null;
  loading: boolean;
  state: ListState;
  visible: string[];
  selected: RecordData[];
  onSelect: (rows: RecordData[]) => void;
  onChange: (patch: Partial<ListState>) => void;
  actions: (r: RecordData) => React.ReactNode;
  /** Sums of the money columns over every matching record (the aggregate API), by field, then by currency. */
  totals?: Record<string, Record<string, string>>;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const company = useCompanyCurrency(); // a money field with no default currency of its own is totalled in it
  const navigate = useNavigate();
  const rows = reply?.data ?? [];
  // Long pages render only the rows in view (antd's virtual table); it needs fixed column widths.
  const virtual = rows.length > VIRTUAL_FROM;
  const columns = useMemo(() => [
    ...buildColumns(obj, objects, visible, state.sort, lang).map((c) => (virtual ? { ...c, width: c.key === obj.titleField ? 220 : 160 } : c)),
    { key: '$actions', title: t('common.actions'), width: 110, fixed: 'right' as const, render: (_: unknown, r: RecordData) => actions(r) },
  ], [obj, objects, visible, state.sort, lang, t, actions, virtual]);
  // Stable between renders of the same rows (loading on and off, the count arriving): the table re-derives its
  // selection column and row props from these.
  const rowSelection = useMemo(() => ({ selectedRowKeys: selected.map((r) => r.id), onChange: (_: unknown, rs: RecordData[]) => onSelect(rs), preserveSelectedRowKeys: true }), [selected, onSelect]);
  const onRow = useCallback((r: RecordData) => ({ onClick: () => navigate(`/o/${obj.apiName}/${r.id}`), style: { cursor: 'pointer' } }), [navigate, obj.apiName]);
  const moneyCols = visible.map((n) => obj.fields.find((f) => f.apiName === n)).filter(isMoneyColumn);
  const width = columns.reduce((w, c) => w + (typeof c.width === 'number' ? c.width : 160), 48);

  return (
    <Table<RecordData>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={rows}
      loading={{ spinning: loading, delay: SPIN_DELAY_MS }}
      virtual={virtual}
      scroll={virtual ? { x: width, y: 600 } : { x: 'max-content' }}
      rowSelection={rowSelection}
      onRow={onRow}
      pagination={{
        current: state.page,
        pageSize: state.pageSize,
        total: pagerTotal(total, reply, state),
        showSizeChanger: true,
        pageSizeOptions: [20, 50, 100, 200],
        showTotal: (n) => (total === undefined ? <span data-testid="list-counting">{t('weblist.counting')}</span> : total === null ? null : t('list.total', { total: n })),
      }}
      onChange={(p, _f, sorter, extra) => {
        if (extra.action === 'sort') {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          onChange({ sort: s?.order ? `${s.order === 'descend' ? '-' : ''}${String(s.columnKey)}` : undefined });
        } else if (extra.action === 'paginate') {
          onChange({ page: p.current ?? 1, pageSize: p.pageSize ?? state.pageSize });
        }
      }}
      summary={totals && moneyCols.length && rows.length > 0 ? () => (
        <Table.Summary fixed={virtual ? 'bottom' : undefined}>
          <Table.Summary.Row data-testid="list-totals">
            <Table.Summary.Cell index={0} />
            {visible.map((n, i) => {
              const f = moneyCols.find((m) => m.apiName === n);
              return (
                <Table.Summary.Cell key={n} index={i + 1} align={f ? 'right' : undefined}>
                  {f
                    ? <strong className="num" data-total={n}>{formatMoneyByCurrency(totals[n], behindOf(f)?.defaultCurrency ?? company, lang, behindOf(f)?.scale ?? 2)}</strong>
                    : i === 0 ? <Typography.Text type="secondary">{t('list.allTotal', { total: total ?? rows.length })}</Typography.Text> : null}
                </Table.Summary.Cell>
              );
            })}
            <Table.Summary.Cell index={visible.length + 1} />
          </Table.Summary.Row>
        </Table.Summary>
      ) : undefined}
    />
  );
});
