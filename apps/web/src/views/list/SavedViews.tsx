import { memo, useState } from 'react';
import { App, Button, Checkbox, Form, Input, Modal, Popconfirm, Select, Space } from 'antd';
import { DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { useDeleteView, useSavedViews, useSaveView, type SavedView, type ViewConfig } from '../../api/views.ts';

/**
 * The saved views of a list: pick one (mine first, then shared), save the
 * current filter/sort/columns/mode as a new view, update or delete my own.
 */
function SavedViewsView({ object, current, selected, onApply }: {
  object: string;
  current: ViewConfig;
  selected: string | null;
  onApply: (view: SavedView | null) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const views = useSavedViews(object);
  const save = useSaveView(object);
  const remove = useDeleteView(object);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ name: string; shared: boolean }>();
  const all = views.data ?? [];
  const chosen = all.find((v) => v.id === selected);

  const submit = async () => {
    const { name, shared } = await form.validateFields();
    try {
      const v = await save.mutateAsync({ name, shared, config: current });
      message.success(t('views.saved'));
      setSaving(false);
      onApply(v);
    } catch (e) {
      if (e instanceof ApiError && e.field === 'name') form.setFields([{ name: 'name', errors: [t('views.nameTaken')] }]);
      else message.error((e as Error).message);
    }
  };

  const options = [
    { label: t('views.mine'), options: all.filter((v) => v.mine).map((v) => ({ value: v.id, label: v.shared ? `${v.name} · ${t('views.sharedTag')}` : v.name })) },
    { label: t('views.shared'), options: all.filter((v) => !v.mine).map((v) => ({ value: v.id, label: v.name })) },
  ].filter((g) => g.options.length);

  return (
    <Space size={4} wrap>
      <Select
        allowClear
        placeholder={t('views.all')}
        value={chosen?.id ?? null}
        loading={views.isPending}
        style={{ minWidth: 160 }}
        options={options}
        onChange={(id) => onApply(all.find((v) => v.id === id) ?? null)}
        data-testid="saved-views"
        aria-label={t('views.label')}
      />
      {chosen?.mine && (
        <>
          <Button icon={<SaveOutlined />} onClick={async () => { await save.mutateAsync({ id: chosen.id, config: current }); message.success(t('views.updated')); }} data-testid="view-update">
            {t('views.update')}
          </Button>
          <Popconfirm title={t('views.confirmDelete', { name: chosen.name })} onConfirm={async () => { await remove.mutateAsync(chosen.id); onApply(null); }}>
            <Button icon={<DeleteOutlined />} aria-label={t('views.delete')} data-testid="view-delete" />
          </Popconfirm>
        </>
      )}
      <Button onClick={() => { form.resetFields(); setSaving(true); }} data-testid="view-save-as">{t('views.saveAs')}</Button>
      <Modal open={saving} title={t('views.saveAs')} onCancel={() => setSaving(false)} onOk={submit} confirmLoading={save.isPending} destroyOnHidden>
        <Form form={form} layout="vertical" name="save-view" initialValues={{ name: '', shared: false }} onFinish={submit}>
          <Form.Item name="name" label={t('views.name')} rules={[{ required: true, whitespace: true, message: t('errors.FIELD_REQUIRED') }, { max: 100 }]}>
            <Input autoFocus maxLength={100} />
          </Form.Item>
          <Form.Item name="shared" valuePropName="checked" style={{ marginBottom: 0 }}>
            <Checkbox data-testid="view-shared">{t('views.shareWithAll')}</Checkbox>
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

/** Memoised: the list re-renders when its rows arrive, and this part shows nothing that depends on them. */
export const SavedViews = memo(SavedViewsView);
