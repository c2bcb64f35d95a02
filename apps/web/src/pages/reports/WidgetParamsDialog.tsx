import { useState } from 'react';
import { Alert, DatePicker, Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { FieldMeta, ObjectMeta } from '../../api/types.ts';
import { errorText } from '../../components/States.tsx';
import { labelOf, useLang } from '../../i18n/index.ts';
import { FilterValueInput } from '../../views/list/FilterValueInput.tsx';
import { paramConditionsOf, paramValues } from './ReportParams.tsx';
import type { ReportParam, SavedReport } from './reports-api.ts';

/**
 * A dashboard widget's report parameters (编辑看板 → 参数): one input per
 * parameter of the report's metadata — the field's own filter widget when the
 * parameter stands in a condition on a field (省份 in …: the field's options),
 * else an input by the parameter's type. The values are saved with the
 * dashboard (widget.params) and applied by the server each time it loads;
 * an empty one drops its condition.
 */
export function WidgetParamsDialog({ report, obj, value, onSave, onClose }: {
  report: SavedReport; obj: ObjectMeta | undefined; value: Record<string, unknown>;
  onSave: (params: Record<string, unknown>) => Promise<void>; onClose: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const [values, setValues] = useState<Record<string, unknown>>(value);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const conds = paramConditionsOf(report.definition.filter);
  const params = report.definition.params ?? [];
  // Closes only once saved; a refused save (a bad value, someone else's change) keeps the values and shows why.
  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      await onSave(paramValues(values));
      onClose();
    } catch (e) {
      setError(errorText(e, t)); // the code's words and the server's reason
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open destroyOnHidden title={t('widgetParams.title', { report: report.name })} onCancel={onClose} onOk={save} confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'widget-params-ok' } as Record<string, string>}>
      <Typography.Paragraph type="secondary">{t('widgetParams.hint')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="widget-params-error" />}
      <Form layout="vertical" data-testid="widget-params">
        {params.map((p) => {
          const cond = conds.find((c) => c.name === p.name);
          const field = cond && obj?.fields.find((f) => f.apiName === cond.field);
          const label = typeof p.label === 'string' ? p.label : p.label ? labelOf(p.label, lang) : field ? labelOf(field.label, lang) : p.name;
          const set = (v: unknown) => setValues((cur) => ({ ...cur, [p.name]: v }));
          return (
            <Form.Item key={p.name} label={cond && field ? `${label} ${t(`filter.ops.${cond.op}`)}` : label} required={p.required} data-testid={`widget-param-${p.name}`}>
              {cond && field
                ? <FilterValueInput field={field} op={cond.op} value={values[p.name]} onChange={set} />
                : <ParamInput param={p} field={field} value={values[p.name]} onChange={set} />}
            </Form.Item>
          );
        })}
      </Form>
    </Modal>
  );
}

/** A parameter not tied to one field's condition (a report period's date, say): an input by its type. */
function ParamInput({ param, value, onChange }: { param: ReportParam; field?: FieldMeta; value: unknown; onChange: (v: unknown) => void }) {
  const { t } = useTranslation();
  switch (param.type) {
    case 'date':
    case 'datetime':
      return <DatePicker value={typeof value === 'string' && value ? dayjs(value) : null} onChange={(d) => onChange(d ? d.format('YYYY-MM-DD') : '')} style={{ width: '100%' }} />;
    case 'number':
      return <InputNumber<string> stringMode value={value as string} onChange={(v) => onChange(v ?? '')} style={{ width: '100%' }} />;
    case 'boolean':
      return <Select allowClear value={value as boolean | undefined} onChange={onChange} options={[{ value: true, label: t('common.yes') }, { value: false, label: t('common.no') }]} />;
    case 'list':
      return <Select mode="tags" value={Array.isArray(value) ? value : []} onChange={onChange} />;
    default:
      return <Input value={(value as string) ?? ''} onChange={(e) => onChange(e.target.value)} />;
  }
}
