export { crmModule } from './module.ts';
