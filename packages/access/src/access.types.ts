import type { FieldMeta, ObjectMeta } from '@mosaic/meta';

/** Every action a role can be granted on an object (DESIGN.md, Access). */
export const ACTIONS = ['read', 'create', 'edit', 'delete', 'submit', 'cancel', 'export', 'print', 'import'] as const;
export type Action = (typeof ACTIONS)[number];

/** Who is asking. Built from the session on every request; never from the request body. */
export interface Actor {
  tenantId: string;
  userId: string;
  companyId: string | null;
  departmentId: string | null;
  /** The user's department and every department below it. */
  departmentIds: string[];
  isAdmin: boolean;
  roleIds: string[];
  ip?: string;
  locale: string;
  timeZone: string;
}

/**
 * The one enforcement layer's question-answerer. Every read and write path asks
 * it: the records query builder (list, get, count, aggregates, export, linked
 * fields), writes, imports, reports. A guard is built per request from policy data.
 */
export interface AccessGuard {
  readonly actor: Actor;
  /** May the actor do `action` on this object at all? */
  can(obj: ObjectMeta, action: Action): boolean;
  /** The same for a name: an object API name or an admin area ('admin.roles', 'admin.users', 'admin.org'). */
  canDo(object: string, action: Action): boolean;
  /**
   * The records the actor may touch for `action`, as a filter-DSL node (with
   * variables like {"var":"$user"}), or null when unrestricted. Lists AND it in;
   * a record outside it looks exactly like a missing one (404).
   */
  recordScope(obj: ObjectMeta, action: Action): unknown | null;
  canReadField(obj: ObjectMeta, field: FieldMeta): boolean;
  canWriteField(obj: ObjectMeta, field: FieldMeta): boolean;
}
