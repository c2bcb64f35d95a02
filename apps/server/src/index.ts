export { buildApp } from './app.ts';
export { startRuntime, type Runtime } from './runtime.ts';
export type { ServerContext } from './http/context.ts';
export { installModules, installModulesOnStart, MODULES } from './modules.ts';
export { installCodeHash, bundleCodeHash, stampInstalled, structureDigest, tenantFingerprint, tenantsToInstall } from './install-stamp.ts';
