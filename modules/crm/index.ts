// The CRM module's public API.
export { crmModule, crmSalesModule } from './module.ts';
export { normalizeOnServer } from './leads/dedupe.service.ts';
