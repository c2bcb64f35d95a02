import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { AppError, registerProcessCache } from '@mosaic/kernel';
import { inTenantTx, type Database, type Tx } from '@mosaic/db';

/**
 * Signed tokens for the CRM's public links (email open pixel, click redirect,
 * unsubscribe, satisfaction survey): `<tenant>.<kind>.<id>.<hmac>`, the HMAC
 * (SHA-256, truncated to 128 bits) keyed by a random per-tenant secret kept in
 * crm_secret. The tenant in the token only picks which secret to check
 * against; a token altered in any part fails the check.
 */
export type TokenKind = 'o' | 'c' | 'u' | 's';

export async function ensureSecret(tx: Tx, tenantId: string): Promise<void> {
  await sql`INSERT INTO crm_secret (tenant_id, secret) VALUES (${tenantId}, ${randomBytes(32).toString('base64url')}) ON CONFLICT DO NOTHING`.execute(tx);
}

const secrets = new Map<string, string>();
registerProcessCache(() => secrets.clear());

async function secretOf(db: Database, tenantId: string): Promise<string> {
  let s = secrets.get(tenantId);
  if (!s) {
    s = await inTenantTx(db.app, { tenantId }, async (tx) => (await sql<{ secret: string }>`SELECT secret FROM crm_secret`.execute(tx)).rows[0]?.secret);
    if (!s) throw new AppError('NOT_FOUND', 'This link is not valid.');
    secrets.set(tenantId, s);
  }
  return s;
}

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 22);

/** `bound` is signed but not carried (a click token signs the URL it redirects to, which travels beside it). */
export async function signToken(db: Database, tenantId: string, kind: TokenKind, id: string, bound = ''): Promise<string> {
  const payload = `${tenantId}.${kind}.${id}`;
  return `${payload}.${mac(await secretOf(db, tenantId), `${payload}${bound ? `|${bound}` : ''}`)}`;
}

/** The tenant and record a token names, or 404 (the same answer for a forged, altered or unknown token). */
export async function verifyToken(db: Database, token: string, kind: TokenKind, bound = ''): Promise<{ tenantId: string; id: string }> {
  const bad = () => new AppError('NOT_FOUND', 'This link is not valid.');
  const m = /^([0-9a-f-]{36})\.([ocus])\.([0-9a-f-]{36})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m || m[2] !== kind) throw bad();
  const [, tenantId, , id, sig] = m;
  let secret: string;
  try {
    secret = await secretOf(db, tenantId);
  } catch {
    throw bad();
  }
  const want = Buffer.from(mac(secret, `${tenantId}.${kind}.${id}${bound ? `|${bound}` : ''}`));
  if (!timingSafeEqual(want, Buffer.from(sig))) throw bad();
  return { tenantId, id };
}
