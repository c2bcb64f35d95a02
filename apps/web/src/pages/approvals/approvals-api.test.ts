import { describe, expect, it } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { refreshAfterAction } from './approvals-api.ts';

// After an approval action the lists and records it may have changed are asked again: the decision that ends a
// flow submits the document, and the submit writes other objects (the ledger, stock, the order an invoice bills).
describe('refreshAfterAction', () => {
  it("marks every records query stale, not only the document's object, and every approvals query", async () => {
    const qc = new QueryClient();
    const keys = [
      ['records', 'purchase_request', 'one', 'doc-1'],
      ['records', 'purchase_request', 'list', { page: 1 }],
      ['records', 'gl_entry', 'list', { page: 1 }],
      ['records', 'sales_order', 'aggregate', null, ['count'], []],
      ['approvals', 'inbox', 'pending', 1, 20],
      ['approvals', 'record', 'purchase_request', 'doc-1'],
    ];
    for (const k of keys) qc.setQueryData(k, { data: [] });
    qc.setQueryData(['meta', 'objects'], []);
    await refreshAfterAction(qc);
    expect(keys.filter((k) => !qc.getQueryState(k)?.isInvalidated)).toEqual([]);
    expect(qc.getQueryState(['meta', 'objects'])?.isInvalidated).toBe(false); // metadata is not changed by an approval
  });
});
