import { useMemo, useState } from 'react';
import { App, Button, type ButtonProps, Calendar, DatePicker, Form, Input, Modal, Radio, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useObjects } from '../../api/meta.ts';
import { deleteRecord, useRecordList, useSaveRecord } from '../../api/records.ts';
import type { RecordData } from '../../api/types.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, errorText } from '../../components/States.tsx';
import { showServerError } from '../../views/form/server-errors.ts';

type Kind = 'holiday' | 'rest' | 'workday';
const KINDS: readonly Kind[] = ['holiday', 'rest', 'workday'];
/** Closed days red (public holiday) or orange (调休 rest day); an opened weekend blue. */
const TAG_COLOR: Record<Kind, string> = { holiday: 'red', rest: 'orange', workday: 'blue' };
interface Entry { id: string; version?: number; day: string; name: string | null; kind: Kind }

const OBJECT = 'company_holiday';

/**
 * 设置 → 公司日历 (/settings/calendar?d=YYYY-MM&mode=year): the company's public
 * holidays and 调休 working days (modules/calendar, `company_holiday`) on a
 * month or year calendar; the administrator adds a day (click it, or 添加)
 * and removes one, through the records API — its errors land on the field they
 * name (a 调休 day on a weekday: 422 on 日期; a day already entered: 409).
 */
export default function CompanyCalendarPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const shown = /^\d{4}-\d{2}$/.test(params.get('d') ?? '') ? dayjs(`${params.get('d')}-01`) : dayjs().startOf('month');
  const mode = params.get('mode') === 'year' ? 'year' : 'month';
  const [editing, setEditing] = useState<{ day: Dayjs; entry?: Entry } | null>(null);
  // The whole year shown and two weeks either side: the year view counts per month, the month
  // view shows its neighbours' days too (元旦 in December's view). `version` for the delete's lock.
  const year = shown.year();
  const list = useRecordList(OBJECT, {
    filter: { and: [{ field: 'day', op: 'gte', value: `${year - 1}-12-15` }, { field: 'day', op: 'lte', value: `${year + 1}-01-15` }] },
    fields: ['day', 'name', 'kind', 'version'], sort: 'day', pageSize: 500, total: false,
  });
  const byDay = useMemo(() => new Map((list.data?.data ?? []).map((r) => [String(r.day), entryOf(r)])), [list.data]);
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;

  const go = (d: Dayjs, m: string) => setParams({ d: d.format('YYYY-MM'), ...(m === 'year' ? { mode: 'year' } : {}) }, { replace: true });
  const dayCell = (d: Dayjs) => {
    const e = byDay.get(d.format('YYYY-MM-DD'));
    if (!e) return null;
    return (
      <div data-testid={`cal-day-${e.day}`} data-kind={e.kind}>
        <Tag color={TAG_COLOR[e.kind]} style={{ marginInlineEnd: 0 }}>{t(`webpages.calendar.short.${e.kind}`)}</Tag>
        {e.name && <Typography.Text style={{ fontSize: 12, marginInlineStart: 4 }}>{e.name}</Typography.Text>}
      </div>
    );
  };
  const monthCell = (d: Dayjs) => {
    const prefix = d.format('YYYY-MM');
    const inMonth = [...byDay.values()].filter((e) => e.day.startsWith(prefix));
    if (!inMonth.length) return null;
    const holidays = inMonth.filter((e) => e.kind !== 'workday').length;
    return (
      <div data-testid={`cal-month-${prefix}`}>
        {t('webpages.calendar.monthCount', { holidays, workdays: inMonth.length - holidays })}
      </div>
    );
  };

  return (
    <div>
      <PageHeader title={t('webpages.calendar.title')} extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ day: shown })} data-testid="calendar-add">{t('webpages.calendar.add')}</Button>
      } />
      <Typography.Paragraph type="secondary">{t('webpages.calendar.hint')}</Typography.Paragraph>
      <div className="page-card" data-testid="company-calendar">
        <Calendar
          value={shown}
          mode={mode}
          onPanelChange={(d, m) => go(d, m)}
          onSelect={(d, info) => {
            if (info.source === 'date') setEditing({ day: d, entry: byDay.get(d.format('YYYY-MM-DD')) });
            else go(d, info.source === 'month' ? 'month' : mode); // a month picked in the year view opens it
          }}
          cellRender={(d, info) => (info.type === 'date' ? dayCell(d) : info.type === 'month' ? monthCell(d) : info.originNode)}
        />
      </div>
      {editing && <DayDialog day={editing.day} entry={editing.entry} taken={(d) => byDay.has(d)} onClose={() => setEditing(null)} />}
    </div>
  );
}

function entryOf(r: RecordData): Entry {
  return { id: r.id, version: r.version as number | undefined, day: String(r.day), name: (r.name as string | null) ?? null, kind: KINDS.includes(r.kind as Kind) ? (r.kind as Kind) : 'holiday' };
}

/** Add a day, or show the one entered with a remove button. */
function DayDialog({ day, entry, taken, onClose }: { day: Dayjs; entry?: Entry; taken: (day: string) => boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const objects = useObjects();
  const [form] = Form.useForm();
  const save = useSaveRecord(OBJECT);
  const [removing, setRemoving] = useState(false);
  const obj = objects.data?.find((o) => o.apiName === OBJECT);

  const submit = async (v: { day: Dayjs; name?: string; kind: Kind }) => {
    try {
      await save.mutateAsync({ values: { day: v.day.format('YYYY-MM-DD'), name: v.name?.trim() || null, kind: v.kind } });
      message.success(t('common.saved'));
      onClose();
    } catch (e) {
      if (obj && showServerError(form, obj, e, t)) return;
      message.error(errorText(e, t));
    }
  };
  const remove = async () => {
    if (!entry) return;
    setRemoving(true);
    try {
      await deleteRecord(OBJECT, entry.id, entry.version);
      await qc.invalidateQueries({ queryKey: ['records', OBJECT] });
      message.success(t('webpages.calendar.removed'));
      onClose();
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setRemoving(false);
    }
  };

  if (entry) {
    return (
      <Modal open title={entry.day} onCancel={onClose} data-testid="calendar-day-dialog" footer={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button danger loading={removing} onClick={() => void remove()} data-testid="calendar-remove">{t('webpages.calendar.remove')}</Button>
        </Space>
      }>
        <Tag color={TAG_COLOR[entry.kind]}>{t(`webpages.calendar.kind.${entry.kind}`)}</Tag> {entry.name}
      </Modal>
    );
  }
  return (
    <Modal open title={t('webpages.calendar.add')} onCancel={onClose} onOk={() => form.submit()} okButtonProps={{ loading: save.isPending, 'data-testid': 'calendar-save' } as ButtonProps}
      okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ day, kind: day.day() === 0 || day.day() === 6 ? 'workday' : 'holiday' }} onFinish={(v) => void submit(v)} name="company-holiday">
        <Form.Item name="day" label={t('webpages.calendar.day')} rules={[
          { required: true, message: t('webpages.calendar.pickDay') },
          // a day of the year on screen already entered (the server's unique index answers for other years: 409 on the field)
          { validator: (_, v: Dayjs | null) => (v && taken(v.format('YYYY-MM-DD')) ? Promise.reject(new Error(t('webpages.calendar.taken'))) : Promise.resolve()) },
        ]}>
          <DatePicker style={{ width: '100%' }} allowClear={false} />
        </Form.Item>
        <Form.Item name="name" label={t('webpages.calendar.name')}>
          <Input placeholder={t('webpages.calendar.namePlaceholder')} maxLength={100} />
        </Form.Item>
        <Form.Item name="kind" label={t('webpages.calendar.kindLabel')} rules={[{ required: true }]}>
          <Radio.Group optionType="button" options={KINDS.map((k) => ({ value: k, label: t(`webpages.calendar.kind.${k}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
