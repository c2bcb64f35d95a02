import { useState } from 'react';
import { App, Button, Table, Tabs, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get, post } from '../../api/client.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, errorText } from '../../components/States.tsx';

interface PoolRow {
  id: string;
  name: string | null;
  industry: string | null;
  last_followup_at: string | null;
}

type PoolObject = 'lead' | 'customer';

/**
 * /crm/pool — 公海: leads and customers nobody followed up in time (the pool
 * rules), browsable by every rep, claimed with one click up to the rule's
 * limit (GET /api/v1/crm/pool/{object}, POST …/{id}/claim). A claimed record
 * is the rep's from then on and opens from the message.
 */
export default function PoolPage() {
  const { t } = useTranslation();
  const [object, setObject] = useState<PoolObject>('lead');
  return (
    <div>
      <PageHeader title={t('crm.pool.title')} />
      <Typography.Paragraph type="secondary">{t('crm.pool.hint')}</Typography.Paragraph>
      <Tabs activeKey={object} onChange={(k) => setObject(k as PoolObject)}
        items={(['lead', 'customer'] as const).map((o) => ({ key: o, label: t(`crm.pool.${o}`), children: <PoolTable object={o} /> }))} />
    </div>
  );
}

function PoolTable({ object }: { object: PoolObject }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: ['crm-pool', object, page],
    queryFn: ({ signal }) => get<{ data: PoolRow[]; total: number }>(`/api/v1/crm/pool/${object}?page=${page}&pageSize=20`, signal),
  });
  const claim = useMutation({
    mutationFn: (row: PoolRow) => post<{ id: string; holding: number; limit: number | null }>(`/api/v1/crm/pool/${object}/${row.id}/claim`),
    onSuccess: (r, row) => {
      message.success(<span data-testid="pool-claimed">
        {t('crm.pool.claimed', { name: row.name ?? '', holding: r.holding, limit: r.limit ?? '∞' })} <Link to={`/o/${object}/${row.id}`}>{t('crm.pool.open')}</Link>
      </span>);
      void client.invalidateQueries({ queryKey: ['crm-pool', object] });
      void client.invalidateQueries({ queryKey: ['records', object] });
    },
    onError: (e) => message.error(errorText(e, t)),
  });
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <Table<PoolRow>
      rowKey="id" size="small" loading={list.isPending} dataSource={list.data?.data ?? []}
      onRow={() => ({ 'data-testid': 'pool-row' } as React.HTMLAttributes<HTMLElement>)}
      pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
      columns={[
        { key: 'name', title: t('crm.pool.name'), dataIndex: 'name' },
        { key: 'industry', title: t('crm.pool.industry'), dataIndex: 'industry' },
        { key: 'last', title: t('crm.pool.lastFollowup'), dataIndex: 'last_followup_at', render: (v: string | null) => (v ? new Date(v).toLocaleString() : t('crm.pool.never')) },
        {
          key: 'claim', title: '', width: 100,
          render: (_: unknown, row: PoolRow) => (
            <Button size="small" type="primary" loading={claim.isPending && claim.variables?.id === row.id} onClick={() => claim.mutate(row)} data-testid="pool-claim">
              {t('crm.pool.claim')}
            </Button>
          ),
        },
      ]}
    />
  );
}
