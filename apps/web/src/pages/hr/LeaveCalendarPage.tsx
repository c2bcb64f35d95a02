import { Calendar, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { get } from '../../api/client.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState } from '../../components/States.tsx';

interface LeaveRow {
  id: string;
  'employee.name': string;
  'leave_type.name': string;
  from_date: string;
  to_date: string;
  status: 'submitted' | 'approved';
}

/**
 * /hr/leave-calendar?month=YYYY-MM — 团队日历: who is on leave on each day of the month
 * (submitted or approved requests the user may read, GET /api/v1/hr/leave/calendar);
 * pending requests are shown as such.
 */
export default function LeaveCalendarPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const month = /^\d{4}-\d{2}$/.test(params.get('month') ?? '') ? dayjs(`${params.get('month')}-01`) : dayjs().startOf('month');
  const from = month.startOf('month').format('YYYY-MM-DD');
  const to = month.endOf('month').format('YYYY-MM-DD');
  const q = useQuery({ queryKey: ['hr', 'leave-calendar', from], queryFn: ({ signal }) => get<{ data: LeaveRow[] }>(`/api/v1/hr/leave/calendar?from=${from}&to=${to}`, signal) });
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const onDay = (d: Dayjs) => {
    const day = d.format('YYYY-MM-DD');
    return (q.data?.data ?? []).filter((r) => r.from_date <= day && r.to_date >= day);
  };
  return (
    <div>
      <PageHeader title={t('hr.leaveCalendar.title')} />
      <Calendar
        value={month}
        onPanelChange={(d) => setParams({ month: d.format('YYYY-MM') })}
        cellRender={(d, info) => (info.type !== 'date' || !d.isSame(month, 'month') ? null : (
          <div data-testid="leave-day" data-day={d.format('YYYY-MM-DD')}>
            {onDay(d).map((r) => (
              <Tag key={r.id} color={r.status === 'approved' ? 'blue' : 'default'} style={{ marginBottom: 2 }}>
                {r['employee.name']} {r['leave_type.name']}{r.status === 'approved' ? '' : `（${t('hr.leaveCalendar.pending')}）`}
              </Tag>
            ))}
          </div>
        ))}
      />
    </div>
  );
}
