// The manufacturing module's public API: what other modules and flows may use.
export { manufacturingModule } from './module.ts';
export { planMrp, pegRoots, lotSize } from './mrp/mrp.rules.ts';
export type { MrpInput, MrpResult, PlannedOrder, MrpItem, MrpBom, Demand, ScheduledReceipt } from './mrp/mrp.types.ts';
