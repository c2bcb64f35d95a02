import { useMemo, useState } from 'react';
import { App, Button, Select, Space, Table, Tag, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, CloseOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { isSortable, useInvalidateMeta } from '../api/meta.ts';
import { useRecordList } from '../api/records.ts';
import type { ListDefaults, ObjectMeta, RecordData } from '../api/types.ts';
import { errorText } from '../components/States.tsx';
import { fieldPaths } from '../fields/display-paths.ts';
import { labelOf, useLang } from '../i18n/index.ts';
import { buildFilter, conditionsOf, filterableFields, type Condition } from '../lib/filter.ts';
import { buildColumns, columnCandidates, listColumns } from '../views/list/columns.tsx';
import { forgetColumns } from '../views/list/ColumnChooser.tsx';
import { FilterBar } from '../views/list/FilterBar.tsx';
import { sortParam } from '../views/list/list-opening.ts';
import { updateObject } from './designer-api.ts';

/**
 * 应用搭建 → an object → 列表视图: the columns (picked and ordered), the sort and the filter its list opens
 * with when a user has chosen no saved view, with a preview of the first rows. Saved as the object's list
 * defaults (PATCH …/meta/objects/:object { listDefaults }): the list opens that way at once, for everyone.
 */
export default function ListViewDesigner({ obj, objects }: { obj: ObjectMeta; objects: ObjectMeta[] }) {
  const { t } = useTranslation();
  const lang = useLang();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const invalidate = useInvalidateMeta();
  const [columns, setColumns] = useState(() => listColumns(obj));
  const [sort, setSort] = useState<ListDefaults['sort']>(() => obj.listDefaults?.sort);
  const [conditions, setConditions] = useState<Condition[]>(() => conditionsOf(obj, obj.listDefaults?.filter) ?? []);
  const [saving, setSaving] = useState(false);

  const byName = (n: string) => obj.fields.find((f) => f.apiName === n);
  const addable = columnCandidates(obj).filter((f) => !columns.includes(f.apiName));
  const sortable = filterableFields(obj).filter(isSortable);
  const filter = useMemo(() => buildFilter(obj, conditions, ''), [obj, conditions]);
  const move = (i: number, dir: -1 | 1) => setColumns((c) => {
    const next = [...c];
    [next[i], next[i + dir]] = [next[i + dir], next[i]];
    return next;
  });

  const save = async () => {
    setSaving(true);
    try {
      await updateObject(obj.apiName, { listDefaults: { columns, ...(sort ? { sort } : {}), ...(filter ? { filter } : {}) } });
      forgetColumns(obj.apiName); // the admin's own column choice would hide what they just set
      await invalidate();
      message.success(t('listView.saved'));
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div data-testid="list-view-designer">
      <Typography.Paragraph type="secondary">
        {t('listView.hint')} <Tag>{obj.listDefaultsCustom ? t('listView.custom') : obj.listDefaults ? t('listView.shipped') : t('listView.auto')}</Tag>
      </Typography.Paragraph>
      <Typography.Title level={5}>{t('listView.columns')}</Typography.Title>
      <Space wrap size={[8, 8]} data-testid="ld-columns">
        {columns.map((n, i) => (
          <Tag key={n} style={{ padding: '4px 8px' }} data-testid="ld-column">
            <span>{byName(n) ? labelOf(byName(n)!.label, lang) : n}</span>
            <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('designer.moveUp')} />
            <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={i === columns.length - 1} onClick={() => move(i, 1)} aria-label={t('designer.moveDown')} />
            <Button type="text" size="small" icon={<CloseOutlined />} disabled={n === obj.titleField || columns.length === 1} aria-label={t('listView.remove')}
              onClick={() => setColumns((c) => c.filter((x) => x !== n))} data-testid="ld-remove" />
          </Tag>
        ))}
        <Select showSearch optionFilterProp="label" style={{ width: 200 }} placeholder={t('listView.addColumn')} value={null} data-testid="ld-add-column"
          options={addable.map((f) => ({ value: f.apiName, label: labelOf(f.label, lang) }))} onChange={(v: string) => setColumns((c) => [...c, v])} />
      </Space>
      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('listView.sort')}</Typography.Title>
      <Space wrap>
        <Select allowClear showSearch optionFilterProp="label" style={{ width: 200 }} placeholder={t('listView.sortField')} value={sort?.field} data-testid="ld-sort-field"
          options={sortable.map((f) => ({ value: f.apiName, label: labelOf(f.label, lang) }))}
          onChange={(v: string | undefined) => setSort(v ? { field: v, direction: sort?.direction ?? 'desc' } : undefined)} />
        <Select style={{ width: 200 }} value={sort?.direction ?? 'desc'} disabled={!sort} data-testid="ld-sort-direction"
          options={[{ value: 'desc', label: t('listView.desc') }, { value: 'asc', label: t('listView.asc') }]}
          onChange={(d: 'asc' | 'desc') => setSort((s) => (s ? { ...s, direction: d } : s))} />
      </Space>
      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('listView.filter')}</Typography.Title>
      <FilterBar obj={obj} conditions={conditions} quick="" noQuick onChange={(next) => next.conditions && setConditions(next.conditions)} />
      <Space style={{ margin: '16px 0' }}>
        <Button type="primary" loading={saving} onClick={() => void save()} data-testid="ld-save">{t('listView.save')}</Button>
        <Button icon={<UnorderedListOutlined />} onClick={() => navigate(`/o/${obj.apiName}`)} data-testid="ld-open-list">{t('designer.openList')}</Button>
      </Space>
      <Typography.Title level={5}>{t('listView.preview')}</Typography.Title>
      <Preview obj={obj} objects={objects} columns={columns} sort={sortParam(sort)} filter={filter} />
    </div>
  );
}

/** The first rows the list would show with these choices. */
function Preview({ obj, objects, columns, sort, filter }: { obj: ObjectMeta; objects: ObjectMeta[]; columns: string[]; sort: string | undefined; filter: ReturnType<typeof buildFilter> }) {
  const lang = useLang();
  const fields = useMemo(() => {
    const shown = columns.map((n) => obj.fields.find((f) => f.apiName === n)!).filter(Boolean);
    return [...new Set([obj.titleField, ...fieldPaths(shown, objects)])];
  }, [columns, obj, objects]);
  const list = useRecordList(obj.apiName, { page: 1, pageSize: 5, sort, filter, fields, titles: true, total: false });
  const tableColumns = useMemo(() => buildColumns(obj, objects, columns, sort, lang).map((c) => ({ ...c, sorter: false })), [obj, objects, columns, sort, lang]);
  return (
    <Table<RecordData> rowKey="id" size="small" pagination={false} scroll={{ x: 'max-content' }} loading={list.isFetching} data-testid="ld-preview"
      dataSource={list.data?.data ?? []} columns={tableColumns} />
  );
}
