import { describe, expect, it, vi } from 'vitest';

// The selling module's record hooks come from its register() (activateModules), not from
// whichever file happens to be imported: a process that activates the modules defaults
// quote lines as it does order and invoice lines, and return lines from their order.
describe('selling register()', () => {
  it('registers the line defaults of orders, invoices, quotes and returns', async () => {
    // Fresh copies of the modules: the test process may already have activated them for another file.
    vi.resetModules();
    const { hasPrepareHooks } = await import('@mosaic/records');
    const { sellingModule } = await import('./module.ts');
    const objects = ['sales_order', 'sales_invoice', 'quote', 'sales_return'];
    expect(objects.map(hasPrepareHooks)).toEqual([false, false, false, false]);
    sellingModule.register!();
    expect(objects.map(hasPrepareHooks)).toEqual([true, true, true, true]);
  });
});
