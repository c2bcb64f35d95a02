import { useState } from 'react';
import { Checkbox, Select, Space } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { get, qs } from '../../api/client.ts';
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
  const [values, set] = useDashFilters();
  const kinds = ORG_KINDS.filter((k) => dash.globalFilters.includes(k));
  if (!kinds.length) return null;
  return (
    <Space wrap data-testid="dashboard-org-filters">
      {kinds.map((k) => <OrgFilterSelect key={k} dash={dash} kind={k} value={values[k]} onChange={(v) => set({ [k]: v })} />)}
    </Space>
  );
}

/** How long a picker's choices are reused before they are asked again (they change with the records, not by the second). */
const OPTIONS_STALE_MS = 5 * 60_000;

/**
 * One filter's select. Its choices (one GROUP BY per source object on the server) are asked only
 * when the picker opens, or at once when the URL already holds a value whose name must be shown.
 */
function OrgFilterSelect({ dash, kind, value, onChange }: { dash: Dashboard; kind: OrgKind; value: string | undefined; onChange: (v: string | undefined) => void }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const options = useQuery({
    queryKey: ['dashboard-filter-options', dash.id, dash.version, kind],
    queryFn: ({ signal }) => get<Record<OrgKind, Option[]>>(`/api/v1/dashboards/${dash.id}/filter-options${qs({ kind })}`, signal).then((r) => r[kind]),
    enabled: opened || Boolean(value),
    staleTime: OPTIONS_STALE_MS,
  });
  return (
    <Select allowClear showSearch optionFilterProp="label" style={{ minWidth: 160 }} loading={options.isFetching}
      placeholder={t(`dashOrgFilters.${kind}`)} value={value} onChange={(v?: string) => onChange(v)} data-testid={`dashboard-filter-${kind}`}
      onOpenChange={(open) => open && setOpened(true)}
      options={(options.data ?? []).map((o) => ({ value: o.id, label: o.name ?? o.id.slice(0, 8) }))} />
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
