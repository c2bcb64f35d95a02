import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import { z } from 'zod';
import { AppError, parseOrThrow } from '@mosaic/kernel';
import {
  JobRunner, MAX_IMPORT_BYTES, assertCanImport, contentDisposition, exportList, getJobOrThrow, listMappings, receiveForm, saveMapping, startImport,
  type FormPart,
} from '@mosaic/io';
import { recordsCtx } from '../http/context.ts';
import { replicaReadCtx } from '../http/read-your-writes.ts';
import { parseListQuery } from './records.routes.ts';

const ZExportQuery = z.object({ format: z.enum(['csv', 'xlsx']).default('xlsx'), lang: z.enum(['zh', 'en']).default('zh') }).passthrough();
const ZSaveMapping = z.object({ name: z.string().trim().min(1).max(100), mapping: z.record(z.string(), z.string().nullable()) }).strict();

/**
 * Import (CSV/XLSX → any object, as a background job), job progress, saved
 * column mappings, and export of any list — thin handlers over @mosaic/io.
 */
export async function importExportRoutes(app: FastifyInstance): Promise<void> {
  await app.register(multipart, { limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 10, fieldSize: 1024 * 1024 } });
  const jobs = new JobRunner();
  // Imports run in this process (see JobRunner); closing the server waits for them.
  app.addHook('onClose', () => jobs.drain());

  app.post<{ Params: { object: string } }>('/api/v1/import/:object', async (request, reply) => {
    if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data in a field named "file".');
    const ctx = recordsCtx(app.mosaic, request.guard);
    await assertCanImport(ctx, request.params.object); // before a byte of the upload is stored
    const form = await receiveForm(request.parts() as AsyncIterable<FormPart>, app.mosaic.dataDir);
    return reply.status(202).send(await startImport(ctx, jobs, request.params.object, form));
  });

  app.get<{ Params: { id: string } }>('/api/v1/jobs/:id', async (request) => getJobOrThrow(app.mosaic.db.app, request.actor!, request.params.id));

  app.get<{ Params: { object: string } }>('/api/v1/import-mappings/:object', async (request) =>
    ({ data: await listMappings(recordsCtx(app.mosaic, request.guard), request.params.object) }));

  app.post<{ Params: { object: string } }>('/api/v1/import-mappings/:object', async (request, reply) => {
    const body = parseOrThrow(ZSaveMapping, request.body);
    return reply.status(201).send(await saveMapping(recordsCtx(app.mosaic, request.guard), request.params.object, body));
  });

  app.get<{ Params: { object: string }; Querystring: Record<string, string | undefined> }>('/api/v1/export/:object', async (request, reply) => {
    const q = parseOrThrow(ZExportQuery, request.query, 'BAD_REQUEST');
    const file = await exportList(await replicaReadCtx(app.mosaic, request), request.params.object, { format: q.format, lang: q.lang, list: parseListQuery(request.query) });
    void reply.header('content-type', file.contentType);
    void reply.header('content-disposition', contentDisposition(file.fileName, file.asciiName));
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('cache-control', 'no-store');
    return reply.send(file.stream);
  });
}
