import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import { AppError } from '@mosaic/kernel';
import { fileFacts, filePath, getRecord, MAX_FILE_BYTES, readableObject, storeFile } from '@mosaic/records';
import { inTenantTx } from '@mosaic/db';
import { recordsCtx } from '../http/context.ts';

/**
 * Uploads (POST /api/v1/files, multipart field "file") and downloads. A file is
 * downloaded only through a record the user may read that holds it in a field
 * the user may read: GET /api/v1/records/{object}/{id}/files/{fileId}.
 */
export async function filesRoutes(app: FastifyInstance): Promise<void> {
  await app.register(multipart, { limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 5 } });

  app.post('/api/v1/files', async (request, reply) => {
    if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data in a field named "file".');
    const part = await request.file();
    if (!part || part.fieldname !== 'file') throw new AppError('FIELD_REQUIRED', 'file: is required', { field: 'file' });
    const stored = await storeFile(app.mosaic.db, app.mosaic.dataDir, request.actor!, part.filename, part.mimetype, part.file);
    return reply.status(201).send({ id: stored.id, name: stored.name, mime: stored.mime, size: stored.size });
  });

  app.get<{ Params: { object: string; id: string; fileId: string } }>('/api/v1/records/:object/:id/files/:fileId', async (request, reply) => {
    const ctx = recordsCtx(app.mosaic, request.guard);
    const { obj } = await readableObject(ctx, request.params.object, 'read');
    const record = await getRecord(ctx, request.params.object, request.params.id);
    const held = obj.fields
      .filter((f) => (f.type === 'attachment' || f.type === 'image') && request.guard!.canReadField(obj, f))
      .flatMap((f) => ([] as unknown[]).concat(record[f.apiName] ?? []));
    if (!held.includes(request.params.fileId)) throw new AppError('FILE_NOT_FOUND');
    const [file] = await inTenantTx(app.mosaic.db.app, { tenantId: request.actor!.tenantId }, (tx) => fileFacts(tx, [request.params.fileId]));
    if (!file) throw new AppError('FILE_NOT_FOUND');
    const path = filePath(app.mosaic.dataDir, file.sha256);
    if (!fs.existsSync(path)) throw new AppError('FILE_NOT_FOUND');
    void reply.header('content-type', file.mime);
    void reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`);
    void reply.header('x-content-type-options', 'nosniff');
    return reply.send(fs.createReadStream(path));
  });
}
