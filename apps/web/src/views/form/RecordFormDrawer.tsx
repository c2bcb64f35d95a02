import { useEffect, useMemo } from 'react';
import { App, Button, Drawer, Form, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { userFields } from '../../api/meta.ts';
import { useRecord, useSaveRecord } from '../../api/records.ts';
import type { ObjectMeta, RecordData } from '../../api/types.ts';
import { ErrorState, PageSkeleton, errorText } from '../../components/States.tsx';
import { labelOf, useLang } from '../../i18n/index.ts';
import { useIsMobile } from '../../lib/useIsMobile.ts';
import { FieldItem } from '../../fields/FieldItem.tsx';
import { fromFormValues, toFormValues } from '../../fields/values.ts';
import { showServerError } from './server-errors.ts';
import { formHelpersOf } from './form-helpers.ts';
import { useAttachments } from '../../api/attachments.ts';

/** Create (no id) or edit a record in a drawer. Enter saves, Esc closes; server errors land on their field. */
export default function RecordFormDrawer({ obj, objects, id, onClose, onSaved }: {
  obj: ObjectMeta;
  objects: ObjectMeta[];
  id?: string;
  onClose: () => void;
  onSaved?: (r: RecordData) => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const mobile = useIsMobile();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const record = useRecord(obj.apiName, id);
  const save = useSaveRecord(obj.apiName);
  const name = labelOf(obj.label, lang);
  const fields = useMemo(() => userFields(obj), [obj]);
  const ready = !id || record.data;
  const files = useAttachments(obj, id);
  const filesReady = !id || !files.enabled || files.data;
  const initial = useMemo(() => {
    if (!ready || !filesReady) return undefined;
    const v = toFormValues(obj, objects, record.data);
    for (const [field, list] of Object.entries(files.data ?? {})) v[field] = list; // names for the ids
    return v;
  }, [ready, filesReady, obj, objects, record.data, files.data]);
  useEffect(() => {
    if (initial) form.setFieldsValue(initial);
  }, [initial, form]);

  const submit = async (values: Record<string, unknown>) => {
    try {
      const body = fromFormValues(obj, objects, values, record.data);
      const saved = await save.mutateAsync({ id, values: body });
      message.success(t('common.saved'));
      onSaved?.(saved);
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'VERSION_CONFLICT') return void message.error(t('form.versionConflict'));
      if (showServerError(form, obj, e, t)) return void message.error(t('form.fixErrors'));
      message.error(errorText(e, t));
    }
  };

  // Enter in a one-line input saves (not while an IME is composing Chinese, not in a text area or an open dropdown).
  const onKeyDown = (e: React.KeyboardEvent) => {
    const el = e.target as HTMLElement;
    if (e.key !== 'Enter' || e.nativeEvent.isComposing || e.shiftKey) return;
    const inOpenSelect = el.closest('.ant-select-open') || el.getAttribute('aria-expanded') === 'true';
    if (e.ctrlKey || e.metaKey || (el.tagName === 'INPUT' && !inOpenSelect && !el.closest('.ant-picker'))) {
      e.preventDefault();
      form.submit();
    }
  };

  return (
    <Drawer
      open
      onClose={onClose}
      width={mobile ? '100%' : 720}
      title={id ? t('form.editTitle', { object: name }) : t('form.newTitle', { object: name })}
      destroyOnHidden
      keyboard
      footer={
        <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
          {!mobile && <Typography.Text type="secondary" style={{ flex: 1, fontSize: 12 }}>{t('common.shortcutHint')}</Typography.Text>}
          <Space style={{ marginLeft: 'auto' }}>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" loading={save.isPending} onClick={() => form.submit()} disabled={!ready} data-testid="save-record">{t('common.save')}</Button>
          </Space>
        </div>
      }
    >
      {record.isError ? (
        <ErrorState error={record.error} onRetry={() => void record.refetch()} />
      ) : !ready || !initial ? (
        <PageSkeleton />
      ) : (
        <div onKeyDown={onKeyDown}>
          <Form form={form} layout="vertical" initialValues={initial} onFinish={submit} scrollToFirstError name={`record-${obj.apiName}`}>
            {fields.map((f) => <FieldItem key={f.apiName} field={f} objects={objects} record={record.data} />)}
            {formHelpersOf(obj.apiName).map((Helper, i) => <Helper key={i} form={form} />)}
          </Form>
        </div>
      )}
    </Drawer>
  );
}
