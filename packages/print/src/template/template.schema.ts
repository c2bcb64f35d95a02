import { z } from 'zod';

/**
 * The print template language (ADR 0007): a document laid out as data. Every
 * string may carry placeholders `{{path|filter}}` (see placeholders.ts); nothing
 * else is interpreted — no expressions, no HTML, no eval.
 *
 *   { "title": "销售发票", "header": [{ "label": "客户", "value": "{{customer}}" }],
 *     "table": { "source": "lines", "columns": [{ "label": "数量", "value": "{{qty|number}}", "align": "right" }] },
 *     "totals": [{ "label": "合计（大写）", "value": "{{grand_total|capital}}" }] }
 */
const text = z.string().max(500);
const label = z.string().max(100);

export const ZPrintField = z.strictObject({ label, value: text });

export const ZPrintColumn = z.strictObject({
  label,
  value: text,
  /** Points, '*' (share the rest) or 'auto' (fit the content). */
  width: z.union([z.literal('*'), z.literal('auto'), z.number().int().min(10).max(800)]).optional(),
  align: z.enum(['left', 'center', 'right']).optional(),
});

export const ZPrintTemplateBody = z.strictObject({
  /** Company name, address, tax id and logo at the top of the first page. */
  letterhead: z.boolean().default(true),
  title: text,
  subtitle: text.optional(),
  /** Label–value pairs under the title, `headerColumns` pairs to a row. */
  header: z.array(ZPrintField).max(40).default([]),
  headerColumns: z.number().int().min(1).max(4).default(2),
  /** One child table of the document (its API field name) and the columns to print of each row. */
  table: z.strictObject({ source: z.string().max(64), columns: z.array(ZPrintColumn).min(1).max(20) }).optional(),
  /** Label–value pairs under the table, right-aligned. */
  totals: z.array(ZPrintField).max(20).default([]),
  /** Free lines at the end (terms, bank details). */
  footer: z.array(text).max(20).default([]),
  /** Signature boxes at the very end: 制单、审核、收货人… */
  signatures: z.array(label).max(6).default([]),
  pageSize: z.enum(['A4', 'A5', 'LETTER']).default('A4'),
  orientation: z.enum(['portrait', 'landscape']).default('portrait'),
});

export type TPrintTemplateBody = z.infer<typeof ZPrintTemplateBody>;
export type TPrintTemplateInput = z.input<typeof ZPrintTemplateBody>;
