import { sql, type RawBuilder } from 'kysely';
import { inTenantTx, type Database, type Tx } from '@mosaic/db';
import { envNumber } from '@mosaic/kernel';
import { sendMail } from './mailer.ts';

/**
 * Mail at most once — the one mechanism behind dunning's reminders and the
 * rules engine's send_email. A mail is a row of a "ledger" table (dunning's
 * notices, rule_mail) walked through committed states:
 *
 *   queued ──claim (committed before SMTP)──▶ sending ──▶ sent | failed
 *                                               │  └──▶ queued again, if the mail never left (connection refused)
 *                                               └──▶ unknown (left 'sending' longer than any SMTP exchange)
 *
 * Whoever claims a row is the only one who may send it. A crash before the
 * claim leaves 'queued' (the next run sends it); a crash after it leaves
 * 'sending' — nobody can tell whether SMTP took the mail, so it is never sent
 * again: after MOSAIC_MAIL_UNKNOWN_AFTER_SECONDS (600) a sweep marks it
 * 'unknown' and the owner of the mail's business is asked to check.
 */
export type MailState = 'queued' | 'sending' | 'sent' | 'failed' | 'unknown';

/** The protocol's columns; a ledger maps them to its table's (cc and html may be absent). */
export type MailColumn = 'state' | 'claimed_at' | 'sent_at' | 'error' | 'sent_to' | 'cc' | 'html' | 'subject' | 'body' | 'message_id';

export interface MailLedger {
  table: string;
  /** The physical column of a protocol column; null when the table has none (cc, html). */
  column(name: MailColumn): string | null;
  /** A record table: bump version and updated_at with every state change, as record writes do. */
  isRecord?: boolean;
  /** Runs in the transaction of every state change (a record's change log and domain event). */
  onStateChange?(tx: Tx, changes: MailStateChange[]): Promise<void>;
}

export interface MailStateChange {
  id: string;
  from: MailState;
  to: MailState;
  error?: string | null;
}

export interface ClaimedMail {
  id: string;
  to: string[];
  cc?: string[];
  subject: string;
  body: string;
  html: boolean;
  messageId: string;
}

export type MailOutcome = { state: 'sent'; response: string } | { state: 'failed' | 'queued'; error: string };

/**
 * queued → sending for one row (`{ id }`) or the oldest queued one (`'next'`),
 * committed before the caller sends. `prepare` runs first in the same
 * transaction (e.g. writing the queued row). Null when there was nothing
 * queued to claim: the row is sending, sent, failed or unknown — not to be sent.
 *
 *   UPDATE t SET state = 'sending', claimed_at = now() WHERE id = (SELECT id FROM t WHERE state = 'queued' … FOR UPDATE SKIP LOCKED) RETURNING …
 */
export async function claimMail(db: Database, tenantId: string, ledger: MailLedger, pick: { id: string } | 'next', prepare?: (tx: Tx) => Promise<void>): Promise<ClaimedMail | null> {
  const c = cols(ledger);
  return inTenantTx(db.app, { tenantId }, async (tx) => {
    await prepare?.(tx);
    const which = pick === 'next' ? sql`` : sql`AND id = ${pick.id}`;
    const r = await sql<{ id: string; sent_to: string; cc: string | null; html: boolean | null; subject: string; body: string; message_id: string }>`
      UPDATE ${sql.id(ledger.table)} SET ${c('state')} = 'sending', ${c('claimed_at')} = now() ${touch(ledger)}
      WHERE id = (SELECT id FROM ${sql.id(ledger.table)} WHERE ${c('state')} = 'queued' ${which} ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING id, ${c('sent_to')} AS sent_to, ${opt(ledger, 'cc', sql`NULL::text`)} AS cc, ${opt(ledger, 'html', sql`false`)} AS html,
        ${c('subject')} AS subject, ${c('body')} AS body, ${c('message_id')} AS message_id`.execute(tx);
    const row = r.rows[0];
    if (!row) return null;
    await ledger.onStateChange?.(tx, [{ id: row.id, from: 'queued', to: 'sending' }]);
    return {
      id: row.id, to: splitAddresses(row.sent_to), cc: row.cc ? splitAddresses(row.cc) : undefined,
      subject: row.subject, body: row.body, html: row.html === true, messageId: row.message_id,
    };
  });
}

/**
 * Sends a claimed mail and records the outcome (only over 'sending': a row a
 * sweep already called unknown stays so). A mail that never left — the
 * connection to the SMTP server failed — goes back to 'queued' for the next
 * attempt; a refusal after that is 'failed'. `after` runs in the outcome's transaction.
 */
export async function sendClaimed(db: Database, tenantId: string, ledger: MailLedger, mail: ClaimedMail, after?: (tx: Tx, outcome: MailOutcome) => Promise<void>): Promise<MailOutcome> {
  let outcome: MailOutcome;
  try {
    const sent = await sendMail({ to: mail.to, cc: mail.cc, subject: mail.subject, messageId: mail.messageId, ...(mail.html ? { html: mail.body } : { text: mail.body }) });
    outcome = { state: 'sent', response: sent.response };
  } catch (e) {
    const error = (e instanceof Error ? e.message : String(e)).slice(0, 500);
    outcome = { state: neverLeft(e) ? 'queued' : 'failed', error };
  }
  const c = cols(ledger);
  const error = outcome.state === 'sent' ? null : outcome.error;
  await inTenantTx(db.app, { tenantId }, async (tx) => {
    const r = await sql`UPDATE ${sql.id(ledger.table)} SET ${c('state')} = ${outcome.state}, ${c('error')} = ${error},
        ${c('sent_at')} = ${outcome.state === 'sent' ? sql`now()` : sql`NULL`}, ${c('claimed_at')} = ${outcome.state === 'queued' ? sql`NULL` : c('claimed_at')} ${touch(ledger)}
      WHERE id = ${mail.id} AND ${c('state')} = 'sending' RETURNING id`.execute(tx);
    if (r.rows.length) await ledger.onStateChange?.(tx, [{ id: mail.id, from: 'sending', to: outcome.state, error }]);
    await after?.(tx, outcome);
  });
  return outcome;
}

/**
 * 'sending' for longer than MOSAIC_MAIL_UNKNOWN_AFTER_SECONDS (600, longer than
 * any SMTP exchange: its sender died between handing it over and recording it)
 * → 'unknown'. `tell` runs for them in the same transaction (ask someone to check).
 */
export async function markUnknownMail(db: Database, tenantId: string, ledger: MailLedger, tell?: (tx: Tx, ids: string[]) => Promise<void>): Promise<string[]> {
  const after = envNumber('MOSAIC_MAIL_UNKNOWN_AFTER_SECONDS', 600);
  const c = cols(ledger);
  return inTenantTx(db.app, { tenantId }, async (tx) => {
    const stale = (await sql<{ id: string }>`UPDATE ${sql.id(ledger.table)} SET ${c('state')} = 'unknown' ${touch(ledger)}
      WHERE ${c('state')} = 'sending' AND ${c('claimed_at')} < now() - make_interval(secs => ${after}) RETURNING id`.execute(tx)).rows.map((r) => r.id);
    if (!stale.length) return stale;
    await ledger.onStateChange?.(tx, stale.map((id) => ({ id, from: 'sending' as const, to: 'unknown' as const })));
    await tell?.(tx, stale);
    return stale;
  });
}

/**
 * Whether a send error proves the mail did not leave: the connection itself
 * failed (refused, DNS, greeting timeout — nodemailer's command 'CONN'), so
 * no SMTP server ever saw it and sending it again cannot make a second copy.
 */
export function neverLeft(e: unknown): boolean {
  const err = e as { code?: string; command?: string } | null;
  return err?.command === 'CONN' || err?.code === 'ECONNECTION' || err?.code === 'EDNS';
}

export function splitAddresses(s: string): string[] {
  return s.split(',').map((x) => x.trim()).filter(Boolean);
}

function cols(ledger: MailLedger): (name: MailColumn) => RawBuilder<unknown> {
  return (name) => {
    const col = ledger.column(name);
    if (!col) throw new Error(`mail ledger ${ledger.table} has no ${name} column`);
    return sql.id(col) as unknown as RawBuilder<unknown>;
  };
}

function opt(ledger: MailLedger, name: MailColumn, dflt: RawBuilder<unknown>): RawBuilder<unknown> {
  const col = ledger.column(name);
  return col ? (sql.id(col) as unknown as RawBuilder<unknown>) : dflt;
}

function touch(ledger: MailLedger): RawBuilder<unknown> {
  return ledger.isRecord ? sql`, version = version + 1, updated_at = now()` : sql``;
}
