import { sql, type Database, type Tx } from '@mosaic/db';
import type { MetaStore } from '@mosaic/meta';

/**
 * The general ledger's guarantees, in the database (DESIGN.md, Documents and ledgers):
 *   - gl_entry is append-only and written only inside a posting;
 *   - every voucher balances: a DEFERRED constraint trigger checks debit = credit
 *     per journal entry at commit, whoever inserted the lines;
 *   - a posting into a closed period is refused;
 *   - period balances per company × account × period are kept as entries post,
 *     so statements read balances, not millions of lines.
 * Idempotent: run after the objects are installed in a tenant.
 */
export async function installGlTables(db: Database, store: MetaStore, tenantId: string): Promise<void> {
  const objects = await store.objects(tenantId);
  const gl = objects.get('gl_entry')!;
  const fp = objects.get('fiscal_period')!;
  const c = (o: typeof gl, f: string) => o.fields.find((x) => x.apiName === f)!.columnName!;
  const [acct, period, debit, credit, je, partyType, party, againstId, costCenter] =
    ['account', 'period', 'debit', 'credit', 'journal_entry', 'party_type', 'party', 'against_id', 'cost_center'].map((f) => c(gl, f));
  await db.owner.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('install:gl'))`.execute(tx);
    await sql`CREATE TABLE IF NOT EXISTS gl_period_balance (
      tenant_id uuid NOT NULL, company_id uuid NOT NULL, account_id uuid NOT NULL, period char(7) NOT NULL,
      debit numeric(20,2) NOT NULL DEFAULT 0, credit numeric(20,2) NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, company_id, account_id, period))`.execute(tx);
    await sql`SELECT mosaic_enable_rls('gl_period_balance')`.execute(tx);
    await addClosingColumns(tx, gl.tableName, objects.get('journal_entry')!.tableName, { acct, period, debit, credit, je, sourceType: c(objects.get('journal_entry')!, 'source_type') });
    await sql`GRANT SELECT, INSERT, UPDATE ON gl_period_balance TO mosaic_app`.execute(tx);
    // The same per dimension: dim is the party type (customer/supplier/employee) or
    // 'cost_center', value the record id — 往来 and cost-centre statements read these.
    await sql`CREATE TABLE IF NOT EXISTS gl_dimension_balance (
      tenant_id uuid NOT NULL, company_id uuid NOT NULL, account_id uuid NOT NULL, period char(7) NOT NULL, dim text NOT NULL, value text NOT NULL,
      debit numeric(20,2) NOT NULL DEFAULT 0, credit numeric(20,2) NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, company_id, account_id, period, dim, value))`.execute(tx);
    await sql`SELECT mosaic_enable_rls('gl_dimension_balance')`.execute(tx);
    await sql`GRANT SELECT, INSERT, UPDATE ON gl_dimension_balance TO mosaic_app`.execute(tx);
    await sql`CREATE INDEX IF NOT EXISTS ${sql.id(`${gl.tableName}_against_idx`)} ON ${sql.id(gl.tableName)} (tenant_id, company_id, ${sql.id(againstId)})`.execute(tx);
    await sql`CREATE INDEX IF NOT EXISTS ${sql.id(`${gl.tableName}_party_idx`)} ON ${sql.id(gl.tableName)} (tenant_id, company_id, ${sql.id(party)})`.execute(tx);
    // Bank reconciliation: a statement line matched to a ledger entry, each at most once.
    await sql`CREATE TABLE IF NOT EXISTS bank_match (
      tenant_id uuid NOT NULL, company_id uuid NOT NULL, statement_line uuid NOT NULL, gl_entry uuid NOT NULL,
      matched_by uuid, matched_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, statement_line), UNIQUE (tenant_id, gl_entry))`.execute(tx);
    await sql`SELECT mosaic_enable_rls('bank_match')`.execute(tx);
    await sql`GRANT SELECT, INSERT ON bank_match TO mosaic_app`.execute(tx);
    const rates = objects.get('currency_rate');
    if (rates) {
      await sql`CREATE UNIQUE INDEX IF NOT EXISTS ${sql.id(`${rates.tableName}_day_key`)} ON ${sql.id(rates.tableName)} (tenant_id, company_id, ${sql.id(c(rates, 'currency'))}, ${sql.id(c(rates, 'rate_date'))})`.execute(tx);
    }
    const accounts = objects.get('gl_account')!;
    await sql`CREATE UNIQUE INDEX IF NOT EXISTS ${sql.id(`${accounts.tableName}_code_key`)} ON ${sql.id(accounts.tableName)} (tenant_id, company_id, ${sql.id(c(accounts, 'code'))})`.execute(tx);
    // Vouchers by the document they came from (closing, depreciation, revaluation look-ups; drill-down).
    const journal = objects.get('journal_entry')!;
    await sql`CREATE INDEX IF NOT EXISTS ${sql.id(`${journal.tableName}_source_idx`)} ON ${sql.id(journal.tableName)} (tenant_id, ${sql.id(c(journal, 'source_type'))}, ${sql.id(c(journal, 'source_id'))})`.execute(tx);
    await sql`CREATE INDEX IF NOT EXISTS ${sql.id(`${gl.tableName}_voucher_idx`)} ON ${sql.id(gl.tableName)} (tenant_id, ${sql.id(je)})`.execute(tx);
    await sql`CREATE INDEX IF NOT EXISTS ${sql.id(`${gl.tableName}_acct_idx`)} ON ${sql.id(gl.tableName)} (tenant_id, company_id, ${sql.id(acct)}, ${sql.id(period)})`.execute(tx);

    const journalTable = objects.get('journal_entry')!.tableName;
    const sourceType = c(objects.get('journal_entry')!, 'source_type');
    await sql.raw(`CREATE OR REPLACE FUNCTION mosaic_gl_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE closing_d numeric := 0; closing_c numeric := 0;
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          RAISE EXCEPTION 'the general ledger is append-only; post a reversal instead' USING ERRCODE = 'MS002';
        END IF;
        IF current_setting('mosaic.gl_posting', true) IS DISTINCT FROM 'on' THEN
          RAISE EXCEPTION 'the ledger is written only by posting a voucher' USING ERRCODE = 'MS002';
        END IF;
        IF EXISTS (SELECT 1 FROM ${fp.tableName} p WHERE p.tenant_id = NEW.tenant_id AND p.company_id = NEW.company_id
                   AND p.${c(fp, 'period')} = NEW.${period} AND p.${c(fp, 'is_closed')}) THEN
          RAISE EXCEPTION 'period % is closed', NEW.${period} USING ERRCODE = 'MS003';
        END IF;
        -- A closing voucher's lines (结转损益, source_type 'closing') are also kept apart: the
        -- income statement leaves them out and so reads balances only, never ledger lines.
        IF EXISTS (SELECT 1 FROM ${journalTable} j WHERE j.tenant_id = NEW.tenant_id AND j.id = NEW.${je} AND j.${sourceType} = 'closing') THEN
          closing_d := COALESCE(NEW.${debit}, 0);
          closing_c := COALESCE(NEW.${credit}, 0);
        END IF;
        INSERT INTO gl_period_balance AS b (tenant_id, company_id, account_id, period, debit, credit, closing_debit, closing_credit)
        VALUES (NEW.tenant_id, NEW.company_id, NEW.${acct}, NEW.${period}, COALESCE(NEW.${debit}, 0), COALESCE(NEW.${credit}, 0), closing_d, closing_c)
        ON CONFLICT (tenant_id, company_id, account_id, period)
        DO UPDATE SET debit = b.debit + EXCLUDED.debit, credit = b.credit + EXCLUDED.credit,
          closing_debit = b.closing_debit + EXCLUDED.closing_debit, closing_credit = b.closing_credit + EXCLUDED.closing_credit;
        IF NEW.${party} IS NOT NULL THEN
          INSERT INTO gl_dimension_balance AS b (tenant_id, company_id, account_id, period, dim, value, debit, credit)
          VALUES (NEW.tenant_id, NEW.company_id, NEW.${acct}, NEW.${period}, NEW.${partyType}, NEW.${party}, COALESCE(NEW.${debit}, 0), COALESCE(NEW.${credit}, 0))
          ON CONFLICT (tenant_id, company_id, account_id, period, dim, value)
          DO UPDATE SET debit = b.debit + EXCLUDED.debit, credit = b.credit + EXCLUDED.credit;
        END IF;
        IF NEW.${costCenter} IS NOT NULL THEN
          INSERT INTO gl_dimension_balance AS b (tenant_id, company_id, account_id, period, dim, value, debit, credit)
          VALUES (NEW.tenant_id, NEW.company_id, NEW.${acct}, NEW.${period}, 'cost_center', NEW.${costCenter}, COALESCE(NEW.${debit}, 0), COALESCE(NEW.${credit}, 0))
          ON CONFLICT (tenant_id, company_id, account_id, period, dim, value)
          DO UPDATE SET debit = b.debit + EXCLUDED.debit, credit = b.credit + EXCLUDED.credit;
        END IF;
        RETURN NEW;
      END $$`).execute(tx);
    await sql.raw(`CREATE OR REPLACE FUNCTION mosaic_gl_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE d numeric; c numeric;
      BEGIN
        SELECT COALESCE(sum(${debit}), 0), COALESCE(sum(${credit}), 0) INTO d, c
          FROM ${gl.tableName} WHERE tenant_id = NEW.tenant_id AND ${je} = NEW.${je};
        IF d <> c THEN
          RAISE EXCEPTION 'voucher does not balance: debit % ≠ credit %', d, c USING ERRCODE = 'MS004';
        END IF;
        RETURN NULL;
      END $$`).execute(tx);
    // Closing and reopening go through closing.service (which audits them): is_closed of a
    // period changes, and a closed period is deleted, only inside it.
    await sql.raw(`CREATE OR REPLACE FUNCTION mosaic_fiscal_period_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF current_setting('mosaic.period_closing', true) IS DISTINCT FROM 'on' AND (
             (TG_OP = 'DELETE' AND OLD.${c(fp, 'is_closed')}) OR
             (TG_OP = 'UPDATE' AND NEW.${c(fp, 'is_closed')} IS DISTINCT FROM OLD.${c(fp, 'is_closed')})) THEN
          RAISE EXCEPTION 'a period is closed and reopened only through closing (结账/反结账)' USING ERRCODE = 'MS002';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`).execute(tx);
    await sql`CREATE OR REPLACE TRIGGER ${sql.id(`${fp.tableName}_guard`)} BEFORE UPDATE OR DELETE ON ${sql.id(fp.tableName)}
      FOR EACH ROW EXECUTE FUNCTION mosaic_fiscal_period_guard()`.execute(tx);
    // A period per company (the field's own unique index would be per tenant).
    await sql`DROP INDEX IF EXISTS ${sql.id(`${fp.tableName}_${c(fp, 'period')}_u_${tenantId.replace(/-/g, '').slice(0, 12)}`.slice(0, 63))}`.execute(tx);
    await sql`CREATE UNIQUE INDEX IF NOT EXISTS ${sql.id(`${fp.tableName}_company_period_key`)} ON ${sql.id(fp.tableName)} (tenant_id, company_id, ${sql.id(c(fp, 'period'))})`.execute(tx);
    await sql`CREATE OR REPLACE TRIGGER ${sql.id(`${gl.tableName}_guard`)} BEFORE INSERT OR UPDATE OR DELETE ON ${sql.id(gl.tableName)}
      FOR EACH ROW EXECUTE FUNCTION mosaic_gl_guard()`.execute(tx);
    await sql`DROP TRIGGER IF EXISTS ${sql.id(`${gl.tableName}_balanced`)} ON ${sql.id(gl.tableName)}`.execute(tx);
    await sql`CREATE CONSTRAINT TRIGGER ${sql.id(`${gl.tableName}_balanced`)} AFTER INSERT ON ${sql.id(gl.tableName)}
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION mosaic_gl_balanced()`.execute(tx);
  });
}

/**
 * gl_period_balance.closing_debit/closing_credit: the part of a period's movement
 * posted by closing vouchers (source_type 'closing'), kept by the posting trigger.
 * Added to books that predate them, filled once from the ledger when added.
 */
async function addClosingColumns(tx: Tx, glTable: string, journalTable: string, c: Record<'acct' | 'period' | 'debit' | 'credit' | 'je' | 'sourceType', string>): Promise<void> {
  const has = await sql`SELECT 1 FROM information_schema.columns WHERE table_name = 'gl_period_balance' AND column_name = 'closing_debit' AND table_schema = current_schema()`.execute(tx);
  if (has.rows.length) return;
  await sql`ALTER TABLE gl_period_balance ADD COLUMN closing_debit numeric(20,2) NOT NULL DEFAULT 0, ADD COLUMN closing_credit numeric(20,2) NOT NULL DEFAULT 0`.execute(tx);
  await sql.raw(`UPDATE gl_period_balance b SET closing_debit = x.d, closing_credit = x.c
    FROM (SELECT g.tenant_id, g.company_id, g.${c.acct} AS account_id, g.${c.period} AS period, sum(COALESCE(g.${c.debit}, 0)) AS d, sum(COALESCE(g.${c.credit}, 0)) AS c
          FROM ${journalTable} j JOIN ${glTable} g ON g.tenant_id = j.tenant_id AND g.${c.je} = j.id WHERE j.${c.sourceType} = 'closing' GROUP BY 1, 2, 3, 4) x
    WHERE b.tenant_id = x.tenant_id AND b.company_id = x.company_id AND b.account_id = x.account_id AND b.period = x.period`).execute(tx);
}
