import { useState } from 'react';
import { Button, Modal, Tooltip, Typography } from 'antd';
import { FilterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ObjectMeta } from '../../api/types.ts';
import { buildFilter, type Condition } from '../../lib/filter.ts';
import { FilterBar } from '../../views/list/FilterBar.tsx';

/** object → action → the filter of a "custom filter" scope (the filter DSL; packages/access applies it to every read and write). */
export type Filters = Record<string, Record<string, unknown>>;

/** The conditions of a filter the bar can show: one condition, or an AND of them; null when it is more than that. */
function conditionsOf(filter: unknown): Condition[] | null {
  if (!filter) return [];
  const parts = typeof filter === 'object' && 'and' in (filter as object) ? (filter as { and: unknown[] }).and : [filter];
  const out: Condition[] = [];
  for (const p of parts) {
    const c = p as Partial<Condition> & { value?: unknown };
    if (!c || typeof c !== 'object' || typeof c.field !== 'string' || typeof c.op !== 'string') return null;
    if (c.value && typeof c.value === 'object' && !Array.isArray(c.value)) return null; // a variable ($user…): made through the API
    out.push(c as Condition);
  }
  return out;
}

/**
 * The button beside a matrix cell whose scope is 自定义条件: the records the role
 * may act on are those matching conditions built like a list filter
 * (e.g. 省份 = 广东 and 金额 < 10,000).
 */
export function ScopeFilterButton({ obj, action, filter, onChange }: { obj: ObjectMeta; action: string; filter: unknown; onChange: (f: unknown) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const initial = conditionsOf(filter);
  const [conditions, setConditions] = useState<Condition[]>(initial ?? []);
  const count = initial?.length ?? 0;
  return (
    <>
      <Tooltip title={filter ? t('scopeFilter.edit') : t('scopeFilter.missingShort')}>
        <Button size="small" type="link" danger={!filter} icon={<FilterOutlined />} onClick={() => { setConditions(conditionsOf(filter) ?? []); setOpen(true); }}
          data-testid={`perm-filter-${obj.apiName}-${action}`}>{filter ? (initial === null ? 'API' : count) : '!'}</Button>
      </Tooltip>
      {open && (
        <Modal open width={720} title={t('scopeFilter.title')} onCancel={() => setOpen(false)} destroyOnHidden
          onOk={() => { onChange(buildFilter(obj, conditions, '') ?? undefined); setOpen(false); }} okButtonProps={{ 'data-testid': 'scope-filter-ok' } as Record<string, string>}>
          {initial === null && <Typography.Paragraph type="warning">{t('scopeFilter.apiMade')}</Typography.Paragraph>}
          <Typography.Paragraph type="secondary">{t('scopeFilter.hint')}</Typography.Paragraph>
          <div data-testid="scope-filter">
            <FilterBar obj={obj} conditions={conditions} quick="" noQuick onChange={(p) => setConditions(p.conditions ?? conditions)} />
          </div>
        </Modal>
      )}
    </>
  );
}
