import { registerCompanySetUp, type CompanySetUpInput } from '@mosaic/identity';
import { logChanges } from '@mosaic/records';
import { addTemplateAccounts, recordChart } from './chart.install.ts';
import { chartTemplateOrThrow, defaultChartFor } from './chart-templates.ts';
import { addCompanyTaxRates } from '../tax/tax-rate.install.ts';

/**
 * A company created at runtime (POST /api/v1/admin/companies) gets its books in
 * the creating transaction: the chart its creator chose (`chartTemplate`) or the
 * default for its currency, and the VAT rates on that chart's accounts — so an
 * invoice of the new company posts at once, not after a restart. Idempotent:
 * only missing accounts and rates are added. The chart can still be swapped
 * (POST /api/v1/finance/chart-setup) until the company posts.
 */
export async function setUpCompanyBooks({ tx, ctx, company, options }: CompanySetUpInput): Promise<void> {
  const template = options.chartTemplate === undefined ? defaultChartFor(company.currency) : chartTemplateOrThrow(options.chartTemplate, 'chartTemplate');
  const actor = ctx.guard.actor;
  const objects = await ctx.store.objects(actor.tenantId);
  if (!objects.get('gl_account')) return; // the tenant has not installed finance yet: afterInstall gives the chart then
  const added = await addTemplateAccounts(tx, objects, actor.tenantId, company.id, template);
  await recordChart(tx, actor.tenantId, company.id, template, actor.userId);
  await addCompanyTaxRates(tx, objects, actor.tenantId, company.id);
  // As chart-setup does: each account the template created is a gl_account change in the audit trail.
  await logChanges(tx, actor, added.map(([code, id]) => ({ object: 'gl_account', recordId: id, op: 'create', changes: { code: [null, code], chart_template: [null, template] } })));
}

export function registerCompanyBooks(): void {
  registerCompanySetUp('finance', setUpCompanyBooks);
}
