import { Button, Select, Space, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { FieldMeta, FilterNode, ObjectMeta } from '../../api/types.ts';
import { labelOf, useLang } from '../../i18n/index.ts';
import { filterableFields, kindOf, OPS, type UiOp } from '../../lib/filter.ts';
import { FilterValueInput } from '../../views/list/FilterValueInput.tsx';
import type { ReportParam } from './reports-api.ts';

/**
 * Report parameters (报表参数): a condition whose value the viewer fills in.
 * Each becomes a definition param and a filter node {"field","op","value":{"var":"$param.<name>"}};
 * an empty value drops its condition (the server's report.params.ts), so a report with
 * nothing filled in shows everything.
 */
export interface ParamCondition {
  name: string;
  field: string;
  op: UiOp;
}

const PARAM_OPS: UiOp[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'contains', 'startsWith', 'in'];

export function paramOps(f: FieldMeta): UiOp[] {
  return OPS[kindOf(f)].filter((op) => PARAM_OPS.includes(op));
}

function paramType(f: FieldMeta, op: UiOp): ReportParam['type'] {
  if (op === 'in') return 'list';
  switch (kindOf(f)) {
    case 'number': return 'number';
    case 'date': return 'date';
    case 'datetime': return 'datetime';
    case 'uuid': return 'uuid';
    case 'boolean': return 'boolean';
    default: return 'text';
  }
}

/** The definition's params and filter nodes for the designer's parameter conditions. */
export function paramDefinition(obj: ObjectMeta, conds: ParamCondition[]): { params: ReportParam[]; nodes: FilterNode[] } {
  const ok = conds.filter((c) => obj.fields.some((f) => f.apiName === c.field));
  return {
    params: ok.map((c) => {
      const f = obj.fields.find((x) => x.apiName === c.field)!;
      return { name: c.name, type: paramType(f, c.op), label: f.label };
    }),
    nodes: ok.map((c) => ({ field: c.field, op: c.op, value: { var: `$param.${c.name}` } })),
  };
}

/** The parameter conditions back from a saved definition's filter (an AND of nodes, as the builder saves it). */
export function paramConditionsOf(filter: unknown): ParamCondition[] {
  const parts = filter && typeof filter === 'object' && 'and' in filter ? (filter as { and: unknown[] }).and : filter ? [filter] : [];
  return parts.flatMap((p) => {
    const n = p as { field?: string; op?: UiOp; value?: { var?: unknown } };
    const v = n?.value?.var;
    return typeof v === 'string' && v.startsWith('$param.') && n.field && n.op ? [{ name: v.slice(7), field: n.field, op: n.op }] : [];
  });
}

export const isParamNode = (p: unknown) => paramConditionsOf(p).length > 0;

/** In the designer: which conditions the viewer fills in. */
export function ParamDesigner({ obj, value, onChange }: { obj: ObjectMeta; value: ParamCondition[]; onChange: (v: ParamCondition[]) => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const fields = filterableFields(obj).filter((f) => paramOps(f).length > 0);
  const add = () => {
    const f = fields[0];
    if (!f) return;
    onChange([...value, { name: freeName(f.apiName, value), field: f.apiName, op: paramOps(f)[0] }]);
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {value.map((c, i) => {
        const f = obj.fields.find((x) => x.apiName === c.field);
        return (
          <Space key={c.name} data-testid="report-param">
            <Select style={{ width: 130 }} value={c.field} showSearch optionFilterProp="label" data-testid="param-field"
              options={fields.map((x) => ({ value: x.apiName, label: labelOf(x.label, lang) }))}
              onChange={(field) => {
                const nf = obj.fields.find((x) => x.apiName === field)!;
                onChange(value.map((x, j) => (j === i ? { name: freeName(field, value.filter((_, k) => k !== i)), field, op: paramOps(nf)[0] } : x)));
              }} />
            {f && <Select style={{ width: 110 }} value={c.op} data-testid="param-op" options={paramOps(f).map((op) => ({ value: op, label: t(`filter.ops.${op}`) }))}
              onChange={(op) => onChange(value.map((x, j) => (j === i ? { ...x, op } : x)))} />}
            <MinusCircleOutlined onClick={() => onChange(value.filter((_, j) => j !== i))} aria-label={t('common.delete')} />
          </Space>
        );
      })}
      <Button size="small" icon={<PlusOutlined />} onClick={add} disabled={!fields.length} data-testid="add-param">{t('reportParams.add')}</Button>
      {value.length > 0 && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('reportParams.hint')}</Typography.Text>}
    </Space>
  );
}

function freeName(field: string, taken: ParamCondition[]): string {
  const base = `p_${field}`.slice(0, 36);
  let name = base;
  for (let i = 2; taken.some((c) => c.name === name); i++) name = `${base}_${i}`;
  return name;
}

/** Above the result: the viewer's values for the report's parameters. */
export function ParamBar({ obj, conds, values, onChange }: { obj: ObjectMeta; conds: ParamCondition[]; values: Record<string, unknown>; onChange: (v: Record<string, unknown>) => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  if (!conds.length) return null;
  return (
    <Space wrap style={{ marginBottom: 12 }} data-testid="param-bar">
      {conds.map((c) => {
        const f = obj.fields.find((x) => x.apiName === c.field);
        if (!f) return null;
        return (
          <Space key={c.name} size={4} data-testid={`param-${c.name}`}>
            <span>{labelOf(f.label, lang)} {t(`filter.ops.${c.op}`)}</span>
            <div style={{ minWidth: 160 }}>
              <FilterValueInput field={f} op={c.op} value={values[c.name]} onChange={(v) => onChange({ ...values, [c.name]: v })} />
            </div>
          </Space>
        );
      })}
    </Space>
  );
}

/** The values to send: empty ones left out (their conditions then drop). */
export function paramValues(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)));
}
