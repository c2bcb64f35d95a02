// The projects module's public API.
export { projectsModule } from './module.ts';
export { collectCost, type CostEntry } from './project/project-cost.service.ts';
export { COST_TYPES, type CostType } from './projects.objects.ts';
