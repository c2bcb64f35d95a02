import { useState } from 'react';
import { App, Card, Empty, Select, Space, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useRecordList, useSaveRecord } from '../../api/records.ts';
import { useAggregate } from '../../api/views.ts';
import { behindOf, isMoneyColumn } from '../../api/meta.ts';
import type { FieldMeta, FilterNode, ObjectMeta, RecordData } from '../../api/types.ts';
import { labelOf, useLang } from '../../i18n/index.ts';
import { useCompanyCurrency } from '../../api/company-currency.ts';
import { formatMoneyByCurrency } from '../../lib/format.ts';
import { FieldValue } from '../../fields/FieldValue.tsx';
import { fieldPaths } from '../../fields/display-paths.ts';
import './kanban.css';

const PER_COLUMN = 50;
const NONE = '$none';

/** Single-select fields a board can be grouped by. */
export function kanbanFields(obj: ObjectMeta): FieldMeta[] {
  return obj.fields.filter((f) => f.type === 'single_select' && !f.archived && (f.config.options?.length ?? 0) > 0);
}

/**
 * The kanban view of any object with a single-select field: one column per
 * option (plus "none"), the count and money total of each column from the
 * aggregate API, and a card dragged to another column saves the new value.
 */
export default function KanbanBoard({ obj, objects, filter, sort, visible, groupBy, onGroupBy }: {
  obj: ObjectMeta;
  objects: ObjectMeta[];
  filter: FilterNode | null;
  sort: string | undefined;
  visible: string[];
  groupBy: string | null;
  onGroupBy: (field: string) => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const company = useCompanyCurrency();
  const candidates = kanbanFields(obj);
  const field = candidates.find((f) => f.apiName === groupBy) ?? candidates[0];
  const money = obj.fields.find((f) => isMoneyColumn(f) && visible.includes(f.apiName));
  const summary = useAggregate(obj.apiName, filter, ['count', ...(money ? [`sum:${money.apiName}@currency`] : [])], field ? [field.apiName] : [], Boolean(field));
  if (!field) return <Empty description={t('kanban.noField')} />;
  const columns = [...(field.config.options ?? []).map((o) => ({ value: o.value, label: labelOf(o.label, lang), color: o.color })), { value: NONE, label: t('kanban.none'), color: undefined }];
  const statsOf = (value: string) => summary.data?.data.find((r) => (r[field.apiName] ?? NONE) === value);

  return (
    <div>
      <Space style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{t('kanban.groupBy')}</Typography.Text>
        <Select value={field.apiName} onChange={onGroupBy} style={{ minWidth: 140 }} data-testid="kanban-group"
          options={candidates.map((f) => ({ value: f.apiName, label: labelOf(f.label, lang) }))} />
      </Space>
      <div className="kanban" data-testid="kanban">
        {columns.map((c) => {
          const stats = statsOf(c.value);
          return (
            <KanbanColumn key={c.value} obj={obj} objects={objects} field={field} value={c.value} label={c.label} filter={filter} sort={sort} visible={visible}
              count={Number(stats?.count ?? 0)} total={money && stats ? formatMoneyByCurrency(stats[`sum:${money.apiName}@currency`] as Record<string, string> | undefined, behindOf(money)?.defaultCurrency ?? company, lang, behindOf(money)?.scale ?? 2) : undefined} />
          );
        })}
      </div>
    </div>
  );
}

function KanbanColumn({ obj, objects, field, value, label, filter, sort, visible, count, total }: {
  obj: ObjectMeta; objects: ObjectMeta[]; field: FieldMeta; value: string; label: string; filter: FilterNode | null; sort: string | undefined;
  visible: string[]; count: number; total: string | undefined;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const save = useSaveRecord(obj.apiName);
  const [over, setOver] = useState(false);
  const mine: FilterNode = value === NONE ? { field: field.apiName, op: 'isNull', value: true } : { field: field.apiName, op: 'eq', value };
  const shown = visible.filter((n) => n !== obj.titleField && n !== field.apiName).slice(0, 3).map((n) => obj.fields.find((f) => f.apiName === n)!).filter(Boolean);
  const list = useRecordList(obj.apiName, {
    pageSize: PER_COLUMN, sort, filter: filter ? { and: [filter, mine] } : mine,
    fields: [...new Set([obj.titleField, 'version', field.apiName, ...fieldPaths(shown, objects)])], titles: true,
  });

  const drop = async (e: React.DragEvent) => {
    e.preventDefault();
    setOver(false);
    const card = JSON.parse(e.dataTransfer.getData('application/x-mosaic-card') || 'null') as { id: string; version: number; from: string } | null;
    if (!card || card.from === value) return;
    try {
      await save.mutateAsync({ id: card.id, values: { [field.apiName]: value === NONE ? null : value, version: card.version } });
      message.success(t('kanban.moved', { to: label }));
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  return (
    <section className={`kanban-column${over ? ' kanban-over' : ''}`} data-testid="kanban-column" data-value={value}
      onDragOver={(e) => { e.preventDefault(); setOver(true); }} onDragLeave={() => setOver(false)} onDrop={drop}>
      <header>
        <strong>{label}</strong> <Typography.Text type="secondary" data-testid="kanban-count">{count}</Typography.Text>
        {total && <div className="num kanban-total" data-testid="kanban-total">{total}</div>}
      </header>
      <div className="kanban-cards">
        {list.isPending ? <Spin /> : (list.data?.data ?? []).map((r: RecordData) => (
          <Card key={r.id} size="small" hoverable draggable data-testid="kanban-card"
            onDragStart={(e) => e.dataTransfer.setData('application/x-mosaic-card', JSON.stringify({ id: r.id, version: r.version, from: value }))}
            onClick={() => navigate(`/o/${obj.apiName}/${r.id}`)}>
            <div className="kanban-title">{String(r[obj.titleField] ?? r.$title ?? r.id)}</div>
            {shown.map((f) => <div key={f.apiName} className="kanban-line"><FieldValue field={f} record={r} objects={objects} /></div>)}
          </Card>
        ))}
        {count > PER_COLUMN && <Typography.Text type="secondary">{t('kanban.more', { count: count - PER_COLUMN })}</Typography.Text>}
      </div>
    </section>
  );
}
