export { buildApp } from './app.ts';
export { startRuntime, type Runtime } from './runtime.ts';
export type { ServerContext } from './http/context.ts';
export { installModules, MODULES } from './modules.ts';
