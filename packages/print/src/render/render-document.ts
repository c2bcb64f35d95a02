import { AppError, isUuid } from '@mosaic/kernel';
import { auditAdmin } from '@mosaic/access';
import { inTenantTx, sql } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { getRecord, listRecords, type RecordsCtx } from '@mosaic/records';
import { renderPdf } from '../pdf/pdf-engine.ts';
import { builtinOrGenericTemplate, printableObject } from '../template/default-template.ts';
import { checkTemplateBodyOrThrow, childObjectOrThrow } from '../template/template.check.ts';
import { ZPrintTemplateBody, type TPrintTemplateBody } from '../template/template.schema.ts';
import { getPrintTemplateOrThrow } from '../template/templates.service.ts';
import { layoutDocument } from './layout.ts';
import { currencyName, currencySign, documentCurrency } from './currency-sign.ts';
import { loadLetterhead } from './letterhead.ts';
import { loadLinkedRecords, placeholdersOfBody, printedAt, recordScope } from './print-data.ts';

/** A records context; `dataDir` is where uploaded files (the logo) live, default MOSAIC_DATA_DIR. */
export interface PrintCtx extends RecordsCtx {
  dataDir?: string;
}

export interface PrintedDocument {
  pdf: Buffer;
  /** "销售发票-SI-2026-00001.pdf" */
  fileName: string;
  /** The template used: a saved one's name, "built-in" or "generic". */
  template: string;
}

/**
 * One record as a PDF, with a saved template (`templateId`), else the object's
 * default for the record's company, else the built-in or the generic template.
 * Everything goes through the records layer as the caller: a record they may
 * not read is a 404, an object they may not print a 403, a field they may not
 * read prints as empty. The letterhead is the record's company's.
 *
 *   const { pdf } = await renderDocumentPdf(ctx, 'sales_invoice', invoiceId);
 *   // GET /api/v1/records/sales_invoice/{id}/print?template={templateId} serves the same bytes
 */
export async function renderDocumentPdf(ctx: PrintCtx, object: string, id: string, templateId?: string): Promise<PrintedDocument> {
  const { objects, obj } = await printableObject(ctx, object);
  const record = await recordInPrintScopeOrThrow(ctx, obj, id);
  const companyId = (record.company_id as string | null) ?? ctx.guard.actor.companyId;
  const { body, name } = await chooseTemplate(ctx, objects, obj, companyId, templateId);

  const child = body.table ? childObjectOrThrow(objects, obj, body.table.source) : null;
  const rows = body.table && Array.isArray(record[body.table.source]) ? (record[body.table.source] as Record<string, unknown>[]) : [];
  const used = placeholdersOfBody(body);
  const linked = await loadLinkedRecords(ctx, objects, [
    { obj, placeholders: used.doc, rows: [record] },
    ...(child ? [{ obj: child, placeholders: used.row, rows }] : []),
  ]);
  const { company, letterhead } = await loadLetterhead(ctx, companyId);

  const tz = ctx.guard.actor.timeZone;
  const variables: Record<string, string> = {
    '$company.name': company?.name ?? '', '$company.address': company?.address ?? '', '$company.phone': company?.phone ?? '',
    '$company.tax_id': company?.taxId ?? '', '$company.bank_name': company?.bankName ?? '', '$company.bank_account': company?.bankAccount ?? '',
    '$object.label': obj.label.zh, '$printed_at': printedAt(tz),
  };
  const home = company?.currency ?? 'CNY';
  const currency = documentCurrency(obj, record, home);
  variables.$currency = currency ? currencySign(currency, home) : '';
  variables['$currency.name'] = currency ? currencyName(currency) : '';
  const doc = recordScope(objects, obj, record, linked, variables, tz, currency);
  const rowScopes = child ? rows.map((row, i) => recordScope(objects, child, row, linked, { ...variables, '$row.no': String(i + 1) }, tz, currency)) : [];
  const pdf = await renderPdf(layoutDocument(body, doc, rowScopes, letterhead));
  const number = doc.value([obj.titleField]) || id;
  // Who printed which document with which template (打印记录): printing is handing data out, like an export.
  await inTenantTx(ctx.db.app, { tenantId: ctx.guard.actor.tenantId, userId: ctx.guard.actor.userId }, (tx) =>
    auditAdmin(tx, ctx.guard.actor, 'record.print', { object: obj.apiName, id }, null, { template: name, bytes: pdf.length }));
  return { pdf, fileName: `${obj.label.zh}-${number}.pdf`.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_'), template: name };
}

/** The record as the caller reads it, if it is also inside their `print` record scope (else 404, like a missing one). */
async function recordInPrintScopeOrThrow(ctx: RecordsCtx, obj: ObjectMeta, id: string): Promise<Record<string, unknown>> {
  const missing = () => new AppError('RECORD_NOT_FOUND', `No ${obj.apiName} with id ${String(id).slice(0, 40)}.`);
  if (!isUuid(id)) throw missing();
  const inScope = await listRecords(ctx, obj.apiName, { filter: { field: 'id', op: 'eq', value: id }, fields: ['id'], pageSize: 1, total: false }, 'print');
  if (!inScope.data.length) throw missing();
  return getRecord(ctx, obj.apiName, id);
}

async function chooseTemplate(ctx: RecordsCtx, objects: Map<string, ObjectMeta>, obj: ObjectMeta, companyId: string | null, templateId?: string): Promise<{ body: TPrintTemplateBody; name: string }> {
  if (templateId) {
    const t = await getPrintTemplateOrThrow(ctx, templateId);
    if (t.object !== obj.apiName) throw new AppError('FIELD_INVALID', `template: "${t.name}" prints ${t.object}, not ${obj.apiName}`, { field: 'template' });
    if (t.companyId && companyId && t.companyId !== companyId) throw new AppError('FIELD_INVALID', `template: "${t.name}" belongs to another company`, { field: 'template' });
    return { body: checkedOrThrow(objects, obj, t.body, t.name), name: t.name };
  }
  const a = ctx.guard.actor;
  const saved = await inTenantTx(ctx.db.app, { tenantId: a.tenantId, userId: a.userId }, (tx) => sql<{ name: string; body: unknown }>`
    SELECT name, body FROM print_template WHERE object = ${obj.apiName} AND is_default AND (company_id IS NULL OR company_id = ${companyId}::uuid)
    ORDER BY company_id NULLS LAST LIMIT 1`.execute(tx));
  if (saved.rows[0]) return { body: checkedOrThrow(objects, obj, ZPrintTemplateBody.parse(saved.rows[0].body), saved.rows[0].name), name: saved.rows[0].name };
  return builtinOrGenericTemplate(objects, obj);
}

/** A saved template is checked again at print time: the object's fields may have changed since it was saved. */
function checkedOrThrow(objects: Map<string, ObjectMeta>, obj: ObjectMeta, body: TPrintTemplateBody, name: string): TPrintTemplateBody {
  try {
    checkTemplateBodyOrThrow(objects, obj, body);
    return body;
  } catch (e) {
    if (e instanceof AppError) throw new AppError('FIELD_INVALID', `template "${name}" no longer fits ${obj.apiName}: ${e.message}`, { field: 'template' });
    throw e;
  }
}
