import { memo } from 'react';
import { Button, Segmented, Space } from 'antd';
import { AppstoreOutlined, CalendarOutlined, PlusOutlined, TableOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { FilterNode, ObjectMeta } from '../../api/types.ts';
import type { SavedView, ViewConfig } from '../../api/views.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ColumnChooser } from './ColumnChooser.tsx';
import { ExportButton } from './ExportButton.tsx';
import { SavedViews } from './SavedViews.tsx';
import type { ListState } from './useListState.ts';

/** The list's "new" button (also the empty state's call to action). */
export function NewRecordButton({ name, onNew }: { name: string; onNew: () => void }) {
  const { t } = useTranslation();
  return <Button type="primary" icon={<PlusOutlined />} onClick={onNew} data-testid="new-record">{t('list.new', { object: name })}</Button>;
}

/**
 * The list page's title line (import, export, columns, new) and, apart, its toolbar (view mode, saved views).
 * Memoised apart from the table: a page of rows arriving, the count arriving, or loading turning on and
 * off re-render the table only, not these dozen antd widgets (bench/web-list: the render after a response).
 */
export const ListHeader = memo(function ListHeader({ obj, title, name, filter, sort, visible, mobile, onImport, onColumns, onNew }: {
  obj: ObjectMeta;
  title: string;
  name: string;
  filter: FilterNode | null;
  sort?: string;
  visible: string[];
  mobile: boolean;
  onImport: () => void;
  onColumns: (v: string[]) => void;
  onNew: () => void;
}) {
  const { t } = useTranslation();
  return (
    <PageHeader
      title={title}
      extra={<Space wrap>
        <Button icon={<UploadOutlined />} onClick={onImport} data-testid="import">{t('import.button')}</Button>
        <ExportButton object={obj.apiName} filter={filter} sort={sort} fields={visible} />
        {!mobile && <ColumnChooser obj={obj} visible={visible} onChange={onColumns} />}
        <NewRecordButton name={name} onNew={onNew} />
      </Space>}
    />
  );
});

export const ListToolbar = memo(function ListToolbar({ obj, mode, view, current, onMode, onApplyView }: {
  obj: ObjectMeta;
  mode: ListState['mode'];
  view: string | null;
  current: ViewConfig;
  onMode: (m: ListState['mode']) => void;
  onApplyView: (v: SavedView | null) => void;
}) {
  const { t } = useTranslation();
  const modes = [
    { value: 'table', label: t('views.table'), icon: <TableOutlined /> },
    ...(obj.fields.some((f) => f.type === 'single_select' && !f.archived) ? [{ value: 'kanban', label: t('views.kanban'), icon: <AppstoreOutlined /> }] : []),
    ...(obj.fields.some((f) => (f.type === 'date' || f.type === 'datetime') && !f.system && !f.archived) ? [{ value: 'calendar', label: t('views.calendar'), icon: <CalendarOutlined /> }] : []),
  ];
  return (
    <div className="list-toolbar">
      {modes.length > 1 && <Segmented value={mode} onChange={(m) => onMode(m as ListState['mode'])} options={modes} data-testid="view-mode" />}
      <SavedViews object={obj.apiName} current={current} selected={view} onApply={onApplyView} />
    </div>
  );
});
