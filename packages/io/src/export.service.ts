import type { Readable } from 'node:stream';
import { linkTarget, moneyBehind, resolvePath, type FieldMeta, type ObjectMeta } from '@mosaic/meta';
import { listRecords, readableObject, requireRight, type ListRequest, type RecordsCtx } from '@mosaic/records';
import { currencyCell, valueToCell, type OutCell, type ValueStyle } from './export-values.ts';
import { csvStream, xlsxStream } from './export-writer.ts';
import { currencyHeader } from './mapping.ts';

export type ExportFormat = 'csv' | 'xlsx';

export interface ExportRequest {
  format: ExportFormat;
  lang: 'zh' | 'en';
  /** The list's filter, sort and fields, as GET /api/v1/records/{object} takes them. */
  list: ListRequest;
}

export interface ExportFile {
  fileName: string;
  asciiName: string;
  contentType: string;
  stream: Readable;
}

interface ExportColumn {
  header: string;
  path: string;
  field: FieldMeta;
  part: 'value' | 'currency';
  /** For links: the path of the linked record's title, exported instead of its id. */
  titlePath?: string;
}

export const EXPORT_PAGE_ROWS = 500;

/**
 * GET /api/v1/export/{object}?format=xlsx&filter=…&sort=…&fields=…
 * The list goes through the records service exactly as the list endpoint does
 * (same guard, record scope "export", same filter compiler), paged by keyset
 * cursor 500 rows at a time and streamed out. The first page is read before
 * anything is sent, so a bad filter is still a clean 4xx.
 */
export async function exportList(ctx: RecordsCtx, object: string, req: ExportRequest): Promise<ExportFile> {
  const { objects, obj } = await readableObject(ctx, object, 'read');
  requireRight(ctx, obj, 'export');
  const columns = exportColumns(ctx, objects, obj, req.list.fields, req.lang);
  const paths = [...new Set(columns.flatMap((c) => (c.titlePath ? [c.path, c.titlePath] : [c.path])))];
  const base: ListRequest = { filter: req.list.filter, sort: req.list.sort, fields: paths, pageSize: EXPORT_PAGE_ROWS, total: false };
  const first = await listRecords(ctx, object, base, 'export');
  const style: ValueStyle = { lang: req.lang, timeZone: ctx.guard.actor.timeZone, numbers: req.format === 'xlsx' };
  const toCells = (r: Record<string, unknown>): OutCell[] =>
    columns.map((c) => (c.part === 'currency' ? currencyCell(r[c.path]) : valueToCell(r[c.path], c.field, style, c.titlePath ? r[c.titlePath] : undefined)));
  async function* pages() {
    let page = first;
    yield page.data.map(toCells);
    while (page.nextCursor) {
      page = await listRecords(ctx, object, { ...base, cursor: page.nextCursor }, 'export');
      yield page.data.map(toCells);
    }
  }
  const label = req.lang === 'en' ? (obj.label.en ?? obj.label.zh) : obj.label.zh;
  const header = columns.map((c) => c.header);
  return {
    fileName: `${label}.${req.format}`,
    asciiName: `${obj.apiName}.${req.format}`,
    contentType: req.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    stream: req.format === 'csv' ? csvStream(header, pages()) : xlsxStream(label, header, pages()),
  };
}

/** The columns: the requested paths, or id and every readable data field; money (a money field, or a lookup of one) adds a currency column. */
function exportColumns(ctx: RecordsCtx, objects: Map<string, ObjectMeta>, obj: ObjectMeta, fields: string[] | undefined, lang: 'zh' | 'en'): ExportColumn[] {
  const paths = fields?.length
    ? fields
    : ['id', ...obj.fields.filter((f) => !f.archived && !f.system && f.type !== 'child_table' && ctx.guard.canReadField(obj, f)).map((f) => f.apiName)];
  const out: ExportColumn[] = [];
  for (const path of paths) {
    const r = resolvePath(objects, obj, path);
    const labelOf = (f: FieldMeta) => (lang === 'en' ? (f.label.en ?? f.label.zh) : f.label.zh);
    const header = [...r.links.map((l) => labelOf(l.field)), labelOf(r.field)].join('.');
    // A lookup of a money field is read as money ({ amount, currency }): its amount a number, its currency beside it.
    const money = moneyBehind(objects, obj, path);
    out.push({ header, path, field: money ?? r.field, part: 'value', titlePath: titlePathOf(ctx, objects, r.field, path) });
    if (money) out.push({ header: currencyHeader(r.field.label, lang).replace(labelOf(r.field), header), path, field: r.field, part: 'currency' });
  }
  return out;
}

/** A link's title path (customer → customer.name) when the user may read it; else the id is exported. */
function titlePathOf(ctx: RecordsCtx, objects: Map<string, ObjectMeta>, field: FieldMeta, path: string): string | undefined {
  if (path === 'id' || !['link', 'user', 'department'].includes(field.type)) return undefined;
  const target = linkTarget(objects, field);
  if (!target || path.split('.').length >= 4) return undefined;
  const title = target.fields.find((f) => f.apiName === target.titleField);
  if (!title) return undefined;
  if (!target.id.startsWith('system.') && (!ctx.guard.can(target, 'read') || !ctx.guard.canReadField(target, title))) return undefined;
  return `${path}.${target.titleField}`;
}
