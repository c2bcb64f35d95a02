import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, Col, DatePicker, Empty, Form, Input, Modal, Row, Select, Space, Tooltip } from 'antd';
import { CheckOutlined, DeleteOutlined, EditOutlined, PlusOutlined, SlidersOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, get, patch, post, qs } from '../../api/client.ts';
import { useObjects } from '../../api/meta.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, errorText, PageSkeleton } from '../../components/States.tsx';
import { OrgFilterChoice, OrgFilters, useDashFilters } from './DashboardFilters.tsx';
import { dashboardDataQuery, useDashboards, useReports, type ChartType, type Dashboard, type SavedReport, type Widget, type WidgetData } from './reports-api.ts';
import { ReportView } from './ReportView.tsx';
import { labelOf, useLang } from '../../i18n/index.ts';
import { WidgetParamsDialog } from './WidgetParamsDialog.tsx';

/**
 * 经营看板 → 仪表盘: pick or create a dashboard, add widgets from saved
 * reports. The data refreshes by itself: the server's event stream
 * (/dashboards/{id}/events) says when the version of its data changed.
 * Viewers narrow it by a date range and the company / department / owner
 * filters the dashboard offers; in edit mode (编辑看板) its owner picks those
 * filters and sets each widget's report parameters.
 */
export default function DashboardPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const dashboards = useDashboards();
  const [creating, setCreating] = useState(false);
  if (dashboards.isError) return <ErrorState error={dashboards.error} onRetry={() => void dashboards.refetch()} />;
  if (dashboards.isPending) return <PageSkeleton />;
  const current = dashboards.data.find((d) => d.id === id) ?? dashboards.data[0];
  return (
    <div>
      <PageHeader title={t('dashboards.title')} extra={
        <Space wrap>
          {current && <DateRangeFilter />}
          {dashboards.data.length > 0 && <Select value={current?.id} style={{ minWidth: 180 }} onChange={(v) => navigate(`/dashboards/${v}`)} data-testid="dashboard-picker"
            options={dashboards.data.map((d) => ({ value: d.id, label: d.name }))} />}
          <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-dashboard">{t('dashboards.new')}</Button>
        </Space>
      } />
      {current ? <DashboardGrid key={current.id} dash={current} /> : <div className="page-card"><Empty description={t('dashboards.empty')} /></div>}
      {creating && <NewDashboard onClose={(newId) => { setCreating(false); if (newId) navigate(`/dashboards/${newId}`); }} />}
    </div>
  );
}

/** The dashboard's global date range (?from=…&to=…): every widget with a date field is cut to it. */
function useDateRange(): [{ from?: string; to?: string }, (r: { from?: string; to?: string }) => void] {
  const [values, set] = useDashFilters();
  return [values.from && values.to ? { from: values.from, to: values.to } : {}, (r) => set({ from: r.from, to: r.to })];
}

function DateRangeFilter() {
  const { t } = useTranslation();
  const [range, setRange] = useDateRange();
  const value: [Dayjs, Dayjs] | null = range.from && range.to ? [dayjs(range.from), dayjs(range.to)] : null;
  const today = dayjs();
  const presets = [
    { label: t('dashFilters.thisMonth'), value: [today.startOf('month'), today.endOf('month')] as [Dayjs, Dayjs] },
    { label: t('dashFilters.lastMonth'), value: [today.subtract(1, 'month').startOf('month'), today.subtract(1, 'month').endOf('month')] as [Dayjs, Dayjs] },
    { label: t('dashFilters.thisYear'), value: [today.startOf('year'), today.endOf('year')] as [Dayjs, Dayjs] },
    { label: t('dashFilters.lastYear'), value: [today.subtract(1, 'year').startOf('year'), today.subtract(1, 'year').endOf('year')] as [Dayjs, Dayjs] },
  ];
  return (
    <span data-testid="dashboard-range">
      <DatePicker.RangePicker value={value} presets={presets} allowClear format="YYYY-MM-DD" placeholder={[t('dashFilters.from'), t('dashFilters.to')]}
        onChange={(v) => setRange(v?.[0] && v[1] ? { from: v[0].format('YYYY-MM-DD'), to: v[1].format('YYYY-MM-DD') } : {})} />
    </span>
  );
}

function DashboardGrid({ dash }: { dash: Dashboard }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const reports = useReports();
  const objects = useObjects();
  const [range] = useDateRange();
  const [filters] = useDashFilters();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState(false);
  const [paramsOf, setParamsOf] = useState<{ widget: Widget; report: SavedReport } | null>(null);
  const data = useQuery({
    ...dashboardDataQuery(dash.id, filters),
    placeholderData: (prev) => prev, // new filters keep the old figures on screen until the new ones arrive
  });
  // The figures are keyed by the dashboard's id (so boot/preload.ts can ask for them at once): a new version
  // of the dashboard (widgets or their parameters changed, here or by someone else) asks for them again.
  const shownVersion = useRef(dash.version);
  useEffect(() => {
    if (shownVersion.current === dash.version) return;
    shownVersion.current = dash.version;
    void qc.invalidateQueries({ queryKey: ['dashboard-data', dash.id] });
  }, [dash.id, dash.version, qc]);
  // A clicked figure → the records behind it, with the dashboard's date range, in the object's list.
  const drill = (widgetId: string) => async (cell: Record<string, unknown>, measure: string) => {
    try {
      const d = await get<{ object: string; filter: unknown }>(`/api/v1/dashboards/${dash.id}/widgets/${encodeURIComponent(widgetId)}/drill${qs({ ...filters, cell: JSON.stringify(cell), measure })}`);
      navigate(`/o/${d.object}${qs({ drill: JSON.stringify(d.filter) })}`);
    } catch (e) {
      message.error((e as ApiError).message);
    }
  };
  useEffect(() => {
    const es = new EventSource(`/api/v1/dashboards/${dash.id}/events`);
    let seen: string | null = null;
    es.addEventListener('version', (e) => {
      const v = (JSON.parse((e as MessageEvent).data) as { version: string }).version;
      if (seen !== null && v !== seen) void qc.invalidateQueries({ queryKey: ['dashboard-data', dash.id] });
      seen = v;
    });
    return () => es.close();
  }, [dash.id, dash.version, qc]); // the stream watches the objects of the widgets it started with: reconnect when they change

  // Rejects with the server's error: a dialog that saves (参数, 添加组件) stays open and shows it.
  const saveDashboard = async (change: { widgets?: Widget[]; globalFilters?: string[] }) => {
    await patch(`/api/v1/dashboards/${dash.id}`, { version: dash.version, ...change });
    await qc.invalidateQueries({ queryKey: ['dashboards'] });
  };
  const saveWidgets = (widgets: Widget[]) => saveDashboard({ widgets });
  // A one-click change with no dialog to hold the error: a toast says what went wrong.
  const saveOrToast = (change: { widgets?: Widget[]; globalFilters?: string[] }) => {
    saveDashboard(change).catch((e: unknown) => message.error(errorText(e, t)));
  };

  return (
    <div>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
        <OrgFilters dash={dash} />
        <Space wrap>
          {editing && <OrgFilterChoice dash={dash} onChange={(globalFilters) => saveOrToast({ globalFilters })} />}
          <Button icon={editing ? <CheckOutlined /> : <EditOutlined />} type={editing ? 'primary' : 'default'} onClick={() => setEditing(!editing)} data-testid="dashboard-edit">
            {t(editing ? 'dashOrgFilters.done' : 'dashOrgFilters.edit')}
          </Button>
        </Space>
      </Space>
      <Row gutter={[16, 16]}>
        {dash.widgets.map((w) => {
          const d = data.data?.widgets.find((x) => x.id === w.id);
          const report = reports.data?.find((r) => r.id === w.reportId);
          const obj = objects.data?.find((o) => o.apiName === (report?.definition.source ?? w.definition?.source));
          const title = (typeof w.title === 'string' ? w.title : labelOf(w.title, lang)) || report?.name;
          return (
            <Col key={w.id} xs={24} lg={Math.min(24, w.layout.w)}>
              <Card size="small" title={title} data-testid="widget" data-title={title}
                extra={<Space size={4}>
                  {range.from && d?.ok && !d.dateApplied && <Tooltip title={t('dashFilters.noDateHint')}><span style={{ color: "rgba(0,0,0,.45)", fontSize: 12 }} data-testid="widget-no-date">{t('dashFilters.noDate')}</span></Tooltip>}
                  {editing && report?.definition.params?.length ? (
                    <Button size="small" type="text" icon={<SlidersOutlined />} onClick={() => setParamsOf({ widget: w, report })} data-testid="widget-params-edit">{t('widgetParams.button')}</Button>
                  ) : null}
                  <Button size="small" type="text" icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => saveOrToast({ widgets: dash.widgets.filter((x) => x.id !== w.id) })} />
                </Space>}>
                {!d ? <PageSkeleton rows={3} /> : d.ok ? <ReportView result={d.result} display={w.chart} obj={obj} height={260} options={w.options} measure={w.measure} onDrill={drill(w.id)} /> : <Alert type="warning" showIcon message={d.error.message} />}
              </Card>
            </Col>
          );
        })}
        <Col xs={24} lg={12}>
          <Button block type="dashed" icon={<PlusOutlined />} style={{ height: 80 }} onClick={() => setAdding(true)} data-testid="add-widget">{t('dashboards.addWidget')}</Button>
        </Col>
      </Row>
      {paramsOf && (
        <WidgetParamsDialog report={paramsOf.report} obj={objects.data?.find((o) => o.apiName === paramsOf.report.definition.source)} value={paramsOf.widget.params ?? {}}
          onClose={() => setParamsOf(null)}
          onSave={(params) => saveWidgets(dash.widgets.map((x) => (x.id === paramsOf.widget.id ? { ...x, params } : x)))} />
      )}
      {adding && (
        <AddWidget reports={reports.data ?? []} onClose={() => setAdding(false)}
          onAdd={async (w) => {
            const y = Math.max(0, ...dash.widgets.map((x) => x.layout.y + x.layout.h));
            await saveWidgets([...dash.widgets, { ...w, id: `w${Date.now().toString(36)}`, layout: { x: 0, y, w: 12, h: 8 } }]);
            setAdding(false);
          }} />
      )}
    </div>
  );
}

/**
 * Every chart type the server accepts (packages/reporting CHART_TYPES), in the order offered; ReportView
 * draws each. A record over the server's type: one added there fails this typecheck until it is drawn here.
 */
const CHART_ORDER: Record<ChartType, true> = {
  bar: true, stacked_bar: true, line: true, area: true, pie: true, donut: true, funnel: true, gauge: true, scatter: true, map_china: true, kpi: true, table: true, pivot: true,
};
export const WIDGET_CHARTS = Object.keys(CHART_ORDER) as ChartType[];

function AddWidget({ reports, onAdd, onClose }: { reports: SavedReport[]; onAdd: (w: Omit<Widget, 'id' | 'layout'>) => Promise<void>; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reportId: string; chart: Widget['chart']; title?: string; measure?: string }>();
  const chart = Form.useWatch('chart', form);
  const reportId = Form.useWatch('reportId', form);
  // A KPI card or a gauge shows one figure: which of the report's measures.
  const measures = (reports.find((r) => r.id === reportId)?.definition.measures ?? [])
    .map((m) => ({ value: m.name, label: m.label ? `${m.label}（${m.name}）` : m.name }));
  const [error, setError] = useState<string | null>(null);
  const add = async () => {
    const v = await form.validateFields().catch(() => null); // the form marks what is missing
    if (!v) return;
    setError(null);
    try {
      const one = (v.chart === 'kpi' || v.chart === 'gauge') && v.measure;
      await onAdd({ reportId: v.reportId, chart: v.chart, ...(v.title ? { title: v.title } : {}), ...(one ? { measure: v.measure } : {}) });
    } catch (e) {
      setError(errorText(e, t)); // stays open: the choice is not lost
    }
  };
  return (
    <Modal open title={t('dashboards.addWidget')} onCancel={onClose} destroyOnHidden onOk={add}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="add-widget-error" />}
      <Form form={form} layout="vertical" name="widget" initialValues={{ chart: 'bar' }}>
        <Form.Item name="reportId" label={t('dashboards.report')} rules={[{ required: true, message: t('errors.FIELD_REQUIRED') }]}>
          <Select options={reports.map((r) => ({ value: r.id, label: r.name }))} showSearch optionFilterProp="label" data-testid="widget-report" />
        </Form.Item>
        <Form.Item name="chart" label={t('dashboards.chart')} extra={t('chartTypes.hint')}>
          <Select data-testid="widget-chart" virtual={false} listHeight={400} options={WIDGET_CHARTS.map((c) => ({ value: c, label: t(`chartTypes.${c}`) }))} />
        </Form.Item>
        {(chart === 'kpi' || chart === 'gauge') && measures.length > 1 && (
          <Form.Item name="measure" label={t('widgetMeasure.label')} extra={t('widgetMeasure.hint')}>
            <Select allowClear options={measures} data-testid="widget-measure" />
          </Form.Item>
        )}
        <Form.Item name="title" label={t('dashboards.widgetTitle')}><Input /></Form.Item>
      </Form>
    </Modal>
  );
}

function NewDashboard({ onClose }: { onClose: (id?: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ name: string }>();
  return (
    <Modal open title={t('dashboards.new')} onCancel={() => onClose()} destroyOnHidden
      onOk={async () => {
        const v = await form.validateFields();
        const d = await post<Dashboard>('/api/v1/dashboards', { name: v.name, widgets: [] });
        await qc.invalidateQueries({ queryKey: ['dashboards'] });
        onClose(d.id);
      }}>
      <Form form={form} layout="vertical" name="dashboard">
        <Form.Item name="name" label={t('dashboards.name')} rules={[{ required: true, whitespace: true, message: t('errors.FIELD_REQUIRED') }]}><Input autoFocus /></Form.Item>
      </Form>
    </Modal>
  );
}
