import { useState } from 'react';
import { App, Checkbox, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { useInvalidateMeta, useObjects } from '../api/meta.ts';
import type { ObjectMeta } from '../api/types.ts';
import { errorText } from '../components/States.tsx';
import { labelOf, useLang } from '../i18n/index.ts';
import { moduleChoices } from '../layout/modules.tsx';
import { useMenuGroups } from '../layout/use-menu-groups.ts';
import { API_NAME_RE, createObject, suggestApiName } from './designer-api.ts';

/** A new object with a 名称 (name) title field; the menu shows it as soon as the metadata is refetched. */
export function NewObjectModal({ onClose, onCreated }: { onClose: () => void; onCreated: (o: ObjectMeta) => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [apiTouched, setApiTouched] = useState(false);
  const invalidate = useInvalidateMeta();
  const objects = useObjects();
  const menu = useMenuGroups();
  const isChild = Form.useWatch('isChild', form) as boolean | undefined;

  const submit = async (v: { zh: string; en?: string; apiName: string; module: string; isDocument?: boolean; isChild?: boolean; parentObject?: string }) => {
    setBusy(true);
    try {
      const o = await createObject({
        apiName: v.apiName, label: { zh: v.zh, en: v.en || undefined }, module: v.module, isDocument: Boolean(v.isDocument),
        isChild: Boolean(v.isChild), parentObject: v.isChild ? v.parentObject : undefined,
        fields: [{ apiName: 'name', type: 'text', label: { zh: '名称', en: 'Name' }, required: !v.isChild }],
      });
      await invalidate();
      message.success(t('designer.created', { name: v.zh }));
      onCreated(o);
      onClose();
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'OBJECT_EXISTS' || e.field === 'apiName')) form.setFields([{ name: 'apiName', errors: [errorText(e, t)] }]);
      else message.error(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={t('designer.newObject')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} okText={t('common.create')} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ module: 'custom' }} name="new-object"
        onValuesChange={(changed) => { if ('en' in changed && !apiTouched) form.setFieldValue('apiName', suggestApiName(changed.en)); }}>
        <Form.Item name="zh" label={t('designer.objectLabel')} rules={[{ required: true, message: t('errors.FIELD_REQUIRED') }]}>
          <Input autoFocus maxLength={100} placeholder="设备" />
        </Form.Item>
        <Form.Item name="en" label={t('designer.objectLabelEn')}>
          <Input maxLength={100} placeholder="Equipment" />
        </Form.Item>
        <Form.Item name="apiName" label={t('designer.apiName')} extra={t('designer.apiNameHint')}
          rules={[{ required: true, message: t('errors.FIELD_REQUIRED') }, { pattern: API_NAME_RE, message: t('designer.apiNameHint') }]}>
          <Input maxLength={40} placeholder="equipment" onChange={() => setApiTouched(true)} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Form.Item name="module" label={t('designer.module')}>
          <Select options={moduleChoices(menu.data ?? [], t, lang)} loading={menu.isPending} />
        </Form.Item>
        <Form.Item name="isDocument" valuePropName="checked" style={{ marginBottom: 8 }}>
          <Checkbox>{t('designer.isDocument')}</Checkbox>
        </Form.Item>
        <Form.Item name="isChild" valuePropName="checked" style={{ marginBottom: 8 }}>
          <Checkbox>{t('types.child_table')}</Checkbox>
        </Form.Item>
        {isChild && (
          <Form.Item name="parentObject" label={t('designer.target')} rules={[{ required: true, message: t('errors.FIELD_REQUIRED') }]}>
            <Select options={(objects.data ?? []).filter((o) => !o.isChild).map((o) => ({ value: o.apiName, label: labelOf(o.label, lang) }))} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
