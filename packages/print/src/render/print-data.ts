import type { ObjectMeta } from '@mosaic/meta';
import { listRecords, type RecordsCtx } from '@mosaic/records';
import { placeholdersOf, type Placeholder } from '../template/placeholders.ts';
import type { TPrintTemplateBody } from '../template/template.schema.ts';
import { displayValue, localDateTime } from './display.ts';
import type { PrintScope } from './layout.ts';

/** Linked records a template shows, by object and id, each with the fields the reader may see. */
export type LinkedRecords = Map<string, Map<string, Record<string, unknown>>>;

const ID_CHUNK = 500;

/** Every placeholder of the document part of a body, and of its table columns. */
export function placeholdersOfBody(body: TPrintTemplateBody): { doc: Placeholder[]; row: Placeholder[] } {
  const docTexts = [body.title, body.subtitle ?? '', ...body.header.map((f) => f.value), ...body.totals.map((f) => f.value), ...body.footer];
  return { doc: docTexts.flatMap(placeholdersOf), row: (body.table?.columns ?? []).flatMap((c) => placeholdersOf(c.value)) };
}

/**
 * The records that link fields point at (the customer of an invoice, the item
 * of each line), read through the records layer as the printing user: an
 * object they may not read is left out (its links print empty), and so is any
 * field of it they may not read. One query per linked object and 500 ids.
 */
export async function loadLinkedRecords(ctx: RecordsCtx, objects: Map<string, ObjectMeta>, uses: { obj: ObjectMeta; placeholders: Placeholder[]; rows: Record<string, unknown>[] }[]): Promise<LinkedRecords> {
  const wanted = new Map<string, { fields: Set<string>; ids: Set<string> }>();
  for (const { obj, placeholders, rows } of uses) {
    for (const p of placeholders) {
      const field = obj.fields.find((f) => f.apiName === p.path[0]);
      const target = field?.type === 'link' ? objects.get(field.config.target ?? '') : undefined;
      if (!field || !target || target.isChild) continue;
      const want = wanted.get(target.apiName) ?? { fields: new Set([target.titleField]), ids: new Set<string>() };
      if (p.path[1]) want.fields.add(p.path[1]);
      for (const row of rows) if (typeof row[field.apiName] === 'string') want.ids.add(row[field.apiName] as string);
      wanted.set(target.apiName, want);
    }
  }
  const linked: LinkedRecords = new Map();
  for (const [apiName, want] of wanted) {
    const target = objects.get(apiName)!;
    if (!want.ids.size || !ctx.guard.can(target, 'read')) continue;
    const fields = [...want.fields].filter((name) => {
      const f = target.fields.find((x) => x.apiName === name && !x.archived);
      return f && f.type !== 'child_table' && ctx.guard.canReadField(target, f);
    });
    const byId = new Map<string, Record<string, unknown>>();
    const ids = [...want.ids];
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const page = await listRecords(ctx, apiName, { filter: { field: 'id', op: 'in', value: ids.slice(i, i + ID_CHUNK) }, fields, pageSize: ID_CHUNK, total: false });
      for (const r of page.data) byId.set(r.id as string, r);
    }
    linked.set(apiName, byId);
  }
  return linked;
}

/**
 * What a placeholder prints in one record (the document or a table row): its
 * fields as the reader got them from the records layer — a field they may not
 * read is simply absent and prints as '' — one link hop, and `$` variables.
 * `currency` is the document's (a row's amounts are in it too), null when the reader may not know it.
 */
export function recordScope(objects: Map<string, ObjectMeta>, obj: ObjectMeta, data: Record<string, unknown>, linked: LinkedRecords, variables: Record<string, string>, timeZone: string, currency: string | null): PrintScope {
  const linkedRow = (target: string | undefined, id: unknown) => (target && typeof id === 'string' ? linked.get(target)?.get(id) : undefined);
  return {
    currency,
    value(path) {
      if (path[0].startsWith('$')) return variables[path.join('.')] ?? '';
      const field = obj.fields.find((f) => f.apiName === path[0]);
      if (!field || !(field.apiName in data)) return '';
      const targetName = field.type === 'link' ? field.config.target : undefined;
      const target = targetName ? objects.get(targetName) : undefined;
      if (path.length === 1) {
        return displayValue(field, data[field.apiName], { timeZone, linkTitle: (id) => titleOf(target, linkedRow(targetName, id), timeZone) });
      }
      const row = linkedRow(targetName, data[field.apiName]);
      const sub = target?.fields.find((f) => f.apiName === path[1]);
      if (!row || !sub || !(sub.apiName in row)) return '';
      return displayValue(sub, row[sub.apiName], { timeZone });
    },
  };
}

function titleOf(target: ObjectMeta | undefined, row: Record<string, unknown> | undefined, timeZone: string): string {
  if (!target || !row) return '';
  const title = target.fields.find((f) => f.apiName === target.titleField);
  return title && title.apiName in row ? displayValue(title, row[title.apiName], { timeZone }) : '';
}

export function printedAt(timeZone: string, now = new Date()): string {
  return localDateTime(now.toISOString(), timeZone);
}
