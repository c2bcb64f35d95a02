import { Button } from 'antd';
import { ProfileOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { ObjectMeta, RecordData } from '../../../api/types.ts';
import { customer360Path } from './customer-360-api.ts';

/** The customer record page's "360° 视图" button (views/detail/RecordActions). */
export default function Customer360Button({ record }: { obj: ObjectMeta; record: RecordData }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Button icon={<ProfileOutlined />} onClick={() => navigate(customer360Path(String(record.id)))} data-testid="open-customer-360">
      {t('crm360.open')}
    </Button>
  );
}
