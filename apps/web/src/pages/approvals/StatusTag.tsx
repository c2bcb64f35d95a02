import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const COLORS: Record<string, string> = {
  running: 'processing', pending: 'processing', submitted: 'processing', approved: 'success', rejected: 'error', returned: 'warning',
  withdrawn: 'default', transferred: 'default', cancelled: 'default', draft: 'default', skipped: 'default',
};

/** An approval, task or document status as a coloured tag in the user's language. */
export function StatusTag({ status, testId }: { status: string; testId?: string }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[status] ?? 'default'} data-status={status} data-testid={testId}>{t(`approvals.status.${status}`, { defaultValue: status })}</Tag>;
}
