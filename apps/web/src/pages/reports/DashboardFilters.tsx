import { Checkbox, Select, Space } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { get } from '../../api/client.ts';
import { dashFiltersOf, type Dashboard, type DashFilterValues } from './reports-api.ts';

/**
 * A dashboard's company / department / owner filters (公司 / 部门 / 负责人):
 * the viewer's choice lives in the URL (?company=&department=&owner=, beside
 * ?from&to), and is ANDed into every widget by the server. The choices come
 * from /dashboards/{id}/filter-options — the values in the records the viewer
 * may see — so a filter only ever narrows the figures.
 */
export type OrgKind = 'company' | 'department' | 'owner';
export const ORG_KINDS: OrgKind[] = ['company', 'department', 'owner'];

export type { DashFilterValues };

export function useDashFilters(): [DashFilterValues, (patch: DashFilterValues) => void] {
  const [params, setParams] = useSearchParams();
  const values = dashFiltersOf(params);
  const set = (patch: DashFilterValues) => setParams((p) => {
    const next = new URLSearchParams(p);
    for (const [k, v] of Object.entries(patch)) (v ? next.set(k, v) : next.delete(k));
    return next;
  }, { replace: true });
  return [values, set];
}

interface Option {
  id: string;
  name: string | null;
}

/** The viewer's selects for the filters this dashboard offers. */
export function OrgFilters({ dash }: { dash: Dashboard }) {
  const { t } = useTranslation();
  const [values, set] = useDashFilters();
  const kinds = ORG_KINDS.filter((k) => dash.globalFilters.includes(k));
  const options = useQuery({
    queryKey: ['dashboard-filter-options', dash.id, dash.version],
    queryFn: ({ signal }) => get<Record<OrgKind, Option[]>>(`/api/v1/dashboards/${dash.id}/filter-options`, signal),
    enabled: kinds.length > 0,
  });
  if (!kinds.length) return null;
  return (
    <Space wrap data-testid="dashboard-org-filters">
      {kinds.map((k) => (
        <Select key={k} allowClear showSearch optionFilterProp="label" style={{ minWidth: 160 }} loading={options.isPending}
          placeholder={t(`dashOrgFilters.${k}`)} value={values[k]} onChange={(v?: string) => set({ [k]: v })} data-testid={`dashboard-filter-${k}`}
          options={(options.data?.[k] ?? []).map((o) => ({ value: o.id, label: o.name ?? o.id.slice(0, 8) }))} />
      ))}
    </Space>
  );
}

/** In edit mode: which of the filters the dashboard offers its viewers (the date range is always there). */
export function OrgFilterChoice({ dash, onChange }: { dash: Dashboard; onChange: (globalFilters: string[]) => void }) {
  const { t } = useTranslation();
  const chosen = ORG_KINDS.filter((k) => dash.globalFilters.includes(k));
  return (
    <Space data-testid="dashboard-filter-kinds">
      <span>{t('dashOrgFilters.offer')}</span>
      <Checkbox.Group value={chosen} onChange={(v) => onChange(['date', ...ORG_KINDS.filter((k) => v.includes(k))])}
        options={ORG_KINDS.map((k) => ({ value: k, label: t(`dashOrgFilters.${k}`) }))} />
    </Space>
  );
}
