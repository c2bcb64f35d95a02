import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// The selling module's record hooks come from its register() (activateModules), not from
// whichever file happens to be imported: a process that activates the modules defaults
// quote lines as it does order and invoice lines, and return lines from their order.
// In a process of its own: the test runner's process has activated every module for
// other test files already (it shares its process between them).
const probe = `
  import { hasPrepareHooks } from '@mosaic/records';
  import { sellingModule } from './modules/selling/module.ts';
  const objects = ['sales_order', 'sales_invoice', 'quote', 'sales_return'];
  const before = objects.map(hasPrepareHooks);
  sellingModule.register();
  console.log(JSON.stringify({ before, after: objects.map(hasPrepareHooks) }));
`;

describe('selling register()', () => {
  it('registers the line defaults of orders, invoices, quotes and returns', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], { cwd: new URL('../..', import.meta.url).pathname, encoding: 'utf8' });
    const { before, after } = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(before).toEqual([false, false, false, false]);
    expect(after).toEqual([true, true, true, true]);
  }, 60_000);
});
