import { useState } from 'react';
import { App, Form, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FieldMeta, ObjectMeta, RecordData } from '../../api/types.ts';
import { useBulkUpdate } from '../../api/views.ts';
import { ApiError } from '../../api/client.ts';
import { labelOf, useLang } from '../../i18n/index.ts';
import { FieldControl } from '../../fields/FieldControl.tsx';
import { editableFields, fromFormValue, toFormValue } from '../../fields/values.ts';

// Fields one value can be set on many records for: not child tables, files or unique values.
const BULK_TYPES = new Set(['text', 'long_text', 'integer', 'decimal', 'money', 'percent', 'boolean', 'date', 'datetime', 'single_select', 'multi_select', 'email', 'phone', 'url', 'link']);

export function bulkEditable(obj: ObjectMeta): FieldMeta[] {
  return editableFields(obj).filter((f) => BULK_TYPES.has(f.type) && !f.unique);
}

/** Sets one field to one value on the selected records, in one request (all or nothing). */
export default function BulkEditModal({ obj, objects, rows, onClose }: { obj: ObjectMeta; objects: ObjectMeta[]; rows: RecordData[]; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const fields = bulkEditable(obj);
  const [field, setField] = useState<FieldMeta | undefined>();
  const [form] = Form.useForm<{ value: unknown }>();
  const update = useBulkUpdate(obj.apiName);

  const submit = async () => {
    if (!field) return;
    const { value } = await form.validateFields();
    const apiValue = fromFormValue(field, value, objects) ?? null;
    try {
      await update.mutateAsync(rows.map((r) => ({ id: r.id, version: r.version, [field.apiName]: apiValue })));
      message.success(t('list.bulkUpdated', { count: rows.length }));
      onClose(true);
    } catch (e) {
      const err = e as ApiError;
      form.setFields([{ name: 'value', errors: [err.message] }]);
    }
  };

  return (
    <Modal open title={t('list.bulkEditTitle', { count: rows.length })} onCancel={() => onClose(false)} onOk={submit} okButtonProps={{ disabled: !field, 'data-testid': 'bulk-edit-ok' } as never} confirmLoading={update.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" name="bulk-edit">
        <Form.Item label={t('filter.field')}>
          <Select showSearch optionFilterProp="label" value={field?.apiName} data-testid="bulk-edit-field"
            onChange={(n) => { const f = fields.find((x) => x.apiName === n); setField(f); form.setFieldsValue({ value: (f ? toFormValue(f, null, objects) : undefined) as never }); }}
            options={fields.map((f) => ({ value: f.apiName, label: labelOf(f.label, lang) }))} />
        </Form.Item>
        {field && (
          <Form.Item name="value" label={t('filter.value')}
            rules={field.required ? [{ required: true, message: t('errors.FIELD_REQUIRED') }] : []}>
            <FieldControl field={field} objects={objects} id="bulk-edit-value" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
