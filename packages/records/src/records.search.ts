import { AppError } from '@mosaic/kernel';
import { hasSearchGrams, type FieldMeta, type ObjectMeta } from '@mosaic/meta';
import { probeGramChoices } from './gram-choice.ts';
import { listRecords } from './records.query.ts';
import type { RecordsCtx } from './records.context.ts';

/**
 * Global search (issue 4): records whose name, number or phone contains the
 * text, across every object the caller may read. Each object is queried
 * through listRecords, so the guard's object rights, field rights and record
 * scope apply exactly as in its list; an object with nothing searchable the
 * caller may read is skipped.
 */
export interface SearchHit {
  object: string;
  id: string;
  title: string;
  /** The field that matched, and its value. */
  matched: { field: string; value: string } | null;
}

const SEARCHABLE_TYPES = new Set(['auto_number', 'phone']);
/** Types `contains` applies to (packages/meta filter-kinds: kind text). */
const TEXT_TYPES = new Set(['text', 'email', 'phone', 'url', 'auto_number']);

export async function searchRecords(ctx: RecordsCtx, text: string, opts: { perObject?: number; limit?: number } = {}): Promise<{ data: SearchHit[]; truncated: boolean }> {
  const q = text.trim();
  if (q.length < 1) throw new AppError('FIELD_INVALID', 'q: type at least one character', { field: 'q' });
  if (q.length > 100) throw new AppError('FIELD_INVALID', 'q: at most 100 characters', { field: 'q' });
  const perObject = opts.perObject ?? 5;
  const limit = opts.limit ?? 50;
  const objects = [...(await ctx.store.objects(ctx.guard.actor.tenantId)).values()]
    .filter((o) => !o.archived && !o.isChild && ctx.guard.can(o, 'read'))
    .sort((a, b) => a.apiName.localeCompare(b.apiName));

  // Whether search_gram beats the scan for this text, probed for every object at once (gram-choice.ts).
  if (hasSearchGrams(q)) {
    const gated = objects.filter((o) => searchFieldsOf(ctx, o).some((f) => f.config.searchable && (f.type !== 'phone' || /\d/.test(q))));
    await probeGramChoices(ctx.db.app, ctx.guard.actor.tenantId, gated.map((o) => ({ table: o.tableName, text: q })));
  }
  const hits: SearchHit[] = [];
  let truncated = false;
  // A few objects at a time: each is one indexed-or-not ILIKE query; the pool is shared with everyone else.
  for (let i = 0; i < objects.length; i += 4) {
    const batch = await Promise.all(objects.slice(i, i + 4).map((o) => searchObject(ctx, o, q, perObject)));
    for (const r of batch) {
      hits.push(...r.hits);
      truncated ||= r.more;
    }
  }
  if (hits.length > limit) truncated = true;
  return { data: hits.slice(0, limit), truncated };
}

function searchFieldsOf(ctx: RecordsCtx, obj: ObjectMeta): FieldMeta[] {
  const names = new Set([obj.titleField, ...obj.searchFields]);
  return obj.fields.filter((f) => !f.archived && (names.has(f.apiName) || SEARCHABLE_TYPES.has(f.type))
    && TEXT_TYPES.has(f.type) && ctx.guard.canReadField(obj, f));
}

/**
 * A search for a phone number: only digits and phone punctuation, at least 7 digits. The
 * number as crm_normalize_phone stores it (digits; +86 / 0086 before a mobile dropped).
 */
export function phoneQuery(q: string): string | null {
  if (!/^[+\d\s()\-]+$/.test(q)) return null;
  const digits = q.replace(/\D/g, '');
  if (digits.length < 7) return null;
  return phoneDigits(digits);
}

const phoneDigits = (s: string) => s.replace(/\D/g, '').replace(/^(?:0086|86)(1\d{10})$/, '$1');
const matchesPhone = (value: string, digits: string) => phoneDigits(value).startsWith(digits) || phoneDigits(value).endsWith(digits) || value.includes(digits);

/**
 * The stored keys of a phone field, when the object keeps them: the text fields whose
 * config.keyOf names it — the digits, and the digits reversed (keyReversed). The CRM's
 * customer, contact and lead keep `phone_key` and `phone_rkey` by trigger.
 */
function phoneKeysOf(ctx: RecordsCtx, obj: ObjectMeta, f: FieldMeta): { key: FieldMeta; reversed: FieldMeta } | undefined {
  const keys = obj.fields.filter((x) => x.config.keyOf === f.apiName && x.type === 'text' && !x.archived && ctx.guard.canReadField(obj, x));
  const key = keys.find((x) => !x.config.keyReversed);
  const reversed = keys.find((x) => x.config.keyReversed);
  return key && reversed ? { key, reversed } : undefined;
}

/**
 * The search's condition on one object: `contains` on each searchable field. A query that looks
 * like a phone number is looked for in phone fields by their stored digit keys where the object
 * keeps them, as the start or the end of the number — `phone_key ^@ '138…' OR phone_rkey ^@
 * '2222…'`, leakproof, so index ranges under row-level security (docs/adr/0009); digits in the
 * middle of a number are not found there. Its other fields keep `contains`: a run of digits is as
 * likely a document number (2026-00012) or a code as a phone.
 */
function searchFilter(ctx: RecordsCtx, obj: ObjectMeta, fields: FieldMeta[], q: string): unknown {
  const phone = phoneQuery(q);
  const reversed = phone ? [...phone].reverse().join('') : '';
  // A query with no digit is in no phone number: leaving those fields out lets the rest share one search_gram gate.
  const digits = /\d/.test(q);
  return { or: fields.filter((f) => digits || f.type !== 'phone').flatMap((f) => {
    const keys = phone && f.type === 'phone' ? phoneKeysOf(ctx, obj, f) : undefined;
    return keys
      ? [{ field: keys.key.apiName, op: 'startsWith', value: phone }, { field: keys.reversed.apiName, op: 'startsWith', value: reversed }]
      : [{ field: f.apiName, op: 'contains', value: q }];
  }) };
}

async function searchObject(ctx: RecordsCtx, obj: ObjectMeta, q: string, perObject: number): Promise<{ hits: SearchHit[]; more: boolean }> {
  const fields = searchFieldsOf(ctx, obj);
  if (!fields.length) return { hits: [], more: false };
  const filter = searchFilter(ctx, obj, fields, q);
  const phone = phoneQuery(q);
  const reply = await listRecords(ctx, obj.apiName, {
    filter,
    fields: fields.map((f) => f.apiName),
    pageSize: perObject + 1,
    total: false,
    titles: true,
    sort: fields.some((f) => f.apiName === obj.titleField) ? obj.titleField : undefined,
  });
  const lower = q.toLowerCase();
  const hits = reply.data.slice(0, perObject).map((r) => {
    const f = (phone ? fields.find((x) => x.type === 'phone' && typeof r[x.apiName] === 'string' && matchesPhone(r[x.apiName] as string, phone)) : undefined)
      ?? fields.find((x) => typeof r[x.apiName] === 'string' && (r[x.apiName] as string).toLowerCase().includes(lower));
    return {
      object: obj.apiName,
      id: String(r.id),
      title: String(r.$title ?? r[obj.titleField] ?? r.id),
      matched: f ? { field: f.apiName, value: r[f.apiName] as string } : null,
    };
  });
  return { hits, more: reply.data.length > perObject };
}
