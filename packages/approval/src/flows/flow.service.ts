import { sql } from 'kysely';
import { AppError, isUuid, newId } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import type { Actor } from '@mosaic/access';
import type { ApprovalDeps, FlowRow } from '../approval.types.ts';
import type { TCreateFlow, TFlowDefinition, TUpdateFlow } from '../definition/flow-definition.schema.ts';
import { validateFlow, type FlowError } from '../definition/flow-validate.rules.ts';
import { flowChecksFor } from './flow-checks.ts';

/**
 * Flow definitions (admin). A flow is a family of versions sharing (object,
 * name); at most one version is active. A version that was ever activated is
 * frozen: editing it saves the next version, so running instances — pinned to
 * the version they started with — never see a change.
 *
 *   POST /api/v1/approval-flows             { object, name, definition }   → version 1, inactive
 *   PUT  /api/v1/approval-flows/{id}        { definition }                 → same id, or the next version
 *   POST /api/v1/approval-flows/{id}/activate                               → 422 with errors naming nodes
 */
export interface FlowView {
  id: string;
  object: string;
  name: string;
  version: number;
  active: boolean;
  definition: TFlowDefinition;
  activatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export async function listFlows(deps: ApprovalDeps, actor: Actor, q: { object?: string }): Promise<{ data: FlowView[] }> {
  return tenantTx(deps, actor, async (tx) => {
    const filter = q.object ? sql`WHERE object = ${q.object}` : sql``;
    const rows = await sql<FlowRow>`SELECT * FROM approval_flow ${filter} ORDER BY object, name, version DESC`.execute(tx);
    return { data: rows.rows.map(view) };
  });
}

export async function getFlow(deps: ApprovalDeps, actor: Actor, id: string): Promise<FlowView> {
  return tenantTx(deps, actor, async (tx) => view(await flowOrThrow(tx, id)));
}

export async function createFlow(deps: ApprovalDeps, actor: Actor, input: TCreateFlow): Promise<FlowView> {
  const obj = (await deps.store.objects(actor.tenantId)).get(input.object);
  if (!obj || obj.archived || !obj.isDocument) throw new AppError('FIELD_INVALID', `object: "${input.object.slice(0, 64)}" is not a document object`, { field: 'object' });
  return tenantTx(deps, actor, async (tx) => {
    const taken = await sql`SELECT 1 FROM approval_flow WHERE object = ${input.object} AND name = ${input.name} LIMIT 1`.execute(tx);
    if (taken.rows.length) throw new AppError('CONFLICT', `A flow named "${input.name}" already exists for ${input.object}; edit it to make a new version.`);
    return view(await insertVersion(tx, actor, input.object, input.name, 1, input.definition));
  });
}

export async function updateFlow(deps: ApprovalDeps, actor: Actor, id: string, input: TUpdateFlow): Promise<FlowView> {
  return tenantTx(deps, actor, async (tx) => {
    const row = await flowOrThrow(tx, id, true);
    if (!row.activated_at) {
      const r = await sql<FlowRow>`UPDATE approval_flow SET definition = ${JSON.stringify(input.definition)}, updated_at = now() WHERE id = ${id} RETURNING *`.execute(tx);
      return view(r.rows[0]);
    }
    const latest = await sql<{ v: number }>`SELECT max(version) AS v FROM approval_flow WHERE object = ${row.object} AND name = ${row.name}`.execute(tx);
    const draft = await sql<FlowRow>`SELECT * FROM approval_flow WHERE object = ${row.object} AND name = ${row.name} AND version = ${latest.rows[0].v}`.execute(tx);
    // Editing a frozen version again and again updates one pending draft instead of piling up versions.
    if (!draft.rows[0].activated_at) {
      const r = await sql<FlowRow>`UPDATE approval_flow SET definition = ${JSON.stringify(input.definition)}, updated_at = now() WHERE id = ${draft.rows[0].id} RETURNING *`.execute(tx);
      return view(r.rows[0]);
    }
    return view(await insertVersion(tx, actor, row.object, row.name, latest.rows[0].v + 1, input.definition));
  });
}

/** The problems that keep a flow from activation, each naming its node; none means it may be activated. */
export async function validateFlowById(deps: ApprovalDeps, actor: Actor, id: string): Promise<{ valid: boolean; errors: FlowError[] }> {
  return tenantTx(deps, actor, async (tx) => {
    const errors = await problems(deps, actor, tx, await flowOrThrow(tx, id));
    return { valid: errors.length === 0, errors };
  });
}

export async function activateFlow(deps: ApprovalDeps, actor: Actor, id: string): Promise<FlowView> {
  return tenantTx(deps, actor, async (tx) => {
    const row = await flowOrThrow(tx, id, true);
    const errors = await problems(deps, actor, tx, row);
    if (errors.length) {
      throw new AppError('VALIDATION_FAILED', `The flow cannot be activated: ${errors[0].message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`, { details: { errors } });
    }
    await sql`SELECT id FROM approval_flow WHERE object = ${row.object} AND name = ${row.name} FOR UPDATE`.execute(tx);
    await sql`UPDATE approval_flow SET active = false, updated_at = now() WHERE object = ${row.object} AND name = ${row.name} AND active AND id <> ${id}`.execute(tx);
    const r = await sql<FlowRow>`UPDATE approval_flow SET active = true, activated_at = COALESCE(activated_at, now()), updated_at = now() WHERE id = ${id} RETURNING *`.execute(tx);
    return view(r.rows[0]);
  });
}

export async function deactivateFlow(deps: ApprovalDeps, actor: Actor, id: string): Promise<FlowView> {
  return tenantTx(deps, actor, async (tx) => {
    await flowOrThrow(tx, id, true);
    const r = await sql<FlowRow>`UPDATE approval_flow SET active = false, updated_at = now() WHERE id = ${id} RETURNING *`.execute(tx);
    return view(r.rows[0]);
  });
}

/** Only a version that never ran can be deleted; the others are history. */
export async function deleteFlow(deps: ApprovalDeps, actor: Actor, id: string): Promise<void> {
  await tenantTx(deps, actor, async (tx) => {
    const row = await flowOrThrow(tx, id, true);
    if (row.activated_at) throw new AppError('CONFLICT', 'A version that was activated cannot be deleted; deactivate it instead.');
    await sql`DELETE FROM approval_flow WHERE id = ${id}`.execute(tx);
  });
}

// ---------------------------------------------------------------- helpers

async function problems(deps: ApprovalDeps, actor: Actor, tx: Tx, row: FlowRow): Promise<FlowError[]> {
  const objects = await deps.store.objects(actor.tenantId);
  const obj = objects.get(row.object);
  if (!obj || obj.archived) return [{ message: `the object "${row.object}" no longer exists` }];
  return validateFlow(row.definition, await flowChecksFor(tx, objects, obj, row.definition));
}

async function insertVersion(tx: Tx, actor: Actor, object: string, name: string, version: number, def: TFlowDefinition): Promise<FlowRow> {
  const r = await sql<FlowRow>`INSERT INTO approval_flow (tenant_id, id, object, name, version, definition, created_by)
    VALUES (${actor.tenantId}, ${newId()}, ${object}, ${name}, ${version}, ${JSON.stringify(def)}, ${actor.userId}) RETURNING *`.execute(tx);
  return r.rows[0];
}

async function flowOrThrow(tx: Tx, id: string, lock = false): Promise<FlowRow> {
  const row = isUuid(id) ? (await sql<FlowRow>`SELECT * FROM approval_flow WHERE id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`.execute(tx)).rows[0] : undefined;
  if (!row) throw new AppError('NOT_FOUND', 'No such approval flow.');
  return row;
}

function tenantTx<T>(deps: ApprovalDeps, actor: Actor, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inTenantTx(deps.db.app, { tenantId: actor.tenantId, userId: actor.userId }, fn);
}

function view(r: FlowRow): FlowView {
  return { id: r.id, object: r.object, name: r.name, version: r.version, active: r.active, definition: r.definition, activatedAt: r.activated_at, createdAt: r.created_at, updatedAt: r.updated_at };
}
