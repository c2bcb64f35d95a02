// The manufacturing module's public API: what other modules and flows may use.
export { manufacturingModule } from './module.ts';
