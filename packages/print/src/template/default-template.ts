import { AppError } from '@mosaic/kernel';
import type { ObjectMeta } from '@mosaic/meta';
import { readableObject, type RecordsCtx } from '@mosaic/records';
import { BUILTIN_TEMPLATES } from './builtin-templates.data.ts';
import { genericTemplate } from './generic-template.ts';
import { checkTemplateBodyOrThrow } from './template.check.ts';
import { ZPrintTemplateBody, type TPrintTemplateBody, type TPrintTemplateInput } from './template.schema.ts';

/** Built-in templates other modules bring for their own objects (报价单 from crm, 工资条 from hr), beside the selling ones of BUILTIN_TEMPLATES. */
const moduleTemplates = new Map<string, TPrintTemplateInput>();

/**
 * A module's built-in template for one of its objects, registered in its `register()`: what the
 * object prints with until a company saves its own. Parsed now, so a broken one fails at start-up.
 */
export function registerBuiltinTemplate(object: string, body: TPrintTemplateInput): void {
  ZPrintTemplateBody.parse(body);
  moduleTemplates.set(object, body);
}

/** The object's built-in template if it has one that still fits its fields, else the generic one from its metadata. */
export function builtinOrGenericTemplate(objects: Map<string, ObjectMeta>, obj: ObjectMeta): { body: TPrintTemplateBody; name: 'built-in' | 'generic' } {
  const builtin = BUILTIN_TEMPLATES[obj.apiName] ?? moduleTemplates.get(obj.apiName);
  if (builtin) {
    const body = ZPrintTemplateBody.parse(builtin);
    try {
      checkTemplateBodyOrThrow(objects, obj, body);
      return { body, name: 'built-in' };
    } catch {
      // The object changed under its built-in template (a field renamed): the generic one still fits.
    }
  }
  return { body: genericTemplate(objects, obj), name: 'generic' };
}

/**
 * The object, if the caller may read it (else 404 as the records API) and print it (else 403,
 * details { object, action: 'print' } as @mosaic/records' requireRight). Not requireRight itself on
 * purpose: the print button shows this message as it comes ("You may not print 销售发票 (sales_invoice)."),
 * so it names the object by its label, which the user knows, beside its API name.
 */
export async function printableObject(ctx: RecordsCtx, object: string): Promise<{ objects: Map<string, ObjectMeta>; obj: ObjectMeta }> {
  const found = await readableObject(ctx, object, 'read');
  const { obj } = found;
  if (!ctx.guard.can(obj, 'print')) throw new AppError('FORBIDDEN', `You may not print ${obj.label.zh} (${obj.apiName}).`, { details: { object: obj.apiName, action: 'print' } });
  return found;
}

/** GET /api/v1/print-templates/default/{object}: what the object prints with when nothing is saved — the start of a new template. */
export async function defaultTemplateOf(ctx: RecordsCtx, object: string): Promise<{ object: string; name: string; body: TPrintTemplateBody }> {
  const { objects, obj } = await printableObject(ctx, object);
  return { object: obj.apiName, ...builtinOrGenericTemplate(objects, obj) };
}
