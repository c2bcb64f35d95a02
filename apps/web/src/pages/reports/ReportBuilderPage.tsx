import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Col, Form, Input, Modal, Row, Segmented, Select, Space, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ApiError, get, patch, post } from '../../api/client.ts';
import { useObjects } from '../../api/meta.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { PageSkeleton } from '../../components/States.tsx';
import { labelOf, useLang } from '../../i18n/index.ts';
import { buildFilter, type Condition } from '../../lib/filter.ts';
import { FilterBar } from '../../views/list/FilterBar.tsx';
import { byCurrency, groupable, summable, type Dimension, type Measure, type ReportDefinition, type ReportResult, type SavedReport } from './reports-api.ts';
import { ReportView, type Display } from './ReportView.tsx';
import { ReportAlerts } from './ReportAlerts.tsx';
import { isParamNode, ParamBar, paramConditionsOf, paramDefinition, ParamDesigner, paramValues, type ParamCondition } from './ReportParams.tsx';

interface Draft {
  source?: string;
  rows: Dimension[];
  /** Column dimensions: with them the result is a pivot table (rows × columns). */
  columns: Dimension[];
  params: ParamCondition[];
  measures: Measure[];
  conditions: Condition[];
  display: Display;
}

/**
 * 报表 → new / edit: object, group-by fields (dates by month…), measures
 * (count, sum, average…), filters built from field types; the result previews
 * as you change it, as a table or a chart (ECharts, lazy), and saves as a report.
 */
export default function ReportBuilderPage() {
  const { id } = useParams();
  const saved = useQuery({ queryKey: ['reports', id], queryFn: ({ signal }) => get<SavedReport>(`/api/v1/reports/${id}`, signal), enabled: Boolean(id && id !== 'new') });
  if (id && id !== 'new' && saved.isPending) return <PageSkeleton />;
  return <Builder key={id ?? 'new'} report={saved.data} />;
}

function draftOf(r: SavedReport | undefined): Draft {
  const d = r?.definition;
  return { source: d?.source, rows: d?.rows ?? [], columns: d?.columns ?? [], params: paramConditionsOf(d?.filter), measures: d?.measures ?? [{ name: 'count', fn: 'count' }], conditions: conditionsOf(d?.filter), display: 'table' };
}

/** The filter bar's conditions back from a saved filter (what buildFilter made: one condition or an AND of them). */
function conditionsOf(filter: unknown): Condition[] {
  const parts = filter && typeof filter === 'object' && 'and' in filter ? (filter as { and: unknown[] }).and : filter ? [filter] : [];
  return parts.filter((p): p is Condition => !!p && typeof p === 'object' && 'field' in p && 'op' in p && !isParamNode(p)) as Condition[];
}

function Builder({ report }: { report: SavedReport | undefined }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const objects = useObjects();
  const [draft, setDraft] = useState<Draft>(() => draftOf(report));
  const [display, setDisplay] = useState<Display>(() => (report ? chartOf(report) : 'table'));
  const [saving, setSaving] = useState(false);
  const obj = objects.data?.find((o) => o.apiName === draft.source);
  const top = (objects.data ?? []).filter((o) => !o.isChild && !o.archived);
  const [paramInput, setParamInput] = useState<Record<string, unknown>>({});
  const definition = useMemo<ReportDefinition | null>(() => {
    if (!obj || !draft.measures.length) return null;
    const own = buildFilter(obj, draft.conditions, '');
    const { params, nodes } = paramDefinition(obj, draft.params);
    const parts = [...(own ? ('and' in own ? own.and : [own]) : []), ...nodes];
    const filter = parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { and: parts };
    return {
      source: obj.apiName, rows: draft.rows, measures: draft.measures, totals: draft.rows.length + draft.columns.length > 0,
      ...(draft.columns.length ? { columns: draft.columns } : {}), ...(params.length ? { params } : {}), ...(filter ? { filter } : {}),
    };
  }, [obj, draft]);
  const params = useMemo(() => paramValues(paramInput), [paramInput]);
  const run = useQuery({
    queryKey: ['report-run', definition, params],
    queryFn: () => post<ReportResult>('/api/v1/reports/run', { definition, params }),
    enabled: Boolean(definition),
    retry: false,
  });
  useEffect(() => { if (report) setDisplay(chartOf(report)); }, [report]);

  const set = (patchDraft: Partial<Draft>) => setDraft((d) => ({ ...d, ...patchDraft }));
  // A measure's column title, in the language it was made in: 计数, 求和·金额.
  const measureLabel = (fn: Measure['fn'], field?: string) =>
    fn === 'count' ? t('reports.fns.count') : `${t(`reports.fns.${fn}`)}·${labelOf(obj?.fields.find((f) => f.apiName === field)?.label, lang)}`;
  const measure = (fn: Measure['fn'], field: string | undefined, existing: Measure[] = []) => measureOf(fn, field, existing, measureLabel(fn, field));
  const fieldOptions = (pred: (f: NonNullable<typeof obj>['fields'][number]) => boolean) =>
    (obj?.fields ?? []).filter(pred).map((f) => ({ value: f.apiName, label: labelOf(f.label, lang) }));
  // what a report groups by: the groupable fields, and each money field's currency (金额币种)
  const dimensionOptions = [
    ...fieldOptions(groupable),
    ...(obj?.fields ?? []).filter(byCurrency).map((f) => ({ value: `${f.apiName}.currency`, label: t('reports.currencyOf', { name: labelOf(f.label, lang) }) })),
  ];

  const save = async (name: string, shared: boolean) => {
    if (!definition) return;
    // The chart kind and the filter bar's conditions ride along in the dashboard widget and the name's report; the server keeps the definition only.
    const body = { name, shared, definition };
    try {
      const r = report ? await patch<SavedReport>(`/api/v1/reports/${report.id}`, { ...body, version: report.version }) : await post<SavedReport>('/api/v1/reports', body);
      localStorage.setItem(`mosaic.report.chart.${r.id}`, display);
      void qc.invalidateQueries({ queryKey: ['reports'] });
      message.success(t('reports.saved'));
      setSaving(false);
      if (!report) navigate(`/reports/${r.id}`, { replace: true });
    } catch (e) {
      message.error((e as ApiError).message);
    }
  };

  return (
    <div>
      <PageHeader title={report?.name ?? t('reports.new')} extra={<Button type="primary" disabled={!definition} onClick={() => setSaving(true)} data-testid="save-report">{t('common.save')}</Button>} />
      <Row gutter={16}>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('reports.design')}>
            <Form layout="vertical">
              <Form.Item label={t('reports.object')}>
                <Select showSearch optionFilterProp="label" value={draft.source} data-testid="report-object"
                  onChange={(source) => setDraft({ source, rows: [], columns: [], params: [], measures: [{ name: 'count', fn: 'count', label: t('reports.fns.count') }], conditions: [], display })}
                  options={top.map((o) => ({ value: o.apiName, label: labelOf(o.label, lang) }))} />
              </Form.Item>
              {obj && (
                <>
                  <Form.Item label={t('reports.dimensions')}>
                    <Select mode="multiple" value={draft.rows.map((r) => r.field)} data-testid="report-dimensions" optionFilterProp="label"
                      onChange={(fields: string[]) => set({ rows: fields.map((f) => draft.rows.find((r) => r.field === f) ?? { field: f, ...(isDate(obj, f) ? { bucket: 'month' as const } : {}) }) })}
                      options={dimensionOptions} />
                  </Form.Item>
                  <Form.Item label={t('reportParams.columns')} tooltip={t('reportParams.columnsHint')}>
                    <Select mode="multiple" value={draft.columns.map((r) => r.field)} data-testid="report-columns" optionFilterProp="label"
                      onChange={(fields: string[]) => set({ columns: fields.slice(0, 4).map((f) => draft.columns.find((r) => r.field === f) ?? { field: f, ...(isDate(obj, f) ? { bucket: 'month' as const } : {}) }) })}
                      options={dimensionOptions.filter((o) => !draft.rows.some((r) => r.field === o.value))} />
                  </Form.Item>
                  {(['rows', 'columns'] as const).flatMap((side) => draft[side].filter((r) => r.bucket).map((r) => (
                    <Form.Item key={`${side}.${r.field}`} label={`${labelOf(obj.fields.find((f) => f.apiName === r.field)?.label, lang)} · ${t('reports.bucket')}`}>
                      <Segmented size="small" value={r.bucket} onChange={(b) => set({ [side]: draft[side].map((x) => (x.field === r.field ? { ...x, bucket: b as Dimension['bucket'] } : x)) })}
                        options={(['day', 'month', 'quarter', 'year'] as const).map((b) => ({ value: b, label: t(`reports.buckets.${b}`) }))} />
                    </Form.Item>
                  )))}
                  <Form.Item label={t('reports.measures')}>
                    <Space direction="vertical" style={{ width: '100%' }}>
                      {draft.measures.map((m, i) => (
                        <Space key={i} data-testid="report-measure">
                          <Select style={{ width: 100 }} value={m.fn} data-testid="measure-fn"
                            onChange={(fn) => set({ measures: draft.measures.map((x, j) => (j === i ? measure(fn, fn === 'count' ? undefined : x.field ?? fieldOptions(summable)[0]?.value) : x)) })}
                            options={(['count', 'sum', 'avg', 'min', 'max'] as const).map((fn) => ({ value: fn, label: t(`reports.fns.${fn}`) }))} />
                          {m.fn !== 'count' && (
                            <Select style={{ width: 140 }} value={m.field} data-testid="measure-field" onChange={(field) => set({ measures: draft.measures.map((x, j) => (j === i ? measure(x.fn, field) : x)) })}
                              options={fieldOptions(summable)} />
                          )}
                          {draft.measures.length > 1 && <MinusCircleOutlined onClick={() => set({ measures: draft.measures.filter((_, j) => j !== i) })} />}
                        </Space>
                      ))}
                      <Button size="small" icon={<PlusOutlined />} data-testid="add-measure"
                        onClick={() => set({ measures: [...draft.measures, measure('sum', fieldOptions(summable)[0]?.value, draft.measures)] })} disabled={!fieldOptions(summable).length}>
                        {t('reports.addMeasure')}
                      </Button>
                    </Space>
                  </Form.Item>
                  <Form.Item label={t('reports.filters')}>
                    <FilterBar obj={obj} conditions={draft.conditions} quick="" noQuick onChange={(p) => set({ conditions: p.conditions ?? draft.conditions })} />
                  </Form.Item>
                  <Form.Item label={t('reportParams.title')}>
                    <ParamDesigner obj={obj} value={draft.params} onChange={(v) => set({ params: v })} />
                  </Form.Item>
                </>
              )}
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={16}>
          <Card size="small" title={t('reports.preview')} extra={
            <Segmented value={display} onChange={(v) => setDisplay(v as Display)} data-testid="report-display"
              options={(['table', 'bar', 'line', 'pie', 'kpi'] as const).map((d) => ({ value: d, label: t(`reports.displays.${d}`) }))} />
          }>
            {obj && <ParamBar obj={obj} conds={draft.params} values={paramInput} onChange={setParamInput} />}
            {!definition ? <Typography.Text type="secondary">{t('reports.pickObject')}</Typography.Text>
              : run.isError ? <Alert type="error" showIcon message={(run.error as Error).message} />
              : run.data ? <ReportView result={run.data} display={display} obj={obj} />
              : <PageSkeleton rows={4} />}
          </Card>
        </Col>
      </Row>
      {report && <ReportAlerts report={report} result={run.data} />}
      {saving && <SaveModal initial={report?.name ?? ''} onSave={save} onClose={() => setSaving(false)} />}
    </div>
  );
}

function SaveModal({ initial, onSave, onClose }: { initial: string; onSave: (name: string, shared: boolean) => Promise<void>; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string; shared: boolean }>();
  return (
    <Modal open title={t('reports.saveTitle')} onCancel={onClose} onOk={async () => { const v = await form.validateFields(); await onSave(v.name, v.shared); }} destroyOnHidden>
      <Form form={form} layout="vertical" name="save-report" initialValues={{ name: initial, shared: false }}>
        <Form.Item name="name" label={t('reports.name')} rules={[{ required: true, whitespace: true, message: t('errors.FIELD_REQUIRED') }]}><Input autoFocus /></Form.Item>
        <Form.Item name="shared" valuePropName="checked"><Checkbox>{t('views.shareWithAll')}</Checkbox></Form.Item>
      </Form>
    </Modal>
  );
}

function isDate(obj: { fields: { apiName: string; type: string }[] }, field: string): boolean {
  const t = obj.fields.find((f) => f.apiName === field)?.type;
  return t === 'date' || t === 'datetime';
}

function measureOf(fn: Measure['fn'], field: string | undefined, existing: Measure[] = [], label?: string): Measure {
  const base = fn === 'count' ? 'count' : `${fn}_${field ?? 'x'}`;
  let name = base.slice(0, 40);
  for (let i = 2; existing.some((m) => m.name === name); i++) name = `${base.slice(0, 36)}_${i}`;
  const labelled = label ? { label } : {};
  return fn === 'count' ? { name, fn, ...labelled } : { name, fn, field, ...labelled };
}

/** The chart kind a saved report was last shown as, in this browser. */
export function chartOf(r: { id: string }): Display {
  return (localStorage.getItem(`mosaic.report.chart.${r.id}`) as Display | null) ?? 'table';
}
