import fs from 'node:fs';
import { inTenantTx, readDbConfig } from '@mosaic/db';
import { companyCurrency, companyLetterhead, type CompanyView } from '@mosaic/identity';
import { fileFacts, filePath, type RecordsCtx } from '@mosaic/records';
import type { Letterhead } from './layout.ts';

const MAX_LOGO_BYTES = 2 * 1024 * 1024;

/**
 * The company block of a print, from the identity company (name, address,
 * phone, tax id, logo). The logo is read from the file store and passed to the
 * PDF as a data: URL, and only if its bytes really are a PNG or a JPEG.
 */
export async function loadLetterhead(ctx: RecordsCtx & { dataDir?: string }, companyId: string | null): Promise<{ company: CompanyView | null; letterhead: Letterhead | null }> {
  if (!companyId) return { company: null, letterhead: null };
  const a = ctx.guard.actor;
  const { company, logo } = await inTenantTx(ctx.db.app, { tenantId: a.tenantId, userId: a.userId }, async (tx) => {
    const c = await companyLetterhead(tx, companyId);
    const [file] = c?.logoFileId ? await fileFacts(tx, [c.logoFileId]) : [];
    return { company: c, logo: file };
  });
  if (!company) return { company: null, letterhead: null };
  const lines = [company.address ?? '', company.phone ? `电话：${company.phone}` : '', company.taxId ? `统一社会信用代码：${company.taxId}` : ''].filter(Boolean);
  return { company, letterhead: { name: company.name, lines, logo: logo ? logoDataUrl(ctx.dataDir ?? readDbConfig().dataDir, logo.sha256) : undefined } };
}

function logoDataUrl(dataDir: string, sha256: string): string | undefined {
  const path = filePath(dataDir, sha256);
  if (!fs.existsSync(path) || fs.statSync(path).size > MAX_LOGO_BYTES) return undefined;
  const bytes = fs.readFileSync(path);
  const mime = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) ? 'image/png'
    : bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff ? 'image/jpeg' : null;
  return mime ? `data:${mime};base64,${bytes.toString('base64')}` : undefined;
}

/** The letterhead of a company, for `renderTablePdf` (statements, payslips): null when the company does not exist. */
export async function letterheadOf(ctx: RecordsCtx & { dataDir?: string }, companyId: string | null): Promise<Letterhead | null> {
  return (await loadLetterhead(ctx, companyId)).letterhead;
}

/**
 * The currency a company keeps its books in — identity's companyCurrency (a company that is gone: the
 * tenant's first company's) — for the 单位 line of every export of its figures, PDF and workbook alike.
 */
export async function booksCurrencyOf(ctx: RecordsCtx, companyId: string): Promise<string> {
  const a = ctx.guard.actor;
  return inTenantTx(ctx.db.app, { tenantId: a.tenantId, userId: a.userId }, (tx) => companyCurrency(tx, companyId));
}

/**
 * A company's letterhead and the currency its books are kept in (booksCurrencyOf), for a `renderTablePdf`
 * of its books' figures: the 单位 line (`amountUnit`) and the 大写 (`currency`).
 */
export async function booksHeadOf(ctx: RecordsCtx & { dataDir?: string }, companyId: string): Promise<{ letterhead: Letterhead | null; currency: string }> {
  const { company, letterhead } = await loadLetterhead(ctx, companyId);
  return { letterhead, currency: company?.currency ?? (await booksCurrencyOf(ctx, companyId)) };
}
