import { Button, Checkbox, Popover } from 'antd';
import { SettingOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ObjectMeta } from '../../api/types.ts';
import { labelOf, useLang } from '../../i18n/index.ts';
import { columnCandidates, listColumns } from './columns.tsx';

/** Which columns the list shows, kept per object in this browser. */
export function ColumnChooser({ obj, visible, onChange }: { obj: ObjectMeta; visible: string[]; onChange: (v: string[]) => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const candidates = columnCandidates(obj);
  const content = (
    <div style={{ maxHeight: 360, overflow: 'auto', minWidth: 200 }}>
      <Checkbox.Group
        value={visible}
        onChange={(v) => onChange(candidates.map((f) => f.apiName).filter((n) => v.includes(n)))}
        style={{ display: 'grid', gap: 6 }}
        options={candidates.map((f) => ({ value: f.apiName, label: labelOf(f.label, lang), disabled: f.apiName === obj.titleField }))}
      />
      <Button type="link" size="small" style={{ padding: 0, marginTop: 8 }} onClick={() => onChange(listColumns(obj))} data-testid="columns-reset">{t('common.reset')}</Button>
    </div>
  );
  return (
    <Popover content={content} trigger="click" placement="bottomRight" title={t('list.columns')}>
      <Button icon={<SettingOutlined />} aria-label={t('list.columns')} data-testid="column-chooser">{t('list.columns')}</Button>
    </Popover>
  );
}

const key = (object: string) => `mosaic.cols.${object}`;

export function loadColumns(obj: ObjectMeta): string[] {
  try {
    const saved = JSON.parse(localStorage.getItem(key(obj.apiName)) ?? 'null') as string[] | null;
    const valid = saved?.filter((n) => obj.fields.some((f) => f.apiName === n && !f.archived));
    if (valid?.length) return valid;
  } catch {
    /* fall through */
  }
  return listColumns(obj);
}

/** Forgets this browser's columns of `object`: its list opens with the object's defaults again. */
export function forgetColumns(object: string): void {
  try {
    localStorage.removeItem(key(object));
  } catch {
    /* ignore */
  }
}

export function saveColumns(object: string, cols: string[]): void {
  try {
    localStorage.setItem(key(object), JSON.stringify(cols));
  } catch {
    /* ignore */
  }
}
