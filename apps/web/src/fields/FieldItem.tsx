import { Form, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { isComputed } from '../api/meta.ts';
import type { FieldMeta, ObjectMeta, RecordData } from '../api/types.ts';
import { labelOf, useLang } from '../i18n/index.ts';
import { FieldControl } from './FieldControl.tsx';
import { FieldValue } from './FieldValue.tsx';
import { fieldRules, numberRule } from './rules.ts';
import { ChildTableInput } from './widgets/ChildTableInput.tsx';

/** One field in a form: label, widget, client checks; computed fields are shown, not edited. */
export function FieldItem({ field: f, objects, record }: { field: FieldMeta; objects: ObjectMeta[]; record?: RecordData }) {
  const { t } = useTranslation();
  const lang = useLang();
  const label = labelOf(f.label, lang);

  if (isComputed(f)) {
    return (
      <Form.Item label={label} data-field={f.apiName}>
        {record ? <FieldValue field={f} record={record} objects={objects} /> : <Typography.Text type="secondary">{f.type === 'auto_number' ? t('common.autoNumber') : t('common.computedOnSave')}</Typography.Text>}
      </Form.Item>
    );
  }
  if (f.type === 'child_table') {
    return (
      <Form.Item label={label} required={f.required}>
        <ChildTableInput field={f} objects={objects} />
      </Form.Item>
    );
  }
  const rules = [...fieldRules(f, t), ...(['integer', 'decimal', 'percent'].includes(f.type) ? [numberRule(t)] : [])];
  return (
    <Form.Item name={f.apiName} label={label} rules={rules}>
      <FieldControl field={f} objects={objects} record={record} />
    </Form.Item>
  );
}
