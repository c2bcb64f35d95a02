import { useEffect, useState } from 'react';
import { Badge, Button, Empty, List, Popover, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { get, post } from '../api/client.ts';
import { formatDateTime } from '../lib/format.ts';
import { useLang } from '../i18n/index.ts';

interface Notification {
  id: string;
  title: string;
  body: string | null;
  link: string | null;
  object: string | null;
  recordId: string | null;
  createdAt: string;
  readAt: string | null;
}

const KEY = ['notifications'] as const;

/**
 * The bell: unread count and the latest notifications. The count is live: the
 * server's event stream (GET /api/v1/notifications/stream) says `ready` with
 * the count, then `notification` for each new one; EventSource reconnects by itself.
 */
export function NotificationBell() {
  const { t } = useTranslation();
  const lang = useLang();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [unread, setUnread] = useState(0);
  const list = useQuery({
    queryKey: KEY,
    queryFn: ({ signal }) => get<{ data: Notification[]; unread: number }>('/api/v1/notifications?limit=20', signal),
    enabled: open,
  });

  useEffect(() => {
    const es = new EventSource('/api/v1/notifications/stream');
    es.addEventListener('ready', (e) => setUnread((JSON.parse((e as MessageEvent).data) as { unread: number }).unread));
    es.addEventListener('notification', () => {
      setUnread((n) => n + 1);
      void qc.invalidateQueries({ queryKey: KEY });
    });
    return () => es.close();
  }, [qc]);
  useEffect(() => {
    if (list.data) setUnread(list.data.unread);
  }, [list.data]);

  const markRead = async (body: { ids: string[] } | { all: true }) => {
    const r = await post<{ unread: number }>('/api/v1/notifications/read', body);
    setUnread(r.unread);
    void qc.invalidateQueries({ queryKey: KEY });
  };
  const openOne = (n: Notification) => {
    if (!n.readAt) void markRead({ ids: [n.id] });
    setOpen(false);
    if (n.link?.startsWith('/')) navigate(n.link);
    else if (n.object && n.recordId) navigate(`/o/${n.object}/${n.recordId}`);
  };

  const content = (
    <div style={{ width: 340, maxHeight: 420, overflow: 'auto' }} data-testid="notification-list">
      {list.data?.data.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('bell.empty')} /> : (
        <List<Notification>
          loading={list.isPending}
          dataSource={list.data?.data ?? []}
          renderItem={(n) => (
            <List.Item onClick={() => openOne(n)} style={{ cursor: 'pointer', opacity: n.readAt ? 0.6 : 1 }} data-testid="notification">
              <List.Item.Meta title={<span>{!n.readAt && <Badge status="processing" />} {n.title}</span>}
                description={<><div>{n.body}</div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(n.createdAt, lang)}</Typography.Text></>} />
            </List.Item>
          )}
        />
      )}
    </div>
  );

  return (
    <Popover open={open} onOpenChange={setOpen} trigger="click" placement="bottomRight" content={content}
      title={<div style={{ display: 'flex', justifyContent: 'space-between' }}>{t('bell.title')}
        {unread > 0 && <Button size="small" type="link" onClick={() => void markRead({ all: true })} data-testid="notifications-read-all">{t('bell.readAll')}</Button>}</div>}>
      <Button type="text" aria-label={t('bell.title')} data-testid="bell" icon={<Badge count={unread} size="small" data-testid="bell-count"><BellOutlined style={{ fontSize: 18 }} /></Badge>} />
    </Popover>
  );
}
