export { ACTIONS, type Action, type Actor, type AccessGuard } from './access.types.ts';
export { systemGuard } from './allow-all.guard.ts';
export { guardFor } from './guard-for.ts';
