import { useState } from 'react';
import { App, Button, Checkbox, Drawer, Form, Input, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { useInvalidateMeta } from '../api/meta.ts';
import type { FieldConfig, FieldMeta, FieldType, ObjectMeta } from '../api/types.ts';
import { errorText } from '../components/States.tsx';
import { useIsMobile } from '../lib/useIsMobile.ts';
import { addField, API_NAME_RE, suggestApiName, updateField } from './designer-api.ts';
import { FieldConfigInputs } from './FieldConfigInputs.tsx';

const TYPE_GROUPS: [string, FieldType[]][] = [
  ['text', ['text', 'long_text', 'rich_text', 'email', 'phone', 'url']],
  ['number', ['integer', 'decimal', 'money', 'percent']],
  ['choice', ['boolean', 'single_select', 'multi_select']],
  ['date', ['date', 'datetime']],
  ['relation', ['link', 'child_table', 'lookup', 'rollup']],
  ['other', ['address', 'auto_number', 'formula']],
];
const UNIQUE_OK = new Set<FieldType>(['text', 'integer', 'decimal', 'email', 'phone', 'url', 'date', 'link']);

interface Values {
  zh: string;
  en?: string;
  apiName: string;
  type: FieldType;
  required?: boolean;
  unique?: boolean;
  config?: FieldConfig;
  options?: { value: string; zh: string; en?: string }[];
}

/** Add a field (POST …/fields) or edit one (PATCH …/fields/{field}); type and API name are fixed once created. */
export default function FieldEditorDrawer({ obj, objects, field, onClose }: { obj: ObjectMeta; objects: ObjectMeta[]; field?: FieldMeta; onClose: () => void }) {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [apiTouched, setApiTouched] = useState(Boolean(field));
  const invalidate = useInvalidateMeta();
  const type = (Form.useWatch('type', form) ?? field?.type ?? 'text') as FieldType;
  const initial: Partial<Values> = field
    ? { zh: field.label.zh, en: field.label.en, apiName: field.apiName, type: field.type, required: field.required, unique: field.unique, config: field.config,
        options: field.config.options?.map((o) => ({ value: o.value, zh: o.label.zh, en: o.label.en })) }
    : { type: 'text', required: false, unique: false };

  const submit = async (v: Values) => {
    setBusy(true);
    const config: FieldConfig = clean({ ...(v.config ?? {}) }) as FieldConfig;
    if (v.type === 'single_select' || v.type === 'multi_select') config.options = (v.options ?? []).map((o) => ({ value: o.value.trim(), label: { zh: o.zh, en: o.en || undefined } }));
    const label = { zh: v.zh, en: v.en || undefined };
    try {
      if (field) await updateField(obj.apiName, field.apiName, { label, required: Boolean(v.required), unique: Boolean(v.unique), config });
      else await addField(obj.apiName, { apiName: v.apiName, type: v.type, label, required: Boolean(v.required), unique: Boolean(v.unique), config });
      await invalidate();
      message.success(t('designer.fieldSaved'));
      onClose();
    } catch (e) {
      const path = e instanceof ApiError && e.field ? e.field.split('.') : null;
      if (path && ['apiName', 'label', 'type', 'config', 'required', 'unique'].includes(path[0])) {
        form.setFields([{ name: path[0] === 'label' ? ['zh'] : path.slice(0, 2), errors: [errorText(e, t)] }]);
      } else {
        message.error(errorText(e, t));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer open onClose={onClose} width={mobile ? '100%' : 560} title={field ? t('designer.editField') : t('designer.newField')} destroyOnHidden
      footer={<Space style={{ float: 'right' }}><Button onClick={onClose}>{t('common.cancel')}</Button><Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="save-field">{t('common.save')}</Button></Space>}>
      <Form form={form} layout="vertical" initialValues={initial} onFinish={submit} name="field-editor"
        onValuesChange={(changed) => { if ('en' in changed && !apiTouched) form.setFieldValue('apiName', suggestApiName(changed.en)); }}>
        <Space style={{ display: 'flex' }} align="start">
          <Form.Item name="zh" label={t('designer.fieldLabel')} rules={[{ required: true, message: t('errors.FIELD_REQUIRED') }]} style={{ flex: 1 }}>
            <Input autoFocus maxLength={100} />
          </Form.Item>
          <Form.Item name="en" label={t('designer.fieldLabelEn')} style={{ flex: 1 }}>
            <Input maxLength={100} />
          </Form.Item>
        </Space>
        <Form.Item name="apiName" label={t('designer.apiName')} extra={field ? undefined : t('designer.apiNameHint')}
          rules={[{ required: true, message: t('errors.FIELD_REQUIRED') }, { pattern: API_NAME_RE, message: t('designer.apiNameHint') }]}>
          <Input disabled={Boolean(field)} maxLength={40} style={{ fontFamily: 'monospace' }} onChange={() => setApiTouched(true)} />
        </Form.Item>
        <Form.Item name="type" label={t('designer.type')}>
          <Select disabled={Boolean(field)} data-testid="field-type" showSearch optionFilterProp="label"
            options={TYPE_GROUPS.map(([g, types]) => ({ label: t(`designer.groups.${g}`), title: g, options: types.map((ty) => ({ value: ty, label: t(`types.${ty}`) })) }))} />
        </Form.Item>
        <FieldConfigInputs type={type} obj={obj} objects={objects} editing={Boolean(field)} />
        {!['formula', 'rollup', 'lookup', 'auto_number', 'child_table'].includes(type) && (
          <Space>
            <Form.Item name="required" valuePropName="checked" style={{ marginBottom: 0 }}><Checkbox>{t('designer.required')}</Checkbox></Form.Item>
            {UNIQUE_OK.has(type) && <Form.Item name="unique" valuePropName="checked" style={{ marginBottom: 0 }}><Checkbox>{t('designer.unique')}</Checkbox></Form.Item>}
          </Space>
        )}
      </Form>
    </Drawer>
  );
}

/** Drops empty settings so the server applies its defaults. */
function clean(o: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null || v === '') delete o[k];
    else if (typeof v === 'object' && !Array.isArray(v)) {
      clean(v as Record<string, unknown>);
      if (!Object.keys(v as object).length) delete o[k];
    }
  }
  return o;
}
