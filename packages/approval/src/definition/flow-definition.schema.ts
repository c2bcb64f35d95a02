import { z } from 'zod';

/**
 * The shape of a flow definition: a graph of nodes and edges, as the designer
 * (React Flow) draws it. Shape only — whether the graph makes sense (reachable
 * end, a default on every branch, conditions that type-check, joins matching
 * splits) is `validateFlow` in flow-validate.rules.ts, so a half-drawn flow can
 * still be saved as a draft.
 *
 *   { "nodes": [{ "id": "start", "type": "start" },
 *               { "id": "mgr", "type": "approval", "approvers": { "kind": "manager" } },
 *               { "id": "end", "type": "end" }],
 *     "edges": [{ "source": "start", "target": "mgr" }, { "source": "mgr", "target": "end" }] }
 */
const ZNodeId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'node ids: 1–64 letters, digits, _ or -');
const ZPosition = z.object({ x: z.number(), y: z.number() }).optional();
const ZLabel = z.string().max(100).optional();
const ZFormula = z.string().min(1).max(4000);

/** Who approves: named users, a role, the submitter's manager, N managers up the tree, or a user field of the record. */
export const ZApprovers = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('users'), userIds: z.array(z.uuid()).min(1).max(50) }).strict(),
  z.object({ kind: z.literal('role'), role: z.string().min(1).max(64) }).strict(),
  z.object({ kind: z.literal('manager') }).strict(),
  z.object({ kind: z.literal('manager_chain'), levels: z.number().int().min(1).max(10) }).strict(),
  z.object({ kind: z.literal('field'), field: z.string().min(1).max(64) }).strict(),
]);

export const ZTimeout = z.object({
  hours: z.number().positive().max(24 * 366),
  action: z.enum(['escalate_to_manager', 'auto_approve', 'auto_reject', 'notify']),
}).strict();

const base = { id: ZNodeId, label: ZLabel, position: ZPosition };

export const ZFlowNode = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('start') }).strict(),
  z.object({
    ...base,
    type: z.literal('approval'),
    approvers: ZApprovers,
    /** single: one approver; countersign 会签: all; or_sign 或签: any one; percentage: ≥ p % of them. */
    mode: z.enum(['single', 'countersign', 'or_sign', 'percentage']).default('single'),
    percentage: z.number().int().min(1).max(100).optional(),
    /** Approve at once when the approver is the submitter. */
    autoApproveSubmitter: z.boolean().default(false),
    /** When nobody resolves (no manager, empty field): the tenant's admins approve, or the node passes. */
    ifNoApprover: z.enum(['admin', 'auto_approve']).default('admin'),
    timeout: ZTimeout.optional(),
  }).strict(),
  z.object({ ...base, type: z.literal('condition') }).strict(),
  z.object({ ...base, type: z.literal('parallel_split') }).strict(),
  z.object({ ...base, type: z.literal('parallel_join') }).strict(),
  z.object({
    ...base,
    type: z.literal('cc'),
    recipients: z.object({ userIds: z.array(z.uuid()).max(50).default([]), roles: z.array(z.string().min(1).max(64)).max(20).default([]) }).strict(),
  }).strict(),
  z.object({ ...base, type: z.literal('end') }).strict(),
]);

/** Edges leaving a condition node are tried in order; the one marked default is taken when none holds. */
export const ZFlowEdge = z.object({
  id: z.string().max(100).optional(),
  source: ZNodeId,
  target: ZNodeId,
  label: ZLabel,
  condition: ZFormula.optional(),
  default: z.boolean().optional(),
}).strict();

export const ZFlowDefinition = z.object({
  /** Which submissions this flow handles (formula over the record); none: all. */
  entryCondition: ZFormula.nullish(),
  /** Among several active flows of an object, lower priority is tried first (then by name). */
  priority: z.number().int().min(0).max(10_000).default(100),
  nodes: z.array(ZFlowNode).min(1).max(200),
  edges: z.array(ZFlowEdge).max(500),
}).strict();

export type TFlowDefinition = z.output<typeof ZFlowDefinition>;
export type TFlowNode = z.output<typeof ZFlowNode>;
export type TFlowEdge = z.output<typeof ZFlowEdge>;
export type TApprovalNode = Extract<TFlowNode, { type: 'approval' }>;
export type TCcNode = Extract<TFlowNode, { type: 'cc' }>;
export type TApprovers = z.output<typeof ZApprovers>;

export const ZCreateFlow = z.object({
  object: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(100),
  definition: ZFlowDefinition,
}).strict();

/** A new definition for a flow; an activated version stays as it is and the change becomes the next version. */
export const ZUpdateFlow = z.object({ definition: ZFlowDefinition }).strict();

export type TCreateFlow = z.output<typeof ZCreateFlow>;
export type TUpdateFlow = z.output<typeof ZUpdateFlow>;
