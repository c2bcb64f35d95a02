import type { FastifyInstance } from 'fastify';
import type { RecordsCtx } from '@mosaic/records';
import { renderDocumentPdf } from './render/render-document.ts';
import { createPrintTemplate, deletePrintTemplate, getPrintTemplateOrThrow, listPrintTemplates, updatePrintTemplate } from './template/templates.service.ts';
import { defaultTemplateOf } from './template/default-template.ts';

type IdParams = { Params: { id: string } };

/**
 * Printing over HTTP:
 *   GET /api/v1/records/{object}/{id}/print?template=<id>  → application/pdf (inline)
 *   GET|POST /api/v1/print-templates, GET|PATCH|DELETE /api/v1/print-templates/{id}
 *   GET /api/v1/print-templates/default/{object}  → the body a new template starts from
 */
export async function printRoutes(app: FastifyInstance, recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {
  const ctx = (request: unknown) => ({ ...recordsCtx(request), dataDir: (app as { mosaic?: { dataDir?: string } }).mosaic?.dataDir });

  app.get<{ Params: { object: string; id: string }; Querystring: { template?: string } }>('/api/v1/records/:object/:id/print', async (request, reply) => {
    const printed = await renderDocumentPdf(ctx(request), request.params.object, request.params.id, request.query.template || undefined);
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `inline; filename="document.pdf"; filename*=UTF-8''${encodeURIComponent(printed.fileName)}`)
      .header('x-mosaic-template', encodeURIComponent(printed.template))
      .header('cache-control', 'private, no-store')
      .send(printed.pdf);
  });

  app.get<{ Querystring: { object?: string } }>('/api/v1/print-templates', async (request) => ({ data: await listPrintTemplates(ctx(request), { object: request.query.object }) }));
  app.post('/api/v1/print-templates', async (request, reply) => reply.status(201).send(await createPrintTemplate(ctx(request), request.body)));
  app.get<{ Params: { object: string } }>('/api/v1/print-templates/default/:object', async (request) => defaultTemplateOf(ctx(request), request.params.object));
  app.get<IdParams>('/api/v1/print-templates/:id', async (request) => getPrintTemplateOrThrow(ctx(request), request.params.id));
  app.patch<IdParams>('/api/v1/print-templates/:id', async (request) => updatePrintTemplate(ctx(request), request.params.id, request.body));
  app.delete<IdParams>('/api/v1/print-templates/:id', async (request, reply) => {
    await deletePrintTemplate(ctx(request), request.params.id);
    return reply.status(204).send();
  });
}
