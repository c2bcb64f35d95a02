export { hashPassword, verifyPassword, assertPasswordAcceptable } from './password.ts';
export { newToken, tokenHash } from './tokens.ts';
export { login, authenticate, logout, loadActor, auditAuth, SESSION_IDLE_MS, SESSION_ABSOLUTE_MS, type LoginResult } from './sessions.ts';
export { createTenant, insertUser, ensureFirstTenant, listTenantIds, type NewTenant, type TenantCreated, type NewUser } from './tenants.ts';
