import { memo, type ReactNode } from 'react';
import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { FieldMeta, ObjectMeta, RecordData } from '../api/types.ts';
import { labelOf, useLang } from '../i18n/index.ts';
import { formatDate, formatDateTime, formatLookup, formatMoney, formatNumber, formatPercent, isMoneyValue, type Lang } from '../lib/format.ts';
import { titlePath } from './display-paths.ts';
import { addressText, useRegions, type AddressValue } from './regions.ts';

/** A field's value as text, per locale: ¥1,234.50, 2026年11月23日, 13%. */
export function valueText(f: FieldMeta, v: unknown, lang: Lang, t: (k: string) => string): string {
  if (v === null || v === undefined || v === '') return '';
  switch (f.type) {
    case 'integer': case 'rollup': return formatNumber(v, lang);
    case 'decimal': return formatNumber(v, lang, f.config.scale);
    case 'percent': return formatPercent(v, lang);
    case 'money': {
      const m = v as { amount?: unknown; currency?: string };
      return formatMoney(m.amount, m.currency || f.config.defaultCurrency, lang, f.config.scale ?? 2); // else the company's
    }
    case 'boolean': return v ? t('common.yes') : t('common.no');
    case 'date': return formatDate(v, lang);
    case 'datetime': return formatDateTime(v, lang);
    case 'single_select': return optionLabel(f, String(v), lang);
    case 'multi_select': return (v as string[]).map((x) => optionLabel(f, x, lang)).join(', ');
    case 'rich_text': return String(v).replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
    case 'formula': return formulaText(f, v, lang, t);
    case 'lookup': return formatLookup(v, lang);
    case 'attachment': return Array.isArray(v) ? `${v.length}` : '';
    case 'child_table': return Array.isArray(v) ? `${v.length}` : '';
    case 'address': return addressText(v as AddressValue, undefined);
    default: return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

function formulaText(f: FieldMeta, v: unknown, lang: Lang, t: (k: string) => string): string {
  switch (f.config.resultType) {
    case 'number': return formatNumber(v, lang);
    case 'date': return formatDate(v, lang);
    case 'datetime': return formatDateTime(v, lang);
    case 'boolean': return v === true || v === 'true' ? t('common.yes') : t('common.no');
    default: return String(v);
  }
}

export function optionLabel(f: FieldMeta, value: string, lang: Lang): string {
  const o = f.config.options?.find((x) => x.value === value);
  return o ? labelOf(o.label, lang) : value;
}

/** A field's value for a cell or the detail page: links are links, selects are tags. */
// Memoised: a list re-renders its table when it starts loading and when the count or totals arrive, with the
// same row objects; each cell (a dozen per row, each asking i18next for its language) need not render again.
export const FieldValue = memo(function FieldValue({ field: f, record, objects, full }: { field: FieldMeta; record: RecordData; objects: ObjectMeta[]; full?: boolean }) {
  const { t } = useTranslation();
  const lang = useLang();
  const v = record[f.apiName];
  const regions = useRegions(f.type === 'address' && v != null);
  if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return <span className="muted">{t('common.none')}</span>;

  let node: ReactNode;
  switch (f.type) {
    case 'single_select':
    case 'multi_select': {
      const values = f.type === 'single_select' ? [String(v)] : (v as string[]);
      node = values.map((x) => <Tag key={x} color={f.config.options?.find((o) => o.value === x)?.color}>{optionLabel(f, x, lang)}</Tag>);
      break;
    }
    case 'boolean':
      node = <Tag color={v ? 'green' : undefined}>{v ? t('common.yes') : t('common.no')}</Tag>;
      break;
    case 'link': {
      const path = titlePath(f, objects);
      const title = (path && record[path]) || (f.apiName === 'id' ? v : null);
      const target = f.config.target;
      node = target && objects.some((o) => o.apiName === target && !o.isChild) ? <Link to={`/o/${target}/${v}`} onClick={(e) => e.stopPropagation()}>{String(title ?? v)}</Link> : String(title ?? v);
      break;
    }
    case 'user': case 'department': {
      const path = titlePath(f, objects);
      node = String((path && record[path]) || v);
      break;
    }
    case 'email': node = <a href={`mailto:${v}`} onClick={(e) => e.stopPropagation()}>{String(v)}</a>; break;
    case 'phone': node = <a href={`tel:${v}`} onClick={(e) => e.stopPropagation()}>{String(v)}</a>; break;
    case 'url': node = <a href={String(v)} target="_blank" rel="noreferrer noopener" onClick={(e) => e.stopPropagation()}>{String(v)}</a>; break;
    case 'address': node = addressText(v as AddressValue, regions.data?.names); break;
    case 'rich_text':
      // The server sanitises rich text on write (sanitize-html in packages/meta coerce.ts).
      node = full ? <div className="rich-text" dangerouslySetInnerHTML={{ __html: String(v) }} /> : valueText(f, v, lang, t);
      break;
    case 'long_text':
      node = full ? <div style={{ whiteSpace: 'pre-wrap' }}>{String(v)}</div> : <Typography.Text ellipsis style={{ maxWidth: 280 }}>{String(v)}</Typography.Text>;
      break;
    default:
      node = valueText(f, v, lang, t);
  }
  const numeric = ['integer', 'decimal', 'percent', 'money', 'rollup'].includes(f.type) || (f.type === 'formula' && f.config.resultType === 'number') || (f.type === 'lookup' && isMoneyValue(v));
  return numeric ? <span className="num">{node}</span> : <>{node}</>;
});
