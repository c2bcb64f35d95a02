import type { FastifyInstance } from 'fastify';
import type { RecordsCtx } from '@mosaic/records';
import { idParam } from './shared/buying-sql.ts';
import { invoiceFrom, orderFromQuotation, orderFromRequisition, receiptFromOrder, returnFromReceipt, rfqsFromRequisition } from './chain/make-documents.service.ts';
import { orderChain } from './chain/chain-status.service.ts';
import { answerRfq, quotationComparison } from './rfq/rfq.service.ts';
import { confirmOrder, ensurePortalRole, postShippingUpdate } from './portal/supplier-portal.service.ts';
import { releaseQualityHold } from './purchase-receipt/quality-release.service.ts';
import { requisitionsFromSuggestions } from './reorder/reorder.service.ts';

type Id = { Params: { id: string } };
const BASE = '/api/v1/buying';

/**
 * The buying module's actions (thin: parse, call the service). "Make" actions
 * answer 201 with the new draft document.
 */
export async function buyingRoutes(app: FastifyInstance, recordsCtx: (request: unknown) => RecordsCtx): Promise<void> {
  const created = <T>(reply: { status(n: number): { send(v: T): unknown } }, v: T) => reply.status(201).send(v);

  app.post<Id>(`${BASE}/purchase_requisition/:id/rfqs`, async (req, reply) =>
    created(reply, await rfqsFromRequisition(recordsCtx(req), idParam(req.params.id, 'purchase_requisition'), req.body)));
  app.post<Id>(`${BASE}/purchase_requisition/:id/purchase_order`, async (req, reply) =>
    created(reply, await orderFromRequisition(recordsCtx(req), idParam(req.params.id, 'purchase_requisition'), req.body)));
  app.get<Id>(`${BASE}/purchase_requisition/:id/quotation-comparison`, async (req) =>
    quotationComparison(recordsCtx(req), idParam(req.params.id, 'purchase_requisition')));
  app.post<Id>(`${BASE}/rfq/:id/supplier_quotation`, async (req, reply) =>
    created(reply, await answerRfq(recordsCtx(req), idParam(req.params.id, 'rfq'), req.body)));
  app.post<Id>(`${BASE}/supplier_quotation/:id/purchase_order`, async (req, reply) =>
    created(reply, await orderFromQuotation(recordsCtx(req), idParam(req.params.id, 'supplier_quotation'), req.body)));
  app.post<Id>(`${BASE}/purchase_order/:id/purchase_receipt`, async (req, reply) =>
    created(reply, await receiptFromOrder(recordsCtx(req), idParam(req.params.id, 'purchase_order'), req.body)));
  app.post<Id>(`${BASE}/purchase_order/:id/purchase_invoice`, async (req, reply) =>
    created(reply, await invoiceFrom(recordsCtx(req), 'purchase_order', idParam(req.params.id, 'purchase_order'), req.body)));
  app.post<Id>(`${BASE}/purchase_receipt/:id/purchase_invoice`, async (req, reply) =>
    created(reply, await invoiceFrom(recordsCtx(req), 'purchase_receipt', idParam(req.params.id, 'purchase_receipt'), req.body)));
  app.post<Id>(`${BASE}/purchase_receipt/:id/purchase_return`, async (req, reply) =>
    created(reply, await returnFromReceipt(recordsCtx(req), idParam(req.params.id, 'purchase_receipt'), req.body)));
  app.post<Id>(`${BASE}/purchase_receipt/:id/release`, async (req) =>
    releaseQualityHold(recordsCtx(req), idParam(req.params.id, 'purchase_receipt')));
  app.get<Id>(`${BASE}/purchase_order/:id/chain`, async (req) => orderChain(recordsCtx(req), idParam(req.params.id, 'purchase_order')));
  app.post<Id>(`${BASE}/purchase_order/:id/confirm`, async (req) => confirmOrder(recordsCtx(req), idParam(req.params.id, 'purchase_order'), req.body));
  app.post<Id>(`${BASE}/purchase_order/:id/shipping_updates`, async (req, reply) =>
    created(reply, await postShippingUpdate(recordsCtx(req), idParam(req.params.id, 'purchase_order'), req.body)));
  app.post<Id>(`${BASE}/supplier/:id/portal_role`, async (req) => ensurePortalRole(recordsCtx(req), idParam(req.params.id, 'supplier')));
  app.post(`${BASE}/reorder`, async (req, reply) => created(reply, await requisitionsFromSuggestions(recordsCtx(req))));
}
