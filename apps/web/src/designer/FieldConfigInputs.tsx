import { Button, Form, Input, InputNumber, Select, Space } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { FieldType, ObjectMeta } from '../api/types.ts';
import { labelOf, useLang } from '../i18n/index.ts';
import { FormulaEditor } from './FormulaEditor.tsx';

/** The settings a field type has (registry.ts / meta.schemas.ts ZFieldConfig), as form items under `config`. */
export function FieldConfigInputs({ type, obj, objects, editing }: { type: FieldType; obj: ObjectMeta; objects: ObjectMeta[]; editing: boolean }) {
  const { t } = useTranslation();
  const lang = useLang();
  const objectOptions = (filter: (o: ObjectMeta) => boolean) => objects.filter(filter).map((o) => ({ value: o.apiName, label: `${labelOf(o.label, lang)} · ${o.apiName}` }));
  const num = (name: string, label: string, min = 0, max = 38) => (
    <Form.Item name={['config', name]} label={label} style={{ flex: 1 }}><InputNumber min={min} max={max} style={{ width: '100%' }} /></Form.Item>
  );

  switch (type) {
    case 'text':
      return num('maxLength', t('designer.maxLength'), 1, 1_000_000);
    case 'decimal': case 'percent':
      return <Space style={{ display: 'flex' }}>{num('precision', t('designer.precision'), 1)}{num('scale', t('designer.scale'), 0, 12)}</Space>;
    case 'money':
      return (
        <Space style={{ display: 'flex' }}>
          <Form.Item name={['config', 'defaultCurrency']} label={t('designer.defaultCurrency')} style={{ flex: 1 }}>
            <Select allowClear options={['CNY', 'USD', 'EUR', 'HKD', 'JPY', 'GBP'].map((c) => ({ value: c, label: c }))} />
          </Form.Item>
          {num('scale', t('designer.scale'), 0, 12)}
        </Space>
      );
    case 'single_select': case 'multi_select':
      return <OptionsEditor />;
    case 'link':
      return (
        <Form.Item name={['config', 'target']} label={t('designer.target')} rules={[{ required: true, message: t('errors.FIELD_REQUIRED') }]}>
          <Select showSearch optionFilterProp="label" disabled={editing} options={objectOptions((o) => !o.isChild)} data-testid="link-target" />
        </Form.Item>
      );
    case 'child_table':
      return (
        <Form.Item name={['config', 'target']} label={t('designer.target')} rules={[{ required: true, message: t('errors.FIELD_REQUIRED') }]}>
          <Select disabled={editing} options={objectOptions((o) => o.isChild && (!o.parentObject || o.parentObject === obj.apiName))} />
        </Form.Item>
      );
    case 'auto_number':
      return <Form.Item name={['config', 'pattern']} label={t('designer.pattern')} extra={t('designer.patternHint')} rules={[{ required: true, message: t('errors.FIELD_REQUIRED') }]}><Input placeholder="EQ-{YYYY}-{#####}" /></Form.Item>;
    case 'formula':
      return (
        <>
          <Form.Item name={['config', 'formula']} label={t('designer.formula')} rules={[{ required: true, message: t('errors.FIELD_REQUIRED') }]}>
            <FormulaEditor obj={obj} />
          </Form.Item>
          <Form.Item name={['config', 'resultType']} label={t('designer.resultType')}>
            <Select allowClear placeholder={t('designer.auto')} options={['number', 'text', 'date', 'datetime', 'boolean'].map((s) => ({ value: s, label: t(`scalar.${s}`) }))} />
          </Form.Item>
        </>
      );
    case 'rollup':
      return <RollupInputs obj={obj} objects={objects} />;
    case 'lookup': {
      const links = obj.fields.filter((f) => f.type === 'link' && !f.system);
      return (
        <Space style={{ display: 'flex' }}>
          <Form.Item name={['config', 'lookup', 'link']} label={t('designer.lookupLink')} style={{ flex: 1 }} rules={[{ required: true }]}>
            <Select options={links.map((f) => ({ value: f.apiName, label: labelOf(f.label, lang) }))} />
          </Form.Item>
          <Form.Item name={['config', 'lookup', 'field']} label={t('designer.lookupField')} style={{ flex: 1 }} rules={[{ required: true }]}>
            <Input placeholder="name" />
          </Form.Item>
        </Space>
      );
    }
    default:
      return null;
  }
}

function OptionsEditor() {
  const { t } = useTranslation();
  return (
    <Form.Item label={t('designer.options')} required>
      <Form.List name="options" rules={[{ validator: (_, v) => (v?.length ? Promise.resolve() : Promise.reject(new Error(t('errors.FIELD_REQUIRED')))) }]}>
        {(items, { add, remove }, { errors }) => (
          <>
            {items.map((item) => (
              <Space key={item.key} align="start" style={{ display: 'flex' }}>
                <Form.Item name={[item.name, 'zh']} rules={[{ required: true, message: t('errors.FIELD_REQUIRED') }]} style={{ marginBottom: 8 }}><Input placeholder={t('designer.optionLabel')} /></Form.Item>
                <Form.Item name={[item.name, 'en']} style={{ marginBottom: 8 }}><Input placeholder="English" /></Form.Item>
                <Form.Item name={[item.name, 'value']} rules={[{ required: true, message: t('errors.FIELD_REQUIRED') }]} style={{ marginBottom: 8 }}><Input placeholder={t('designer.optionValue')} style={{ fontFamily: 'monospace' }} /></Form.Item>
                <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(item.name)} aria-label={t('common.delete')} />
              </Space>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} data-testid="add-option">{t('designer.addOption')}</Button>
            <Form.ErrorList errors={errors} />
          </>
        )}
      </Form.List>
    </Form.Item>
  );
}

function RollupInputs({ obj, objects }: { obj: ObjectMeta; objects: ObjectMeta[] }) {
  const { t } = useTranslation();
  const lang = useLang();
  const relation = Form.useWatch(['config', 'rollup', 'relation']) as string | undefined;
  // Child tables of this object, and other objects' links to it ("sales_order:customer").
  const sources = [
    ...obj.fields.filter((f) => f.type === 'child_table' && !f.archived).map((f) => ({ value: f.apiName, label: labelOf(f.label, lang), target: f.config.target })),
    ...objects.filter((o) => !o.isChild).flatMap((o) => o.fields.filter((f) => f.type === 'link' && !f.system && f.config.target === obj.apiName)
      .map((f) => ({ value: `${o.apiName}:${f.apiName}`, label: `${labelOf(o.label, lang)} (${labelOf(f.label, lang)})`, target: o.apiName }))),
  ];
  const source = objects.find((o) => o.apiName === sources.find((s) => s.value === relation)?.target);
  const numeric = source?.fields.filter((f) => ['integer', 'decimal', 'money', 'percent', 'formula', 'rollup'].includes(f.type)) ?? [];
  return (
    <>
      <Form.Item name={['config', 'rollup', 'relation']} label={t('designer.rollupRelation')} rules={[{ required: true }]}>
        <Select options={sources.map(({ value, label }) => ({ value, label }))} />
      </Form.Item>
      <Space style={{ display: 'flex' }}>
        <Form.Item name={['config', 'rollup', 'fn']} label={t('designer.rollupFn')} style={{ flex: 1 }} rules={[{ required: true }]} initialValue="sum">
          <Select options={['sum', 'count', 'min', 'max', 'avg'].map((v) => ({ value: v, label: v.toUpperCase() }))} />
        </Form.Item>
        <Form.Item name={['config', 'rollup', 'field']} label={t('designer.rollupField')} style={{ flex: 1 }}>
          <Select allowClear options={numeric.map((f) => ({ value: f.apiName, label: labelOf(f.label, lang) }))} />
        </Form.Item>
      </Space>
    </>
  );
}
