import { useEffect, useMemo, useState } from 'react';
import { Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client.ts';
import { useObject } from '../../api/meta.ts';
import { listUrl } from '../../api/records.ts';
import type { ListReply } from '../../api/types.ts';
import { buildFilter } from '../../lib/filter.ts';

/**
 * Picks a record of `target` by typing part of its name:
 * GET /api/v1/records/{target}?filter={"or":[{"field":"name","op":"contains","value":"华"}]}&titles=true
 * (`$title` in each row is the record's display name).
 */
export function LinkPicker({ target, value, onChange, initialTitle, id, disabled, placeholder, style }: {
  target: string;
  value?: string | null;
  onChange?: (v: string | null, title?: string) => void;
  initialTitle?: string | null;
  id?: string;
  disabled?: boolean;
  placeholder?: string;
  style?: React.CSSProperties;
}) {
  const { t } = useTranslation();
  const { obj } = useObject(target);
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const h = setTimeout(() => setDebounced(search), 250);
    return () => clearTimeout(h);
  }, [search]);

  const filter = obj ? buildFilter(obj, [], debounced) : null;
  const results = useQuery({
    queryKey: ['records', target, 'pick', debounced],
    queryFn: ({ signal }) => get<ListReply>(listUrl(target, { filter, pageSize: 20, titles: true, fields: [obj!.titleField], sort: obj!.titleField }), signal),
    enabled: Boolean(obj) && !disabled,
    staleTime: 10_000,
  });
  // The current value's name when it is not among the results (an existing record's link).
  const current = useQuery({
    queryKey: ['records', target, 'title', value],
    queryFn: ({ signal }) => get<{ $title?: string }>(`/api/v1/records/${encodeURIComponent(target)}/${encodeURIComponent(value!)}?fields=${obj!.titleField}`, signal),
    enabled: Boolean(obj && value && !initialTitle && !results.data?.data.some((r) => r.id === value)),
    staleTime: 60_000,
  });

  const options = useMemo(() => {
    const rows = (results.data?.data ?? []).map((r) => ({ value: r.id, label: String(r.$title ?? r.id) }));
    if (value && !rows.some((r) => r.value === value)) rows.unshift({ value, label: String(initialTitle ?? current.data?.$title ?? value) });
    return rows;
  }, [results.data, value, initialTitle, current.data]);

  return (
    <Select
      id={id}
      showSearch
      allowClear
      disabled={disabled}
      value={value ?? undefined}
      placeholder={placeholder ?? t('form.searchLink')}
      filterOption={false}
      onSearch={setSearch}
      onChange={(v, opt) => onChange?.(v ?? null, (opt as { label?: string } | undefined)?.label)}
      loading={results.isFetching}
      options={options}
      notFoundContent={results.isFetching ? t('common.loading') : undefined}
      style={{ width: '100%', ...style }}
      data-testid={`link-picker-${target}`}
    />
  );
}
