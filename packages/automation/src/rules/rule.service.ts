import { sql } from 'kysely';
import { AppError, isUuid, newId } from '@mosaic/kernel';
import { inTenantTx, type Database, type Tx } from '@mosaic/db';
import type { Actor } from '@mosaic/access';
import type { MetaStore } from '@mosaic/meta';
import type { RuleRow } from '../automation.types.ts';
import { validateRule } from './rule-validate.ts';
import { invalidateRules, ruleById, tenantFacts } from './rule.store.ts';
import type { TCreateRule, TUpdateRule } from './rule.schema.ts';

export interface RuleDeps {
  db: Database;
  store: MetaStore;
}

export interface RuleView {
  id: string;
  object: string | null;
  name: string;
  description: string | null;
  enabled: boolean;
  trigger: RuleRow['trigger'];
  condition: string | null;
  actions: RuleRow['actions'];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Rules are administrators' work: they act on every record as the system. */
function assertAdmin(actor: Actor): void {
  if (!actor.isAdmin) throw new AppError('FORBIDDEN', 'Only administrators may design automation rules.');
}

const tx = <T>(deps: RuleDeps, actor: Actor, fn: (tx: Tx) => Promise<T>) => inTenantTx(deps.db.app, { tenantId: actor.tenantId, userId: actor.userId }, fn);

export async function listRules(deps: RuleDeps, actor: Actor, q: { object?: string } = {}): Promise<{ data: RuleView[] }> {
  assertAdmin(actor);
  return tx(deps, actor, async (t) => {
    const rows = await sql<RuleRow>`SELECT * FROM automation_rule WHERE (${q.object ?? null}::text IS NULL OR object = ${q.object ?? null}) ORDER BY name, id`.execute(t);
    return { data: rows.rows.map(view) };
  });
}

export async function getRule(deps: RuleDeps, actor: Actor, id: string): Promise<RuleView> {
  assertAdmin(actor);
  return tx(deps, actor, async (t) => view(await ruleOrThrow(t, id)));
}

export async function createRule(deps: RuleDeps, actor: Actor, input: TCreateRule): Promise<RuleView> {
  assertAdmin(actor);
  const objects = await deps.store.objects(actor.tenantId);
  const id = newId();
  const row = await tx(deps, actor, async (t) => {
    const { timeZone } = await tenantFacts(t);
    const actions = validateRule(objects, input, timeZone);
    await assertHook(t, input);
    const enabled = input.enabled ?? true;
    return (await sql<RuleRow>`INSERT INTO automation_rule (tenant_id, id, object, name, description, enabled, trigger, condition, actions, enabled_at, created_by)
      VALUES (${actor.tenantId}, ${id}, ${input.object ?? null}, ${input.name}, ${input.description ?? null}, ${enabled}, ${JSON.stringify(input.trigger)},
        ${input.condition || null}, ${JSON.stringify(actions)}, ${enabled ? sql`now()` : null}, ${actor.userId}) RETURNING *`.execute(t)).rows[0];
  });
  invalidateRules(actor.tenantId);
  return view(row);
}

export async function updateRule(deps: RuleDeps, actor: Actor, id: string, input: TUpdateRule): Promise<RuleView> {
  assertAdmin(actor);
  const objects = await deps.store.objects(actor.tenantId);
  const row = await tx(deps, actor, async (t) => {
    const cur = await ruleOrThrow(t, id, true);
    if (cur.version !== input.version) throw new AppError('VERSION_CONFLICT', `version: the rule is at version ${cur.version}, you sent ${input.version}; reload it`, { field: 'version' });
    const next: TCreateRule = {
      name: input.name ?? cur.name, description: input.description === undefined ? cur.description : input.description,
      object: input.object === undefined ? cur.object : input.object, enabled: input.enabled ?? cur.enabled,
      trigger: input.trigger ?? cur.trigger, condition: input.condition === undefined ? cur.condition : input.condition, actions: input.actions ?? cur.actions,
    };
    const { timeZone } = await tenantFacts(t);
    const actions = validateRule(objects, next, timeZone);
    await assertHook(t, next);
    return (await sql<RuleRow>`UPDATE automation_rule SET object = ${next.object ?? null}, name = ${next.name}, description = ${next.description ?? null},
        enabled = ${next.enabled!}, trigger = ${JSON.stringify(next.trigger)}, condition = ${next.condition || null}, actions = ${JSON.stringify(actions)},
        enabled_at = CASE WHEN ${next.enabled!} AND NOT enabled THEN now() ELSE enabled_at END,
        version = version + 1, updated_at = now()
      WHERE id = ${id} RETURNING *`.execute(t)).rows[0];
  });
  invalidateRules(actor.tenantId);
  return view(row);
}

export async function deleteRule(deps: RuleDeps, actor: Actor, id: string): Promise<void> {
  assertAdmin(actor);
  await tx(deps, actor, async (t) => {
    await ruleOrThrow(t, id);
    await sql`DELETE FROM automation_rule WHERE id = ${id}`.execute(t);
  });
  invalidateRules(actor.tenantId);
}

async function ruleOrThrow(t: Tx, id: string, lock = false): Promise<RuleRow> {
  const row = isUuid(id) ? (lock ? (await sql<RuleRow>`SELECT * FROM automation_rule WHERE id = ${id} FOR UPDATE`.execute(t)).rows[0] : await ruleById(t, id)) : undefined;
  if (!row) throw new AppError('NOT_FOUND', `No automation rule with id ${String(id).slice(0, 40)}.`, { field: 'id' });
  return row;
}

async function assertHook(t: Tx, rule: TCreateRule): Promise<void> {
  if (rule.trigger.type !== 'webhook') return;
  const hook = await sql`SELECT 1 FROM inbound_hook WHERE id = ${rule.trigger.hookId!}`.execute(t);
  if (!hook.rows.length) throw new AppError('VALIDATION_FAILED', 'trigger.hookId: no inbound hook with that id', { field: 'trigger.hookId' });
}

function view(r: RuleRow): RuleView {
  return {
    id: r.id, object: r.object, name: r.name, description: r.description, enabled: r.enabled, trigger: r.trigger, condition: r.condition,
    actions: r.actions, version: r.version, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
  };
}
