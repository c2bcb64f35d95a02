import { Button } from 'antd';
import { ApartmentOutlined, ProfileOutlined, ToolOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { recordPagesOf } from './record-pages.ts';

const ICONS = { tree: <ApartmentOutlined />, tool: <ToolOutlined />, profile: <ProfileOutlined /> };

/** The buttons to a record's module pages (record-pages.ts), e.g. a BOM's tree, a customer's 360° view. */
export function RecordPageLinks({ object, id }: { object: string; id: string }) {
  const { t } = useTranslation();
  return recordPagesOf(object).map((p) => (
    <Link key={p.label} to={p.path(id)} data-testid={p.testId ?? `record-page-${object}`}>
      <Button icon={ICONS[p.icon]}>{t(p.label)}</Button>
    </Link>
  ));
}
