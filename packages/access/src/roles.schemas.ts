import { z } from 'zod';
import { API_NAME_RE } from '@mosaic/db';
import { ACTIONS } from './access.types.ts';
import { ADMIN_AREAS, ALL_OBJECTS, FIELD_RULES, SCOPES } from './policy.types.ts';

/** Input schemas of the permission admin API (`ZCreateRole` names the schema, `TCreateRole` its type). */
const ZLabel = z.union([
  z.string().trim().min(1).max(100).transform((zh) => ({ zh })),
  z.object({ zh: z.string().trim().min(1).max(100), en: z.string().max(100).optional() }).strict(),
]);

const ZApiName = z.string().regex(API_NAME_RE, 'must be an object or field API name (snake_case)');

/** An object API name, '*' (every object) or an admin area. */
const ZPermissionObject = z.string().refine(
  (s) => s === ALL_OBJECTS || (ADMIN_AREAS as readonly string[]).includes(s) || API_NAME_RE.test(s),
  `must be an object API name, "${ALL_OBJECTS}" or one of ${ADMIN_AREAS.join(', ')}`,
);

export const ZCreateRole = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be snake_case, 2 to 40 characters'),
  label: ZLabel,
  description: z.string().max(500).optional(),
}).strict();
export type TCreateRole = z.infer<typeof ZCreateRole>;

export const ZUpdateRole = z.object({ label: ZLabel.optional(), description: z.string().max(500).nullable().optional() }).strict();
export type TUpdateRole = z.infer<typeof ZUpdateRole>;

export const ZPermission = z.object({
  object: ZPermissionObject,
  action: z.enum(ACTIONS),
  scope: z.enum(SCOPES).default('all'),
  /** Only with scope "filter": a filter-DSL tree, variables allowed ({"var":"$user"}). */
  filter: z.unknown().optional(),
}).strict();
export type TPermission = z.infer<typeof ZPermission>;

/** PUT …/permissions replaces the role's whole set: what is sent is what the role grants. */
export const ZSetPermissions = z.object({ permissions: z.array(ZPermission).max(5000) }).strict();

export const ZFieldRule = z.object({ object: ZApiName, field: ZApiName, rule: z.enum(FIELD_RULES) }).strict();
export type TFieldRule = z.infer<typeof ZFieldRule>;

export const ZSetFieldRules = z.object({ rules: z.array(ZFieldRule).max(5000) }).strict();
