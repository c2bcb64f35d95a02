import { AppError } from '@mosaic/kernel';
import { addField, createObject, updateObject, type MetaCtx } from './meta.service.ts';
import type { TCreateField, TCreateObject } from './meta.schemas.ts';

/**
 * Installs objects declared in TypeScript by a built-in module, through the
 * same metadata service an admin uses. Idempotent: objects that exist keep
 * their data and customisations and only gain fields they lack. Fields that
 * point at objects not made yet (links, child tables, roll-ups over them,
 * formulas and lookups through them) are added in later passes, so a module
 * may declare its objects in any order.
 */
export async function installObjects(ctx: MetaCtx, defs: TCreateObject[]): Promise<{ created: string[]; fieldsAdded: string[] }> {
  const created: string[] = [];
  const fieldsAdded: string[] = [];
  const pending: { object: string; field: TCreateField }[] = [];
  const existing = await ctx.store.objects(ctx.tenantId);
  // Parents before children: a child object needs its parent's table.
  const ordered = [...defs].sort((a, b) => Number(!!a.isChild) - Number(!!b.isChild));
  for (const def of ordered) {
    const fields = def.fields ?? [];
    if (!existing.has(def.apiName)) {
      const plain = fields.filter((f) => !isRelational(f));
      await createObject(ctx, { ...def, fields: plain, titleField: def.titleField && plain.some((f) => f.apiName === def.titleField) ? def.titleField : undefined });
      created.push(def.apiName);
      pending.push(...fields.filter(isRelational).map((field) => ({ object: def.apiName, field })));
    } else {
      const have = new Set(existing.get(def.apiName)!.fields.map((f) => f.apiName));
      pending.push(...fields.filter((f) => !have.has(f.apiName)).map((field) => ({ object: def.apiName, field })));
    }
  }
  // Relational fields: keep adding what resolves until nothing more does.
  let progress = true;
  while (pending.length && progress) {
    progress = false;
    for (const item of [...pending]) {
      try {
        await addField(ctx, item.object, item.field);
      } catch (e) {
        if (e instanceof AppError && ['META_INVALID', 'FIELD_UNKNOWN', 'FORMULA_TYPE'].includes(e.code)) continue;
        throw e;
      }
      pending.splice(pending.indexOf(item), 1);
      fieldsAdded.push(`${item.object}.${item.field.apiName}`);
      progress = true;
    }
  }
  if (pending.length) {
    const first = pending[0];
    await addField(ctx, first.object, first.field); // throws the real reason
  }
  // Title fields that are links (stock_balance → item) could only be set once those fields exist.
  for (const def of defs) {
    if (!created.includes(def.apiName) || !def.titleField) continue;
    const obj = await ctx.store.object(ctx.tenantId, def.apiName);
    if (obj && obj.titleField !== def.titleField) await updateObject(ctx, def.apiName, { titleField: def.titleField });
  }
  return { created, fieldsAdded };
}

function isRelational(f: TCreateField): boolean {
  return ['link', 'child_table', 'rollup', 'lookup', 'formula'].includes(f.type);
}
