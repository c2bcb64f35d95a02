import { DatePicker, Input, InputNumber, Select, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FieldMeta, ObjectMeta, RecordData } from '../api/types.ts';
import { labelOf, useLang } from '../i18n/index.ts';
import { titlePath } from './display-paths.ts';
import { AddressInput } from './widgets/AddressInput.tsx';
import { AttachmentInput, type FileItem } from './widgets/AttachmentInput.tsx';
import { LinkPicker } from './widgets/LinkPicker.tsx';
import { MoneyInput } from './widgets/MoneyInput.tsx';
import { RichTextInput } from './widgets/RichTextInput.tsx';

/**
 * The input for one field type, without its label: Form.Item passes value and
 * onChange. Numbers are InputNumber in string mode — decimal strings, never floats.
 */
export function FieldControl({ field: f, objects, record, value, onChange, id, ...rest }: {
  field: FieldMeta;
  objects: ObjectMeta[];
  record?: RecordData;
  value?: unknown;
  onChange?: (v: unknown) => void;
  id?: string;
  [k: string]: unknown;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const common = { id, value: value as never, onChange: onChange as never, 'data-field': f.apiName, ...rest };
  switch (f.type) {
    case 'text': return <Input {...common} maxLength={f.config.maxLength ?? 255} onChange={(e) => onChange?.(e.target.value)} />;
    case 'long_text': return <Input.TextArea {...common} autoSize={{ minRows: 3, maxRows: 10 }} onChange={(e) => onChange?.(e.target.value)} />;
    case 'rich_text': return <RichTextInput id={id} value={value as string} onChange={onChange} />;
    case 'email': return <Input {...common} type="email" inputMode="email" onChange={(e) => onChange?.(e.target.value)} />;
    case 'phone': return <Input {...common} type="tel" inputMode="tel" onChange={(e) => onChange?.(e.target.value)} />;
    case 'url': return <Input {...common} type="url" inputMode="url" placeholder="https://" onChange={(e) => onChange?.(e.target.value)} />;
    case 'integer': return <InputNumber<string> {...common} stringMode precision={0} style={{ width: '100%' }} />;
    case 'decimal': return <InputNumber<string> {...common} stringMode style={{ width: '100%' }} />;
    case 'percent': return <InputNumber<string> {...common} stringMode addonAfter="%" style={{ width: '100%' }} />;
    case 'money': return <MoneyInput id={id} value={value as never} onChange={onChange} scale={f.config.scale ?? 2} />;
    case 'boolean': return <Switch id={id} checked={Boolean(value)} onChange={onChange} data-field={f.apiName} />;
    case 'date': return <DatePicker {...common} style={{ width: '100%' }} />;
    case 'datetime': return <DatePicker {...common} showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />;
    case 'single_select':
    case 'multi_select':
      return (
        <Select {...common} allowClear showSearch optionFilterProp="label" mode={f.type === 'multi_select' ? 'multiple' : undefined} style={{ width: '100%' }}
          options={(f.config.options ?? []).map((o) => ({ value: o.value, label: labelOf(o.label, lang) }))} />
      );
    case 'link': {
      const path = titlePath(f, objects);
      return <LinkPicker id={id} target={f.config.target!} value={value as string} onChange={(v) => onChange?.(v)} initialTitle={record && path ? (record[path] as string) : undefined} />;
    }
    case 'address': return <AddressInput id={id} value={value as never} onChange={onChange} />;
    case 'attachment': return <AttachmentInput id={id} value={value as FileItem[]} onChange={onChange} />;
    default: {
      // user, department, image: no picker yet — show the value, keep it unchanged.
      const path = titlePath(f, objects);
      const shown = record && path ? record[path] : value;
      return <Typography.Text type="secondary">{shown ? String(shown) : t('form.notEditable')}</Typography.Text>;
    }
  }
}
