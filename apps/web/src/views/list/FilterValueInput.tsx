import { DatePicker, Input, InputNumber, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { FieldMeta } from '../../api/types.ts';
import { labelOf, useLang } from '../../i18n/index.ts';
import { kindOf, type UiOp } from '../../lib/filter.ts';
import { LinkPicker } from '../../fields/widgets/LinkPicker.tsx';

/** The value part of a filter condition, by field kind: text, number(s), dates, options, a record. */
export function FilterValueInput({ field, op, value, onChange }: { field: FieldMeta; op: UiOp; value: unknown; onChange: (v: unknown) => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const kind = kindOf(field);
  const aria = { 'aria-label': t('filter.value') };

  switch (kind) {
    case 'number': {
      if (op === 'between') {
        const [a, b] = (Array.isArray(value) ? value : []) as string[];
        return (
          <Space.Compact style={{ width: '100%' }}>
            <InputNumber<string> stringMode value={a} onChange={(v) => onChange([v ?? '', b ?? ''])} style={{ width: '50%' }} {...aria} />
            <InputNumber<string> stringMode value={b} onChange={(v) => onChange([a ?? '', v ?? ''])} style={{ width: '50%' }} />
          </Space.Compact>
        );
      }
      return <InputNumber<string> stringMode value={value as string} onChange={(v) => onChange(v ?? '')} style={{ width: '100%' }} addonAfter={field.type === 'percent' ? '%' : undefined} {...aria} />;
    }
    case 'date':
    case 'datetime': {
      const fmt = (d: Dayjs | null, end = false) => (d ? (kind === 'date' ? d.format('YYYY-MM-DD') : (end ? d.endOf('day') : d.startOf('day')).toISOString()) : '');
      if (op === 'between') {
        const [a, b] = (Array.isArray(value) ? value : []) as string[];
        return <DatePicker.RangePicker style={{ width: '100%' }} value={[a ? dayjs(a) : null, b ? dayjs(b) : null]} onChange={(r) => onChange(r ? [fmt(r[0]), fmt(r[1], true)] : [])} />;
      }
      return <DatePicker style={{ width: '100%' }} value={value ? dayjs(value as string) : null} onChange={(d) => onChange(fmt(d, op === 'lte'))} />;
    }
    case 'select':
    case 'multi':
      return (
        <Select mode="multiple" style={{ width: '100%' }} value={(value as string[]) ?? []} onChange={onChange} {...aria}
          options={(field.config.options ?? []).map((o) => ({ value: o.value, label: labelOf(o.label, lang) }))} />
      );
    case 'boolean':
      return <Select style={{ width: '100%' }} value={value as boolean} onChange={onChange} options={[{ value: true, label: t('common.yes') }, { value: false, label: t('common.no') }]} {...aria} />;
    case 'uuid':
      return field.type === 'link' && field.config.target
        ? <LinkPicker target={field.config.target} value={value as string} onChange={(v) => onChange(v ?? '')} />
        : <Input value={value as string} onChange={(e) => onChange(e.target.value)} {...aria} />;
    default:
      return <Input value={value as string} onChange={(e) => onChange(e.target.value)} allowClear {...aria} data-testid="filter-value" />;
  }
}
