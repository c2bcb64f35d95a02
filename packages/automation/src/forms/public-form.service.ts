import { sql } from 'kysely';
import { AppError, isUuid, newId } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import type { Actor } from '@mosaic/access';
import { FIELD_TYPE_DEFS, fieldOf, PROTECTED_FIELDS, type ObjectMeta } from '@mosaic/meta';
import type { RuleDeps } from '../rules/rule.service.ts';
import type { TCreateForm, TUpdateForm } from './public-form.schema.ts';

export interface FormRow {
  id: string;
  object: string;
  title: string;
  description: string | null;
  fields: { field: string; label?: string; required?: boolean }[];
  prefill: string[];
  defaults: Record<string, unknown>;
  rate_limit: number;
  success_message: string | null;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

const UNFILLABLE = new Set(['child_table', 'attachment', 'image', 'user', 'department', 'link']);

function assertAdmin(a: Actor): void {
  if (!a.isAdmin) throw new AppError('FORBIDDEN', 'Only administrators may publish forms.');
}
const tx = <T>(deps: RuleDeps, a: Actor, fn: (t: Tx) => Promise<T>) => inTenantTx(deps.db.app, { tenantId: a.tenantId, userId: a.userId }, fn);

export async function listForms(deps: RuleDeps, a: Actor): Promise<{ data: ReturnType<typeof formView>[] }> {
  assertAdmin(a);
  return tx(deps, a, async (t) => ({ data: (await sql<FormRow>`SELECT * FROM public_form ORDER BY created_at, id`.execute(t)).rows.map(formView) }));
}

export async function getForm(deps: RuleDeps, a: Actor, id: string) {
  assertAdmin(a);
  return tx(deps, a, async (t) => formView(await formOrThrow(t, id)));
}

/** Publishes a form: the row, and its id in the public registry (so /f/<id> finds the tenant). */
export async function createForm(deps: RuleDeps, a: Actor, input: TCreateForm) {
  assertAdmin(a);
  checkForm(await deps.store.objects(a.tenantId), input);
  const id = newId();
  return tx(deps, a, async (t) => {
    const row = (await sql<FormRow>`INSERT INTO public_form (tenant_id, id, object, title, description, fields, prefill, defaults, rate_limit, success_message, enabled, created_by)
      VALUES (${a.tenantId}, ${id}, ${input.object}, ${input.title}, ${input.description ?? null}, ${JSON.stringify(input.fields)}, ${input.prefill ?? []}::text[],
        ${JSON.stringify(input.defaults ?? {})}, ${input.rateLimit ?? 10}, ${input.successMessage ?? null}, ${input.enabled ?? true}, ${a.userId}) RETURNING *`.execute(t)).rows[0];
    await sql`SELECT mosaic_public_endpoint_set(${id}::uuid, 'form')`.execute(t);
    return formView(row);
  });
}

export async function updateForm(deps: RuleDeps, a: Actor, id: string, input: TUpdateForm) {
  assertAdmin(a);
  const objects = await deps.store.objects(a.tenantId);
  return tx(deps, a, async (t) => {
    const cur = await formOrThrow(t, id);
    const next: TCreateForm = {
      object: input.object ?? cur.object, title: input.title ?? cur.title, description: input.description === undefined ? cur.description : input.description,
      fields: input.fields ?? cur.fields, prefill: input.prefill ?? cur.prefill, defaults: input.defaults ?? cur.defaults, rateLimit: input.rateLimit ?? cur.rate_limit,
      successMessage: input.successMessage === undefined ? cur.success_message : input.successMessage, enabled: input.enabled ?? cur.enabled,
    };
    checkForm(objects, next);
    const row = (await sql<FormRow>`UPDATE public_form SET object = ${next.object}, title = ${next.title}, description = ${next.description ?? null}, fields = ${JSON.stringify(next.fields)},
        prefill = ${next.prefill ?? []}::text[], defaults = ${JSON.stringify(next.defaults ?? {})}, rate_limit = ${next.rateLimit!}, success_message = ${next.successMessage ?? null},
        enabled = ${next.enabled!}, updated_at = now() WHERE id = ${id} RETURNING *`.execute(t)).rows[0];
    return formView(row);
  });
}

export async function deleteForm(deps: RuleDeps, a: Actor, id: string): Promise<void> {
  assertAdmin(a);
  await tx(deps, a, async (t) => {
    await formOrThrow(t, id);
    await sql`DELETE FROM public_form WHERE id = ${id}`.execute(t);
    await sql`SELECT mosaic_public_endpoint_drop(${id}::uuid)`.execute(t);
  });
}

/** Fields a visitor may fill: real, writable, simple-typed fields of the object. */
export function checkForm(objects: Map<string, ObjectMeta>, f: TCreateForm): ObjectMeta {
  const obj = objects.get(f.object);
  if (!obj || obj.archived || obj.isChild) throw new AppError('OBJECT_UNKNOWN', `object: no object "${f.object}"`, { field: 'object' });
  const names = new Set<string>();
  for (const [i, x] of f.fields.entries()) {
    const field = fieldOf(obj, x.field);
    if (!field) throw new AppError('FIELD_UNKNOWN', `fields.${i}.field: ${obj.apiName} has no field "${x.field}"`, { field: `fields.${i}.field` });
    if (PROTECTED_FIELDS.has(x.field) || field.system || field.readOnly || FIELD_TYPE_DEFS[field.type].computed || UNFILLABLE.has(field.type)) {
      throw new AppError('VALIDATION_FAILED', `fields.${i}.field: ${x.field} (${field.type}) cannot be filled in by a visitor`, { field: `fields.${i}.field` });
    }
    if (names.has(x.field)) throw new AppError('VALIDATION_FAILED', `fields.${i}.field: ${x.field} is listed twice`, { field: `fields.${i}.field` });
    names.add(x.field);
  }
  for (const [i, p] of (f.prefill ?? []).entries()) if (!names.has(p)) throw new AppError('VALIDATION_FAILED', `prefill.${i}: only fields of the form can be prefilled`, { field: `prefill.${i}` });
  for (const k of Object.keys(f.defaults ?? {})) if (!fieldOf(obj, k)) throw new AppError('FIELD_UNKNOWN', `defaults.${k}: ${obj.apiName} has no such field`, { field: `defaults.${k}` });
  return obj;
}

export async function formOrThrow(t: Tx, id: string): Promise<FormRow> {
  const row = isUuid(id) ? (await sql<FormRow>`SELECT * FROM public_form WHERE id = ${id}`.execute(t)).rows[0] : undefined;
  if (!row) throw new AppError('NOT_FOUND', 'No such form.', { field: 'id' });
  return row;
}

export function formView(r: FormRow) {
  return {
    id: r.id, object: r.object, title: r.title, description: r.description, fields: r.fields, prefill: r.prefill, defaults: r.defaults,
    rateLimit: r.rate_limit, successMessage: r.success_message, enabled: r.enabled, url: `/f/${r.id}`,
    createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
  };
}
