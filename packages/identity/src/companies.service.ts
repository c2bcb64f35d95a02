import { sql } from 'kysely';
import { AppError, newId, parseOrThrow } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import { auditAdmin, changesOf, idOrThrow, requireAreaOrThrow, txScopeOf, type AdminCtx } from '@mosaic/access';

import { ZCreateCompany, ZUpdateCompany } from './users.schemas.ts';
import { runCompanySetUps } from './company-setup.ts';

/** A company (legal entity, 法人主体) inside the tenant; records carry company_id, and the "company" scope keeps them apart. */
export interface CompanyView {
  id: string;
  name: string;
  currency: string;
  address: string | null;
  phone: string | null;
  taxId: string | null;
  bankName: string | null;
  bankAccount: string | null;
  logoFileId: string | null;
}

const LETTERHEAD = ['address', 'phone', 'taxId', 'bankName', 'bankAccount', 'logoFileId'] as const;
const COLUMN: Record<(typeof LETTERHEAD)[number], string> = {
  address: 'address', phone: 'phone', taxId: 'tax_id', bankName: 'bank_name', bankAccount: 'bank_account', logoFileId: 'logo_file_id',
};

export async function listCompanies(ctx: AdminCtx): Promise<CompanyView[]> {
  requireAreaOrThrow(ctx, 'admin.org', 'read');
  const rows = await inTenantTx(ctx.db.app, txScopeOf(ctx), (tx) => sql<Record<string, any>>`SELECT * FROM company ORDER BY created_at, id`.execute(tx));
  return rows.rows.map(viewOf);
}

export async function createCompany(ctx: AdminCtx, body: unknown): Promise<CompanyView> {
  requireAreaOrThrow(ctx, 'admin.org', 'create');
  const input = parseOrThrow(ZCreateCompany, body);
  const id = newId();
  return inTenantTx(ctx.db.app, txScopeOf(ctx), async (tx) => {
    await assertLogoOrThrow(tx, input.logoFileId);
    const row = (await sql<Record<string, any>>`INSERT INTO company (tenant_id, id, name, currency, address, phone, tax_id, bank_name, bank_account, logo_file_id)
      VALUES (${ctx.guard.actor.tenantId}, ${id}, ${input.name}, ${input.currency ?? 'CNY'}, ${input.address ?? null}, ${input.phone ?? null},
        ${input.taxId ?? null}, ${input.bankName ?? null}, ${input.bankAccount ?? null}, ${input.logoFileId ?? null})
      RETURNING *`.execute(tx)).rows[0];
    // The modules' per-company set-up (chart of accounts, tax rates …) in this transaction: usable at once, no restart.
    await runCompanySetUps({ tx, ctx, company: { id, currency: String(row.currency).trim() }, options: { chartTemplate: input.chartTemplate } });
    await auditAdmin(tx, ctx.guard.actor, 'org.company.create', { object: 'admin.company', id }, changesOf({}, input));
    return viewOf(row);
  });
}

export async function updateCompany(ctx: AdminCtx, id: string, body: unknown): Promise<CompanyView> {
  requireAreaOrThrow(ctx, 'admin.org', 'edit');
  const companyId = idOrThrow(id, 'company');
  const input = parseOrThrow(ZUpdateCompany, body);
  return inTenantTx(ctx.db.app, txScopeOf(ctx), async (tx) => {
    const before = (await sql<Record<string, any>>`SELECT * FROM company WHERE id = ${companyId} FOR UPDATE`.execute(tx)).rows[0];
    if (!before) throw new AppError('NOT_FOUND', `No company with id ${companyId}.`);
    await assertLogoOrThrow(tx, input.logoFileId);
    // Letterhead fields: absent keeps the value, null clears it.
    const next = (k: (typeof LETTERHEAD)[number]) => (input[k] === undefined ? before[COLUMN[k]] : input[k]);
    const row = (await sql<Record<string, any>>`UPDATE company SET name = ${input.name ?? before.name}, currency = ${input.currency ?? before.currency},
        address = ${next('address')}, phone = ${next('phone')}, tax_id = ${next('taxId')}, bank_name = ${next('bankName')},
        bank_account = ${next('bankAccount')}, logo_file_id = ${next('logoFileId')}
      WHERE id = ${companyId} RETURNING *`.execute(tx)).rows[0];
    await auditAdmin(tx, ctx.guard.actor, 'org.company.update', { object: 'admin.company', id: companyId }, changesOf({ ...viewOf(before) }, { ...viewOf(row) }));
    return viewOf(row);
  });
}

/**
 * A company's letterhead for printing, read with the caller's tenant set: every
 * user who may print a record sees its company's name, address and tax id (they
 * are on the paper anyway), so this needs no admin right. Null: no such company.
 */
export async function companyLetterhead(tx: Tx, companyId: string): Promise<CompanyView | null> {
  const row = (await sql<Record<string, any>>`SELECT * FROM company WHERE id = ${companyId}`.execute(tx)).rows[0];
  return row ? viewOf(row) : null;
}

/**
 * The currency a user's figures default to: their company's, or — for a user with no company — the tenant's
 * first company's (a one-company tenant, the usual case). 'CNY' only when the tenant has no company at all.
 * Read with the caller's tenant set; any logged-in user may know it (it is on every price they see).
 */
export function companyCurrency(tx: Tx, companyId: string | null): Promise<string> {
  // Once per transaction: one write asks several times (the currency default, the line defaults, the money
  // fill of records), each a round trip of its own before (day-statements: quote.create 12 → 14).
  let asked = currencyAsked.get(tx);
  if (!asked) currencyAsked.set(tx, (asked = new Map()));
  let answer = asked.get(companyId ?? '');
  if (!answer) asked.set(companyId ?? '', (answer = readCompanyCurrency(tx, companyId)));
  return answer;
}

/** companyCurrency's answers by transaction (gone with it) and company. */
const currencyAsked = new WeakMap<Tx, Map<string, Promise<string>>>();

async function readCompanyCurrency(tx: Tx, companyId: string | null): Promise<string> {
  const row = (await sql<{ currency: string }>`SELECT currency FROM company
    ORDER BY (id = ${companyId ?? null}::uuid) IS TRUE DESC, created_at, id LIMIT 1`.execute(tx)).rows[0];
  return row ? String(row.currency).trim() : 'CNY';
}

/** The logo must be an uploaded picture a PDF can carry (PNG or JPEG). */
async function assertLogoOrThrow(tx: Tx, fileId: string | null | undefined): Promise<void> {
  if (!fileId) return;
  const file = (await sql<{ mime: string }>`SELECT mime FROM file_object WHERE id = ${fileId}`.execute(tx)).rows[0];
  if (!file) throw new AppError('FIELD_INVALID', `logoFileId: no uploaded file with id ${fileId}`, { field: 'logoFileId' });
  if (!['image/png', 'image/jpeg'].includes(file.mime)) throw new AppError('FIELD_INVALID', `logoFileId: the logo must be a PNG or JPEG picture, not ${file.mime}`, { field: 'logoFileId' });
}

function viewOf(c: Record<string, any>): CompanyView {
  return {
    id: c.id, name: c.name, currency: String(c.currency).trim(),
    address: c.address ?? null, phone: c.phone ?? null, taxId: c.tax_id ?? null,
    bankName: c.bank_name ?? null, bankAccount: c.bank_account ?? null, logoFileId: c.logo_file_id ?? null,
  };
}
