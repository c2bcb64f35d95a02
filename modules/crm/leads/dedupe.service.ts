import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import { AppError, parseOrThrow } from '@mosaic/kernel';
import type { RecordsCtx } from '@mosaic/records';
import { columns, mayMatchOn, txOf } from '../shared/system-ctx.ts';

export const ZDuplicateQuery = z.object({
  name: z.string().max(500).optional(),
  phone: z.string().max(100).optional(),
  email: z.string().max(254).optional(),
}).strict();

export interface DuplicateMatch {
  object: 'customer' | 'lead' | 'contact';
  id: string;
  /** For a contact: the customer it belongs to. */
  customerId?: string | null;
  name: string | null;
  ownerId: string | null;
  matchedOn: ('phone' | 'email' | 'name')[];
}

/**
 * Who is already there with this phone, email or (normalised) company name,
 * among customers and leads (and, by phone or email, customers' contacts) — asked before creating one (the create and
 * import paths record the first match on the record itself, by trigger).
 * Duplicates are found across owners: "this company is already someone's
 * customer" is the point, so a match shows its owner and name but no other field —
 * for a contact, not even the person's name, only whose customer it is. A phone or
 * e-mail is compared only on objects where the caller may read that field.
 */
export async function findDuplicates(ctx: RecordsCtx, body: unknown): Promise<{ data: DuplicateMatch[] }> {
  const q = parseOrThrow(ZDuplicateQuery, body);
  if (!q.name?.trim() && !q.phone?.trim() && !q.email?.trim()) throw new AppError('FIELD_REQUIRED', 'name, phone or email: give at least one', { field: 'name' });
  type Row = { object: DuplicateMatch['object']; id: string; customer_id: string | null; name: string | null; owner_id: string | null; by_phone: boolean; by_email: boolean; by_name: boolean };
  const readable = async (object: string) => ({ phone: await mayMatchOn(ctx, object, 'phone'), email: await mayMatchOn(ctx, object, 'email') });
  const tables = await Promise.all((['customer', 'lead'] as const).map(async (object) => ({ object, may: await readable(object), ...(await columns(ctx, object)) })));
  const contacts = (await ctx.store.object(ctx.guard.actor.tenantId, 'contact')) ? { may: await readable('contact'), ...(await columns(ctx, 'contact')) } : null;
  // One read-only transaction: the keys first, so the lookups get them as values the planner turns into index scans.
  const rows = await txOf(ctx, async (tx) => {
    const k = (await sql<{ name_key: string | null; phone_key: string | null; email_key: string | null }>`SELECT crm_normalize_company(${q.name ?? null}::text) AS name_key,
      crm_normalize_phone(${q.phone ?? null}::text) AS phone_key, crm_normalize_email(${q.email ?? null}::text) AS email_key`.execute(tx)).rows[0];
    const email = k.email_key;
    const branches: RawBuilder<unknown>[] = tables.map(({ object, may, table, c }) => {
      const phoneKey = may.phone ? k.phone_key : null;
      const emailKey = may.email ? email : null;
      return sql`(SELECT ${object}::text AS object, t.id, NULL::uuid AS customer_id, t.${sql.ref(object === 'lead' ? c('company') : c('name'))} AS name, t.owner_id, t.created_at,
        COALESCE(t.${sql.ref(c('phone_key'))} = ${phoneKey}, false) AS by_phone,
        COALESCE(t.${sql.ref(c('email_key'))} = ${emailKey}, false) AS by_email,
        COALESCE(t.${sql.ref(c('name_key'))} = ${k.name_key}, false) AS by_name
      FROM ${sql.id(table)} t
      WHERE t.${sql.ref(c('merged_into'))} IS NULL AND t.tenant_id = mosaic_tenant()
        AND ((${phoneKey}::text IS NOT NULL AND t.${sql.ref(c('phone_key'))} = ${phoneKey})
          OR (${emailKey}::text IS NOT NULL AND t.${sql.ref(c('email_key'))} = ${emailKey})
          OR (${k.name_key}::text <> '' AND t.${sql.ref(c('name_key'))} = ${k.name_key}))
      ORDER BY t.created_at LIMIT 20)`;
    });
    // A customer's contacts by phone or e-mail (a person's name is no company key).
    const contactPhone = contacts?.may.phone ? k.phone_key : null;
    const contactEmail = contacts?.may.email ? email : null;
    if (contacts && (contactPhone || contactEmail)) {
      const { table, c } = contacts;
      branches.push(sql`(SELECT 'contact'::text AS object, t.id, t.${sql.ref(c('customer'))} AS customer_id, NULL::text AS name, t.owner_id, t.created_at,
          COALESCE(t.${sql.ref(c('phone_key'))} = ${contactPhone}, false) AS by_phone,
          COALESCE(t.${sql.ref(c('email_key'))} = ${contactEmail}, false) AS by_email,
          false AS by_name
        FROM ${sql.id(table)} t
        WHERE t.tenant_id = mosaic_tenant()
          AND ((${contactPhone}::text IS NOT NULL AND t.${sql.ref(c('phone_key'))} = ${contactPhone})
            OR (${contactEmail}::text IS NOT NULL AND t.${sql.ref(c('email_key'))} = ${contactEmail}))
        ORDER BY t.created_at LIMIT 20)`);
    }
    // Both tables in one statement, each OR arm an index lookup: only stored keys compared with
    // plain equality (leakproof), else row-level security keeps the planner off the indexes.
    return (await sql<Row>`${sql.join(branches, sql` UNION ALL `)}`.execute(tx)).rows;
  }, { readOnly: true });
  const out: DuplicateMatch[] = rows.map((r) => ({
    object: r.object, id: r.id, name: r.name, ownerId: r.owner_id, ...(r.object === 'contact' ? { customerId: r.customer_id } : {}),
    matchedOn: [r.by_phone && 'phone', r.by_email && 'email', r.by_name && 'name'].filter(Boolean) as DuplicateMatch['matchedOn'],
  }));
  return { data: out };
}

/** The normalised company name, as the database computes it (for tools and tests). */
export async function normalizeOnServer(ctx: RecordsCtx, name: string): Promise<string | null> {
  return txOf(ctx, async (tx) => (await sql<{ k: string | null }>`SELECT crm_normalize_company(${name}::text) AS k`.execute(tx)).rows[0].k);
}
