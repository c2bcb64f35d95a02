import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import { isAppError } from '@mosaic/kernel';
import { compileAndCheck, formulaEnvFor, type ObjectMeta } from '@mosaic/meta';
import type { TFlowDefinition } from '../definition/flow-definition.schema.ts';
import type { FlowChecks } from '../definition/flow-validate.rules.ts';
import { activeUsers } from '../runtime/approvers.ts';

/**
 * The tenant facts a flow is validated against: conditions type-check against
 * the object's metadata (compileAndCheck with formulaEnvFor, as formula fields
 * do), named users are active, named roles exist, user fields are user fields.
 */
export async function flowChecksFor(tx: Tx, objects: Map<string, ObjectMeta>, obj: ObjectMeta, def: TFlowDefinition): Promise<FlowChecks> {
  const userIds = new Set<string>();
  const roles = new Set<string>();
  for (const n of def.nodes) {
    if (n.type === 'approval' && n.approvers.kind === 'users') n.approvers.userIds.forEach((u) => userIds.add(u));
    if (n.type === 'approval' && n.approvers.kind === 'role') roles.add(n.approvers.role);
    if (n.type === 'cc') {
      n.recipients.userIds.forEach((u) => userIds.add(u));
      n.recipients.roles.forEach((r) => roles.add(r));
    }
  }
  const users = new Set(await activeUsers(tx, [...userIds]));
  const knownRoles = new Set(roles.size
    ? (await sql<{ code: string }>`SELECT code FROM role WHERE code = ANY(${[...roles]}::text[])`.execute(tx)).rows.map((r) => r.code)
    : []);
  const env = formulaEnvFor(objects, obj);
  return {
    condition(src) {
      try {
        const { type } = compileAndCheck(src, env);
        return type === 'boolean' || type === 'any' ? null : `must be true or false, but is ${type}`;
      } catch (e) {
        if (isAppError(e)) return e.message;
        throw e;
      }
    },
    userExists: (id) => users.has(id),
    roleExists: (code) => knownRoles.has(code),
    userField(field) {
      const f = obj.fields.find((x) => x.apiName === field && !x.archived);
      if (!f) return `${obj.apiName} has no field "${field}"`;
      return f.type === 'user' ? null : `field "${field}" is a ${f.type} field, not a user field`;
    },
  };
}
