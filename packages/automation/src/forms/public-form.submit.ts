import { sql } from 'kysely';
import { AppError, isUuid } from '@mosaic/kernel';
import { inTenantTx, type Database, type Tx } from '@mosaic/db';
import { systemGuard } from '@mosaic/access';
import { fieldOf, type MetaStore } from '@mosaic/meta';
import { createRecords } from '@mosaic/records';
import { SYSTEM_USER_ID } from '../automation.types.ts';
import { tenantFacts } from '../rules/rule.store.ts';
import { formOrThrow, type FormRow } from './public-form.service.ts';

interface Deps {
  db: Database;
  store: MetaStore;
}

/** The tenant a public id (form or hook) belongs to, through the SECURITY DEFINER registry. */
export async function tenantOfEndpoint(db: Database, id: string, kind: 'form' | 'hook'): Promise<string> {
  const tenant = isUuid(id) ? (await sql<{ t: string | null }>`SELECT mosaic_public_endpoint_lookup(${id}::uuid, ${kind}) AS t`.execute(db.app)).rows[0]?.t : null;
  if (!tenant) throw new AppError('NOT_FOUND', kind === 'form' ? 'No such form.' : 'No such hook.');
  return tenant;
}

/**
 * GET /f/<id>: what a page needs to draw the form — title, fields with their
 * types, labels and options — and values prefilled from the URL query for the
 * fields the form allows (`?source=wechat`).
 */
export async function publicFormDefinition(deps: Deps, id: string, query: Record<string, unknown>) {
  const tenantId = await tenantOfEndpoint(deps.db, id, 'form');
  const form = await inTenantTx(deps.db.app, { tenantId }, (t) => enabledForm(t, id));
  const obj = await deps.store.object(tenantId, form.object);
  if (!obj) throw new AppError('NOT_FOUND', 'No such form.');
  return {
    id: form.id, title: form.title, description: form.description, successMessage: form.success_message,
    fields: form.fields.map((x) => {
      const f = fieldOf(obj, x.field)!;
      const prefilled = form.prefill.includes(x.field) && typeof query[x.field] === 'string' ? String(query[x.field]).slice(0, 1000) : undefined;
      return { field: x.field, type: f.type, label: x.label ?? f.label.zh, labelEn: f.label.en, required: x.required ?? f.required, options: f.config.options, value: prefilled };
    }),
  };
}

/**
 * POST /f/<id>: creates the record as the system (rules then fire: the event
 * carries cause {source: "public_form"}). Only the form's fields are taken;
 * the form's defaults fill the rest. One IP may submit `rate_limit` times a
 * minute, counted in the database so every server process shares the count.
 */
export async function submitPublicForm(deps: Deps, id: string, body: unknown, ip: string): Promise<{ id: string; message: string }> {
  const tenantId = await tenantOfEndpoint(deps.db, id, 'form');
  const form = await inTenantTx(deps.db.app, { tenantId }, async (t) => {
    const f = await enabledForm(t, id);
    const hits = await sql<{ hits: number }>`INSERT INTO public_form_hit (tenant_id, form_id, ip, window_start) VALUES (${tenantId}, ${id}, ${ip}, date_trunc('minute', now()))
      ON CONFLICT (tenant_id, form_id, ip, window_start) DO UPDATE SET hits = public_form_hit.hits + 1 RETURNING hits`.execute(t);
    if (Math.random() < 0.01) await sql`DELETE FROM public_form_hit WHERE window_start < now() - interval '1 hour'`.execute(t);
    return { ...f, over: hits.rows[0].hits > f.rate_limit };
  });
  if (form.over) throw new AppError('RATE_LIMITED', `Too many submissions from your address; try again in a minute.`);
  const values = pick(form, body);
  const facts = await inTenantTx(deps.db.app, { tenantId }, (t) => tenantFacts(t));
  const actor = { tenantId, userId: SYSTEM_USER_ID, companyId: facts.companyId, departmentId: null, departmentIds: [], isAdmin: true, roleIds: [], locale: 'zh-CN', timeZone: facts.timeZone, ip };
  const rctx = { db: deps.db, store: deps.store, guard: systemGuard(actor) };
  const created = await inTenantTx(deps.db.app, { tenantId, userId: SYSTEM_USER_ID }, async (t) => {
    await sql`SELECT set_config('mosaic.cause', ${JSON.stringify({ source: 'public_form', formId: id })}, true)`.execute(t);
    return createRecords(rctx, form.object, [values], { tx: t });
  });
  return { id: created[0].id, message: form.success_message ?? '提交成功，谢谢！' };
}

async function enabledForm(t: Tx, id: string): Promise<FormRow> {
  const form = await formOrThrow(t, id);
  if (!form.enabled) throw new AppError('NOT_FOUND', 'No such form.');
  return form;
}

function pick(form: FormRow, body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('VALIDATION_FAILED', 'body: a JSON object of field values');
  const input = body as Record<string, unknown>;
  const allowed = new Set(form.fields.map((f) => f.field));
  for (const k of Object.keys(input)) if (!allowed.has(k)) throw new AppError('FIELD_UNKNOWN', `${k}: this form has no such field`, { field: k });
  const values: Record<string, unknown> = { ...form.defaults };
  for (const f of form.fields) {
    const v = input[f.field];
    if (f.required && (v === undefined || v === null || v === '')) throw new AppError('FIELD_REQUIRED', `${f.field}: ${f.label ?? f.field} is required`, { field: f.field });
    if (v !== undefined) values[f.field] = v;
  }
  return values;
}
