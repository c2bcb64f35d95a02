import { AppError, logger } from '@mosaic/kernel';
import { addField, createObject, installListDefaults, updateField, updateObject, type MetaCtx } from './meta.service.ts';
import type { TCreateField, TCreateObject } from './meta.schemas.ts';
import type { FieldConfig } from './meta.types.ts';
import { withSearchDefaults } from './search-fields.ts';

/**
 * Installs objects declared in TypeScript by a built-in module, through the
 * same metadata service an admin uses. Idempotent: objects that exist keep
 * their data and customisations and only gain what they lack — fields, and on
 * the fields they have, config keys and select options a newer version of the
 * module declares (configAdditions), and validation rules by name: a tenant made
 * by an older version gets phone_key's `keyOf`, dunning's new states or the SLA
 * policy's working-day checks on its next start — and the object's list defaults, unless an
 * admin has set their own. Fields that
 * point at objects not made yet (links, child tables, roll-ups over them,
 * formulas and lookups through them) are added in later passes, so a module
 * may declare its objects in any order.
 */
export async function installObjects(ctx: MetaCtx, defs: TCreateObject[]): Promise<{ created: string[]; fieldsAdded: string[]; fieldsUpdated: string[] }> {
  const created: string[] = [];
  const fieldsAdded: string[] = [];
  const fieldsUpdated: string[] = [];
  const pending: { object: string; field: TCreateField }[] = [];
  const ruleAdditions: { object: string; rules: NonNullable<TCreateObject['rules']> }[] = [];
  const existing = await ctx.store.objects(ctx.tenantId);
  // Parents before children: a child object needs its parent's table.
  const ordered = [...defs].sort((a, b) => Number(!!a.isChild) - Number(!!b.isChild));
  for (const def of ordered) {
    const fields = def.fields ?? [];
    if (!existing.has(def.apiName)) {
      const plain = fields.filter((f) => !isRelational(f));
      await createObject(ctx, { ...def, fields: plain, listDefaults: undefined, titleField: def.titleField && plain.some((f) => f.apiName === def.titleField) ? def.titleField : undefined });
      created.push(def.apiName);
      pending.push(...fields.filter(isRelational).map((field) => ({ object: def.apiName, field })));
    } else {
      const stored = existing.get(def.apiName)!;
      // Validation rules the module declares that the tenant's object lacks (by name): added after the fields they read.
      const rules = (def.rules ?? []).filter((r) => !stored.rules.some((x) => x.name === r.name));
      if (rules.length) ruleAdditions.push({ object: def.apiName, rules: [...stored.rules, ...rules] });
      const have = new Map(stored.fields.map((f) => [f.apiName, f]));
      // Fields searchable by default (search-fields.ts): on fields a module adds to an existing
      // object, and as a flag on fields of tenants made before it.
      const declared = stored.isChild ? fields : withSearchDefaults(fields, [stored.titleField, ...stored.searchFields]);
      pending.push(...declared.filter((f) => !have.has(f.apiName)).map((field) => ({ object: def.apiName, field })));
      for (const field of declared) {
        const stored = have.get(field.apiName);
        const config = stored && !stored.system ? configAdditions(stored.config, field.config) : null;
        if (!config) continue;
        await updateField(ctx, def.apiName, field.apiName, { config });
        fieldsUpdated.push(`${def.apiName}.${field.apiName}`);
      }
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
  for (const r of ruleAdditions) {
    await updateObject(ctx, r.object, { rules: r.rules });
    fieldsUpdated.push(`${r.object}.rules`);
  }
  // Title fields that are links (stock_balance → item) could only be set once those fields exist.
  for (const def of defs) {
    if (!created.includes(def.apiName) || !def.titleField) continue;
    const obj = await ctx.store.object(ctx.tenantId, def.apiName);
    if (obj && obj.titleField !== def.titleField) await updateObject(ctx, def.apiName, { titleField: def.titleField });
  }
  // List defaults last: their columns may be links added above. An admin's stay (installListDefaults).
  // Defaults naming a field the tenant's admin archived are left out (the list keeps its own) rather
  // than stopping the start.
  for (const def of defs) {
    if (!def.listDefaults) continue;
    try {
      if (await installListDefaults(ctx, def.apiName, def.listDefaults)) fieldsUpdated.push(`${def.apiName}.listDefaults`);
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'META_INVALID')) throw e;
      logger.warn({ tenantId: ctx.tenantId, object: def.apiName, reason: e.message }, 'list defaults not installed');
    }
  }
  return { created, fieldsAdded, fieldsUpdated };
}

function isRelational(f: TCreateField): boolean {
  return ['link', 'child_table', 'rollup', 'lookup', 'formula'].includes(f.type);
}

/**
 * What a module's declared field config adds to the stored one: keys the stored
 * config lacks, and select options whose value it lacks (appended, after the
 * tenant's own). Never changes a value the tenant has — an admin's relabelled
 * option or changed precision stays. Null when there is nothing to add.
 */
export function configAdditions(stored: FieldConfig, declared: TCreateField['config']): Partial<FieldConfig> | null {
  if (!declared) return null;
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(declared)) {
    if (value !== undefined && !(key in stored)) patch[key] = value;
  }
  if (declared.options && stored.options) {
    const have = new Set(stored.options.map((o) => o.value));
    const more = declared.options.filter((o) => !have.has(o.value));
    if (more.length) patch.options = [...stored.options, ...more];
  }
  return Object.keys(patch).length ? (patch as Partial<FieldConfig>) : null;
}
