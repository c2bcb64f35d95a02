import { AppError } from '@mosaic/kernel';
import { inTenantTx, sql } from '@mosaic/db';
import { linkTarget, type FieldMeta, type ObjectMeta } from '@mosaic/meta';
import { listRecords, type RecordsCtx } from '@mosaic/records';
import type { ImportRow } from './import-row.ts';

/**
 * Link cells may hold the linked record's title instead of its id ("客户":
 * 华为). For one batch, every distinct title per link field is looked up in
 * one query — through the records service, so only records the user may read
 * are found — and replaced by the id; a title that matches nothing or more than
 * one record is an error on that row.
 *
 *   GET-equivalent: listRecords(customer, { filter: { field: "name", op: "in", value: ["华为", …] } })
 */
export async function resolveLinkTitles(ctx: RecordsCtx, objects: Map<string, ObjectMeta>, rows: ImportRow[]): Promise<void> {
  const wanted = new Map<FieldMeta, Set<string>>();
  for (const row of rows) {
    for (const t of row.titles) (wanted.get(t.field) ?? wanted.set(t.field, new Set()).get(t.field)!).add(t.title);
  }
  const found = new Map<FieldMeta, Map<string, string[]> | AppError>();
  for (const [field, titles] of wanted) {
    try {
      found.set(field, await lookup(ctx, objects, field, [...titles]));
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      found.set(field, e);
    }
  }
  for (const row of rows) {
    for (const { field, title } of row.titles) {
      const hits = found.get(field)!;
      const target = linkTarget(objects, field);
      const what = target ? target.label.zh : field.apiName;
      if (hits instanceof AppError) {
        row.errors.push({ field: field.apiName, message: `${field.apiName}: "${title}" cannot be looked up (${hits.message}); use the record id` });
      } else if (!hits.get(title)?.length) {
        row.errors.push({ field: field.apiName, message: `${field.apiName}: no ${what} named "${title}"` });
      } else if (hits.get(title)!.length > 1) {
        row.errors.push({ field: field.apiName, message: `${field.apiName}: ${hits.get(title)!.length} ${what} records are named "${title}"; use the id` });
      } else {
        row.values[field.apiName] = hits.get(title)![0];
      }
    }
  }
}

async function lookup(ctx: RecordsCtx, objects: Map<string, ObjectMeta>, field: FieldMeta, titles: string[]): Promise<Map<string, string[]>> {
  const target = linkTarget(objects, field);
  if (!target) throw new AppError('FIELD_UNKNOWN', `${field.apiName} links to nothing`);
  const out = new Map<string, string[]>();
  const hit = (title: string, id: string) => {
    const ids = out.get(title) ?? out.set(title, []).get(title)!;
    if (!ids.includes(id)) ids.push(id);
  };
  if (target.id.startsWith('system.')) {
    for (const r of await systemTitles(ctx, target, titles)) {
      for (const t of titles) if (r.name === t || r.email?.toLowerCase() === t.toLowerCase()) hit(t, r.id);
    }
    return out;
  }
  for (let i = 0; i < titles.length; i += 500) {
    const chunk = titles.slice(i, i + 500);
    let cursor: string | undefined;
    do {
      const page = await listRecords(ctx, target.apiName, {
        filter: { field: target.titleField, op: 'in', value: chunk }, fields: [target.titleField], pageSize: 500, total: false, cursor,
      });
      for (const r of page.data) hit(String(r[target.titleField]), r.id as string);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  return out;
}

/** Users by name or email, departments and companies by name (system tables, under the tenant's RLS). */
async function systemTitles(ctx: RecordsCtx, target: ObjectMeta, titles: string[]): Promise<{ id: string; name: string; email?: string }[]> {
  const a = ctx.guard.actor;
  return inTenantTx(ctx.db.app, { tenantId: a.tenantId, userId: a.userId }, async (tx) => {
    if (target.apiName === 'user') {
      const lower = titles.map((t) => t.toLowerCase());
      return (await sql<{ id: string; name: string; email: string }>`SELECT id, name, email FROM app_user WHERE name = ANY(${titles}::text[]) OR lower(email) = ANY(${lower}::text[])`.execute(tx)).rows;
    }
    const table = target.apiName === 'department' ? 'department' : 'company';
    return (await sql<{ id: string; name: string }>`SELECT id, name FROM ${sql.id(table)} WHERE name = ANY(${titles}::text[])`.execute(tx)).rows;
  });
}
