import { Calendar, Empty, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useRecordList } from '../../api/records.ts';
import type { FieldMeta, FilterNode, ObjectMeta, RecordData } from '../../api/types.ts';
import { labelOf, useLang } from '../../i18n/index.ts';
import './kanban.css';

const PER_DAY = 3;

export function calendarFields(obj: ObjectMeta): FieldMeta[] {
  return obj.fields.filter((f) => (f.type === 'date' || f.type === 'datetime') && !f.archived && !f.system);
}

/** The month calendar of any object with a date field: each record on its day, the month in the URL. */
export default function CalendarView({ obj, filter, dateField, month, onChange }: {
  obj: ObjectMeta;
  filter: FilterNode | null;
  dateField: string | null;
  month: string | null;
  onChange: (patch: { date?: string; month?: string }) => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const candidates = calendarFields(obj);
  const field = candidates.find((f) => f.apiName === dateField) ?? candidates[0];
  const shown = month && /^\d{4}-\d{2}$/.test(month) ? dayjs(`${month}-01`) : dayjs().startOf('month');
  // The grid shows six weeks around the month: ask for those days.
  const from = shown.startOf('month').subtract(7, 'day');
  const to = shown.endOf('month').add(14, 'day');
  const range: FilterNode | null = field ? {
    field: field.apiName, op: 'between',
    value: field.type === 'date' ? [from.format('YYYY-MM-DD'), to.format('YYYY-MM-DD')] : [from.toISOString(), to.toISOString()],
  } : null;
  const list = useRecordList(obj.apiName, {
    pageSize: 500, sort: field?.apiName, filter: range && filter ? { and: [filter, range] } : range,
    fields: field ? [obj.titleField, field.apiName] : [], titles: true,
  }, Boolean(field));
  if (!field) return <Empty description={t('calendar.noField')} />;

  const byDay = new Map<string, RecordData[]>();
  for (const r of list.data?.data ?? []) {
    const v = r[field.apiName];
    if (typeof v !== 'string') continue;
    const day = dayjs(v).format('YYYY-MM-DD');
    byDay.set(day, [...(byDay.get(day) ?? []), r]);
  }
  const cell = (d: Dayjs) => {
    const items = byDay.get(d.format('YYYY-MM-DD')) ?? [];
    if (!items.length) return null;
    return (
      <ul className="calendar-cell" data-testid="calendar-day" data-day={d.format('YYYY-MM-DD')}>
        {items.slice(0, PER_DAY).map((r) => (
          <li key={r.id}><Link to={`/o/${obj.apiName}/${r.id}`} data-testid="calendar-item">{String(r[obj.titleField] ?? r.$title ?? r.id)}</Link></li>
        ))}
        {items.length > PER_DAY && <li><Typography.Text type="secondary">{t('calendar.more', { count: items.length - PER_DAY })}</Typography.Text></li>}
      </ul>
    );
  };

  return (
    <div data-testid="calendar">
      <Space style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary">{t('calendar.dateField')}</Typography.Text>
        <Select value={field.apiName} onChange={(v) => onChange({ date: v })} style={{ minWidth: 140 }} data-testid="calendar-field"
          options={candidates.map((f) => ({ value: f.apiName, label: labelOf(f.label, lang) }))} />
        {list.data && list.data.data.length >= 500 && <Typography.Text type="warning">{t('calendar.truncated')}</Typography.Text>}
      </Space>
      <Calendar value={shown} cellRender={(d, info) => (info.type === 'date' ? cell(d) : null)}
        onPanelChange={(d) => onChange({ month: d.format('YYYY-MM') })} onSelect={(d, info) => info.source !== 'date' && onChange({ month: d.format('YYYY-MM') })} />
    </div>
  );
}
