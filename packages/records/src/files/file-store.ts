import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import { AppError, newId } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import type { Actor } from '@mosaic/access';

/**
 * Uploaded files. Bytes live on disk under <dataDir>/files/<sha256> (content-
 * addressed: the name a user gave never touches the file system); the facts
 * (name, type, size, who) live in file_object under the tenant's RLS. A file is
 * read only through a record that links it (see records.files.ts).
 */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

export interface StoredFile {
  id: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
}

export async function storeFile(db: { app: import('@mosaic/db').Db }, dataDir: string, actor: Actor, name: string, mime: string, stream: Readable): Promise<StoredFile> {
  const safeName = cleanFileName(name);
  const dir = path.join(dataDir, 'files');
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.upload-${randomUUID()}`);
  const hash = createHash('sha256');
  let size = 0;
  stream.on('data', (chunk: Buffer) => {
    size += chunk.length;
    hash.update(chunk);
  });
  try {
    await pipeline(stream, fs.createWriteStream(tmp));
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  if ((stream as Readable & { truncated?: boolean }).truncated || size > MAX_FILE_BYTES) {
    fs.rmSync(tmp, { force: true });
    throw new AppError('PAYLOAD_TOO_LARGE', `file: larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`, { field: 'file' });
  }
  const sha256 = hash.digest('hex');
  fs.renameSync(tmp, path.join(dir, sha256));
  const file: StoredFile = { id: newId(), name: safeName, mime: cleanMime(mime), size, sha256 };
  await inTenantTx(db.app, { tenantId: actor.tenantId, userId: actor.userId }, (tx) =>
    sql`INSERT INTO file_object (tenant_id, id, name, mime, size, sha256, created_by) VALUES (${actor.tenantId}, ${file.id}, ${file.name}, ${file.mime}, ${size}, ${sha256}, ${actor.userId})`.execute(tx));
  return file;
}

/** The path of a stored file's bytes (the sha256 comes from our own table, never from input). */
export function filePath(dataDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new AppError('FILE_NOT_FOUND');
  return path.join(dataDir, 'files', sha256);
}

/** Refuses file ids that are not this tenant's files (attachment and image fields). */
export async function assertFilesExist(tx: Tx, ids: string[], field: string): Promise<void> {
  if (!ids.length) return;
  const found = await sql<{ id: string }>`SELECT id FROM file_object WHERE id = ANY(${ids}::uuid[])`.execute(tx);
  const have = new Set(found.rows.map((r) => r.id));
  const missing = ids.find((id) => !have.has(id));
  if (missing) throw new AppError('FIELD_INVALID', `${field}: no uploaded file with id ${missing}`, { field });
}

export async function fileFacts(tx: Tx, ids: string[]): Promise<StoredFile[]> {
  if (!ids.length) return [];
  const r = await sql<StoredFile>`SELECT id, name, mime, size::int AS size, sha256 FROM file_object WHERE id = ANY(${ids}::uuid[])`.execute(tx);
  return r.rows;
}

/** A display name without paths, control characters or traversal; the disk name is the hash anyway. */
export function cleanFileName(name: string): string {
  const base = String(name ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (!base || base === '.' || base === '..') throw new AppError('FILE_NAME_INVALID', 'file: the file name is empty or not allowed', { field: 'file' });
  return base.slice(0, 200);
}

function cleanMime(mime: string): string {
  return /^[\w.+-]+\/[\w.+-]+$/.test(mime ?? '') ? mime.toLowerCase() : 'application/octet-stream';
}
