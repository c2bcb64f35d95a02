import { useEffect, useMemo, useState } from 'react';
import { AutoComplete, Input } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { get, qs } from '../api/client.ts';
import { useObjects } from '../api/meta.ts';
import { labelOf, useLang } from '../i18n/index.ts';
import { searchDestination } from './search-destinations.ts';

interface SearchHit {
  object: string;
  id: string;
  title: string;
  matched: { field: string; value: string } | null;
}

/** The header's search: records by name, number or phone across every object the user may read (GET /api/v1/search). */
export function GlobalSearch({ compact }: { compact?: boolean }) {
  const { t } = useTranslation();
  const lang = useLang();
  const navigate = useNavigate();
  const objects = useObjects();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 250); // one request when typing pauses
    return () => clearTimeout(timer);
  }, [text]);
  const hits = useQuery({
    queryKey: ['search', q],
    queryFn: ({ signal }) => get<{ data: SearchHit[] }>(`/api/v1/search${qs({ q })}`, signal).then((r) => r.data),
    enabled: q.length > 0,
    staleTime: 10_000,
  });

  const options = useMemo(() => {
    const byObject = new Map<string, SearchHit[]>();
    for (const h of hits.data ?? []) byObject.set(h.object, [...(byObject.get(h.object) ?? []), h]);
    return [...byObject].map(([object, list]) => {
      const obj = objects.data?.find((o) => o.apiName === object);
      return {
        label: obj ? labelOf(obj.label, lang) : object,
        options: list.map((h) => {
          const field = h.matched && h.matched.field !== obj?.titleField ? obj?.fields.find((f) => f.apiName === h.matched!.field) : undefined;
          return {
            value: `${object}/${h.id}`,
            label: (
              <div data-testid="search-hit">
                <div>{h.title}</div>
                {field && <div style={{ fontSize: 12, color: '#999' }}>{labelOf(field.label, lang)}: {h.matched!.value}</div>}
              </div>
            ),
          };
        }),
      };
    });
  }, [hits.data, objects.data, lang]);

  return (
    <AutoComplete
      value={text}
      options={options}
      onChange={setText}
      onSelect={(v: string) => {
        setText('');
        const [object, id] = v.split('/');
        void searchDestination(object, id).then((to) => navigate(to));
      }}
      notFoundContent={q && hits.data && !hits.isFetching ? t('search.none') : null}
      style={{ width: compact ? 120 : 280 }}
      popupMatchSelectWidth={320}
    >
      <Input prefix={<SearchOutlined />} placeholder={t('search.placeholder')} allowClear data-testid="global-search" aria-label={t('search.placeholder')} />
    </AutoComplete>
  );
}
