import { sql } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { requireRight, type RecordsCtx } from '@mosaic/records';
import { physical } from '../gl/physical.ts';
import { createPostedVoucher } from '../journal-entry/posted-voucher.service.ts';
import { ledgerReadOrThrow, txOf } from '../receivables/receivables.report.ts';

const UUID = /^[0-9a-f-]{36}$/i;
const DAYS = 7; // how far apart a statement line and a ledger entry may be dated to be suggested

interface StatementLine { id: string; date: string; amount: string; reference: string | null; counterparty: string | null; description: string | null }
interface LedgerLine { id: string; date: string; amount: string; voucher_no: string; description: string | null; reference: string | null }
export interface Suggestion { glEntry: string; voucherNo: string; date: string; score: number; why: string[] }

/**
 * A suggestion needs the same amount (money in = a debit on the bank's
 * account); then it scores by reference (the payment's bank reference or the
 * voucher number appearing on the statement) and by how close the dates are.
 */
export function suggestMatches(line: StatementLine, ledger: LedgerLine[]): Suggestion[] {
  const day = (d: string) => Date.parse(d) / 86_400_000;
  return ledger
    .filter((g) => new Decimal(g.amount).eq(line.amount) && Math.abs(day(g.date) - day(line.date)) <= DAYS)
    .map((g) => {
      const why = ['amount'];
      let score = 50;
      const text = `${line.reference ?? ''} ${line.description ?? ''}`;
      if ((g.reference && text.includes(g.reference)) || text.includes(g.voucher_no)) { score += 40; why.push('reference'); }
      const apart = Math.abs(day(g.date) - day(line.date));
      score += Math.max(0, 10 - apart * 2);
      if (apart === 0) why.push('date');
      return { glEntry: g.id, voucherNo: g.voucher_no, date: g.date, score, why };
    })
    .sort((a, b) => b.score - a.score);
}

async function bankAccountOrThrow(tx: Tx, objects: Map<string, ObjectMeta>, id: string | undefined, companyId?: string | null) {
  if (!id || !UUID.test(id)) throw new AppError('FIELD_INVALID', 'bank_account: a bank account id', { field: 'bank_account' });
  const b = physical(objects, 'bank_account');
  const row = (await sql<{ company_id: string; gl_account: string }>`SELECT company_id, ${b.c('gl_account')} AS gl_account FROM ${b.t} WHERE id = ${id}`.execute(tx)).rows[0];
  if (!row) throw new AppError('FIELD_INVALID', 'bank_account: not found', { field: 'bank_account' });
  if (companyId && row.company_id !== companyId) throw new AppError('FIELD_INVALID', "bank_account: not an account of the user's company", { field: 'bank_account' });
  return row;
}

async function unmatched(tx: Tx, objects: Map<string, ObjectMeta>, bankAccount: string, glAccount: string, companyId: string) {
  const s = physical(objects, 'bank_statement');
  const g = physical(objects, 'gl_entry');
  const j = physical(objects, 'journal_entry');
  const p = physical(objects, 'payment');
  const statement = await sql<StatementLine>`SELECT s.id, to_char(${s.a('s', 'txn_date')}, 'YYYY-MM-DD') AS date, ${s.a('s', 'amount')}::text AS amount,
      ${s.a('s', 'reference')} AS reference, ${s.a('s', 'counterparty')} AS counterparty, ${s.a('s', 'description')} AS description
    FROM ${s.t} s WHERE ${s.a('s', 'bank_account')} = ${bankAccount} AND NOT EXISTS (SELECT 1 FROM bank_match m WHERE m.tenant_id = s.tenant_id AND m.statement_line = s.id)
    ORDER BY 2, s.id`.execute(tx);
  const ledger = await sql<LedgerLine>`SELECT g.id, to_char(${g.a('g', 'posting_date')}, 'YYYY-MM-DD') AS date, (${g.a('g', 'debit')} - ${g.a('g', 'credit')})::text AS amount,
      ${g.a('g', 'voucher_no')} AS voucher_no, ${g.a('g', 'description')} AS description, ${p.a('p', 'reference')} AS reference
    FROM ${g.t} g JOIN ${j.t} j ON j.tenant_id = g.tenant_id AND j.id = ${g.a('g', 'journal_entry')}
      LEFT JOIN ${p.t} p ON p.tenant_id = j.tenant_id AND ${j.a('j', 'source_type')} = 'payment' AND p.id::text = ${j.a('j', 'source_id')}
    WHERE g.company_id = ${companyId} AND ${g.a('g', 'account')} = ${glAccount}
      AND NOT EXISTS (SELECT 1 FROM bank_match m WHERE m.tenant_id = g.tenant_id AND m.gl_entry = g.id)
    ORDER BY 2, g.id`.execute(tx);
  return { statement: statement.rows, ledger: ledger.rows };
}

/** 银行对账: unmatched statement lines with suggestions, unmatched ledger entries, and the two balances. */
export async function reconciliation(ctx: RecordsCtx, bankAccountId: string | undefined) {
  const objects = await ledgerReadOrThrow(ctx);
  return inTenantTx(ctx.db.app, txOf(ctx), async (tx) => {
    const bank = await bankAccountOrThrow(tx, objects, bankAccountId);
    const u = await unmatched(tx, objects, bankAccountId!, bank.gl_account, bank.company_id);
    return {
      statement: u.statement.map((l) => ({ ...l, suggestions: suggestMatches(l, u.ledger).slice(0, 3) })),
      ledger: u.ledger,
    };
  });
}

/** Matches one statement line to one ledger entry of the bank's account, same amount; each at most once. */
export async function matchLine(ctx: RecordsCtx, input: { bank_account?: string; statement_line?: string; gl_entry?: string }) {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  requireRight(ctx, objects.get('bank_statement')!, 'edit');
  return inTenantTx(ctx.db.app, txOf(ctx), async (tx) => {
    const bank = await bankAccountOrThrow(tx, objects, input.bank_account);
    const u = await unmatched(tx, objects, input.bank_account!, bank.gl_account, bank.company_id);
    const line = u.statement.find((l) => l.id === input.statement_line);
    if (!line) throw new AppError('FIELD_INVALID', 'statement_line: not an unmatched line of this account', { field: 'statement_line' });
    const entry = u.ledger.find((g) => g.id === input.gl_entry);
    if (!entry) throw new AppError('FIELD_INVALID', 'gl_entry: not an unmatched entry of this account', { field: 'gl_entry' });
    if (!new Decimal(entry.amount).eq(line.amount)) throw new AppError('FIELD_INVALID', `gl_entry: ${entry.amount} ≠ ${line.amount}`, { field: 'gl_entry' });
    await insertMatch(tx, ctx, bank.company_id, line.id, entry.id);
    return { statement_line: line.id, gl_entry: entry.id };
  });
}

/** Matches every line whose best suggestion is certain: same amount and the reference found, and no rival as good. */
export async function autoMatch(ctx: RecordsCtx, bankAccountId: string | undefined) {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  requireRight(ctx, objects.get('bank_statement')!, 'edit');
  return inTenantTx(ctx.db.app, txOf(ctx), async (tx) => {
    const bank = await bankAccountOrThrow(tx, objects, bankAccountId);
    const u = await unmatched(tx, objects, bankAccountId!, bank.gl_account, bank.company_id);
    const taken = new Set<string>();
    let matched = 0;
    for (const line of u.statement) {
      const [best, next] = suggestMatches(line, u.ledger.filter((g) => !taken.has(g.id)));
      if (!best || !best.why.includes('reference') || (next && next.score === best.score)) continue;
      taken.add(best.glEntry);
      await insertMatch(tx, ctx, bank.company_id, line.id, best.glEntry);
      matched++;
    }
    return { matched };
  });
}

/**
 * Posts what only the bank knows (charges, interest) for an unmatched line —
 * Dr/Cr the bank's account against `counter_account` — and matches it.
 */
export async function postStatementLine(ctx: RecordsCtx, input: { bank_account?: string; statement_line?: string; counter_account?: string; description?: string }) {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  requireRight(ctx, objects.get('journal_entry')!, 'create');
  if (!input.counter_account || !UUID.test(input.counter_account)) throw new AppError('FIELD_REQUIRED', 'counter_account: the account on the other side', { field: 'counter_account' });
  return inTenantTx(ctx.db.app, txOf(ctx), async (tx) => {
    const bank = await bankAccountOrThrow(tx, objects, input.bank_account, ctx.guard.actor.companyId);
    const u = await unmatched(tx, objects, input.bank_account!, bank.gl_account, bank.company_id);
    const line = u.statement.find((l) => l.id === input.statement_line);
    if (!line) throw new AppError('FIELD_INVALID', 'statement_line: not an unmatched line of this account', { field: 'statement_line' });
    const amount = new Decimal(line.amount);
    const zero = new Decimal(0);
    const into = amount.gt(0);
    const voucher = await createPostedVoucher(tx, ctx, {
      voucherType: into ? '收' : '付', postingDate: line.date, description: input.description ?? line.description ?? '银行对账补记', sourceType: 'bank_statement', sourceId: line.id,
      lines: [
        { account: bank.gl_account, debit: into ? amount : zero, credit: into ? zero : amount.neg(), description: input.description ?? line.description ?? '银行对账补记' },
        { account: input.counter_account!, debit: into ? zero : amount.neg(), credit: into ? amount : zero, description: input.description ?? line.description ?? '银行对账补记' },
      ],
    });
    const g = physical(objects, 'gl_entry');
    const entry = (await sql<{ id: string }>`SELECT id FROM ${g.t} WHERE ${g.c('journal_entry')} = ${voucher} AND ${g.c('account')} = ${bank.gl_account}`.execute(tx)).rows[0];
    await insertMatch(tx, ctx, bank.company_id, line.id, entry.id);
    return { voucher, statement_line: line.id, gl_entry: entry.id };
  });
}

async function insertMatch(tx: Tx, ctx: RecordsCtx, companyId: string, line: string, entry: string): Promise<void> {
  await sql`INSERT INTO bank_match (tenant_id, company_id, statement_line, gl_entry, matched_by) VALUES (${ctx.guard.actor.tenantId}, ${companyId}, ${line}, ${entry}, ${ctx.guard.actor.userId})`.execute(tx);
}
