import { memo, useState } from 'react';
import { Button, Input, Popover, Select, Space, Tag } from 'antd';
import { FilterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { FieldMeta, ObjectMeta } from '../../api/types.ts';
import { labelOf, useLang } from '../../i18n/index.ts';
import { filterableFields, kindOf, OPS, quickSearchFields, takesValue, type Condition, type UiOp } from '../../lib/filter.ts';
import { valueText } from '../../fields/FieldValue.tsx';
import { FilterValueInput } from './FilterValueInput.tsx';

/** Quick search + conditions built from the fields' types; the list turns them into the filter DSL. */
function FilterBarView({ obj, conditions, quick, onChange, noQuick }: {
  obj: ObjectMeta;
  conditions: Condition[];
  quick: string;
  /** Conditions only (the report builder): no quick search box. */
  noQuick?: boolean;
  onChange: (next: { conditions?: Condition[]; quick?: string }) => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const [open, setOpen] = useState(false);
  const searchable = quickSearchFields(obj);
  const fields = filterableFields(obj);
  const byName = (n: string) => obj.fields.find((f) => f.apiName === n);

  return (
    <div className="filter-bar" data-testid="filter-bar">
      <Space wrap size={[8, 8]}>
        {searchable.length > 0 && !noQuick && (
          <Input.Search
            allowClear
            defaultValue={quick}
            key={quick === '' ? 'empty' : 'q'}
            placeholder={t('list.quickSearch', { field: searchable.map((f) => labelOf(f.label, lang)).join('/') })}
            onSearch={(q) => onChange({ quick: q })}
            style={{ width: 240 }}
            data-testid="quick-search"
          />
        )}
        <Popover
          open={open}
          onOpenChange={setOpen}
          trigger="click"
          placement="bottomLeft"
          destroyOnHidden
          content={<ConditionEditor fields={fields} onApply={(c) => { onChange({ conditions: [...conditions, c] }); setOpen(false); }} />}
        >
          <Button icon={<FilterOutlined />} data-testid="add-filter">{t('filter.add')}</Button>
        </Popover>
        {conditions.map((c, i) => {
          const f = byName(c.field);
          return (
            <Tag key={`${c.field}-${i}`} closable color="blue" onClose={() => onChange({ conditions: conditions.filter((_, j) => j !== i) })} style={{ padding: '4px 8px' }} data-testid="filter-chip">
              {f ? labelOf(f.label, lang) : c.field} {t(`filter.ops.${c.op}`)} {takesValue(c.op) && f ? conditionValueText(f, c.value, lang, t) : ''}
            </Tag>
          );
        })}
        {(conditions.length > 0 || quick) && <Button type="link" onClick={() => onChange({ conditions: [], quick: '' })}>{t('list.clearFilters')}</Button>}
      </Space>
    </div>
  );
}

function conditionValueText(f: FieldMeta, v: unknown, lang: 'zh-CN' | 'en', t: (k: string) => string): string {
  const one = (x: unknown) => (kindOf(f) === 'number' || kindOf(f) === 'text' || kindOf(f) === 'uuid' ? String(x) : valueText(kindOf(f) === 'multi' ? { ...f, type: 'single_select' } : f, x, lang, t));
  return Array.isArray(v) ? v.map(one).join(kindOf(f) === 'number' || kindOf(f) === 'date' || kindOf(f) === 'datetime' ? ' ~ ' : ', ') : one(v);
}

function ConditionEditor({ fields, onApply }: { fields: FieldMeta[]; onApply: (c: Condition) => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [field, setField] = useState<FieldMeta | undefined>(fields[0]);
  const [op, setOp] = useState<UiOp>(field ? OPS[kindOf(field)][0] : 'eq');
  const [value, setValue] = useState<unknown>(undefined);
  const pick = (name: string) => {
    const f = fields.find((x) => x.apiName === name);
    setField(f);
    setOp(f ? OPS[kindOf(f)][0] : 'eq');
    setValue(undefined);
  };
  const apply = () => field && onApply({ field: field.apiName, op, value: takesValue(op) ? value : undefined });

  return (
    <div style={{ width: 300, display: 'grid', gap: 8 }} onKeyDown={(e) => e.key === 'Enter' && apply()} data-testid="condition-editor">
      <Select showSearch optionFilterProp="label" value={field?.apiName} onChange={pick} aria-label={t('filter.field')} data-testid="filter-field"
        options={fields.map((f) => ({ value: f.apiName, label: labelOf(f.label, lang) }))} />
      {field && (
        <Select value={op} onChange={(o) => { setOp(o); setValue(undefined); }} aria-label={t('filter.op')} data-testid="filter-op"
          options={OPS[kindOf(field)].map((o) => ({ value: o, label: t(`filter.ops.${o}`) }))} />
      )}
      {field && takesValue(op) && <FilterValueInput field={field} op={op} value={value} onChange={setValue} />}
      <Button type="primary" onClick={apply} data-testid="filter-apply">{t('filter.apply')}</Button>
    </div>
  );
}

/** Memoised: the list re-renders when its rows arrive, and this part shows nothing that depends on them. */
export const FilterBar = memo(FilterBarView);
