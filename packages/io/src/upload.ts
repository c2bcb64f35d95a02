import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { AppError } from '@mosaic/kernel';

/** Largest import file accepted. */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

/** A part of a multipart body, as @fastify/multipart yields them. */
export interface FormPart {
  type: 'file' | 'field';
  fieldname: string;
  filename?: string;
  file?: Readable & { truncated?: boolean };
  value?: unknown;
}

export interface ReceivedForm {
  /** Where the upload was streamed to: <dataDir>/uploads/<random id>.upload — never the user's file name. */
  path: string;
  /** The user's file name, for display only (path parts and control characters removed). */
  name: string;
  size: number;
  fields: Record<string, string>;
}

/**
 * Streams the multipart body of an import to a temp file and collects its text
 * fields. The file is written under a random name, so names like
 * "../../etc/passwd" or "a\u0000.csv" never reach the file system.
 */
export async function receiveForm(parts: AsyncIterable<FormPart>, dataDir: string): Promise<ReceivedForm> {
  const dir = path.join(dataDir, 'uploads');
  fs.mkdirSync(dir, { recursive: true });
  const fields: Record<string, string> = {};
  let file: { path: string; name: string; size: number } | undefined;
  try {
    for await (const part of parts) {
      if (part.type === 'field') {
        fields[part.fieldname] = String(part.value ?? '');
        continue;
      }
      if (part.fieldname !== 'file' || file) {
        part.file?.resume();
        throw new AppError('BAD_REQUEST', 'Send exactly one file, in a field named "file".', { field: 'file' });
      }
      let name: string;
      try {
        name = displayName(part.filename);
      } catch (e) {
        part.file?.resume();
        throw e;
      }
      const target = path.join(dir, `${randomUUID()}.upload`);
      file = { path: target, name, size: 0 };
      await pipeline(part.file!, fs.createWriteStream(target, { mode: 0o600 }));
      if (part.file!.truncated) throw tooLarge();
      file.size = fs.statSync(target).size;
    }
  } catch (e) {
    if (file) fs.rmSync(file.path, { force: true });
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    throw e;
  }
  if (!file) throw new AppError('FIELD_REQUIRED', 'file: is required (multipart field "file")', { field: 'file' });
  return { ...file, fields };
}

function tooLarge(): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `file: larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`, { field: 'file' });
}

/** The base name only ("../../x.csv" → "x.csv"); control characters (NUL …) are refused outright. */
function displayName(name: string | undefined): string {
  const raw = String(name ?? '');
  if (/[\u0000-\u001f\u007f]/.test(raw)) throw new AppError('FILE_NAME_INVALID', 'file: the file name contains control characters', { field: 'file' });
  const base = raw.split(/[\\/]/).pop()!.trim().slice(0, 200);
  return base && base !== '.' && base !== '..' ? base : 'upload';
}
