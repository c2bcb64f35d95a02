import type { TFlowDefinition, TFlowNode } from './flow-definition.schema.ts';
import { FlowGraph, findCycles, matchJoins, reachable } from './flow-graph.ts';

/** One reason a flow cannot be activated, naming the node (or edge) it is about. */
export interface FlowError {
  node?: string;
  edge?: string;
  message: string;
}

/** What validation needs to know about the tenant: metadata, users, roles. */
export interface FlowChecks {
  /** null when `src` is a condition (a boolean formula) over the object's fields; else why not. */
  condition(src: string): string | null;
  userExists(id: string): boolean;
  roleExists(code: string): boolean;
  /** null when `field` is a user field of the object; else why not. */
  userField(field: string): string | null;
}

/**
 * Whether a flow may be activated: one start, edges between existing nodes,
 * the right number of ways out of each node, a default on every condition
 * branch, conditions that type-check, no cycles, every node reachable from the
 * start and able to reach an end, and every parallel split closed by one join.
 * Pure: the tenant facts come in through `checks`.
 */
export function validateFlow(def: TFlowDefinition, checks: FlowChecks): FlowError[] {
  const errors: FlowError[] = [];
  const g = new FlowGraph(def);
  const ids = new Set<string>();
  for (const n of def.nodes) {
    if (ids.has(n.id)) errors.push({ node: n.id, message: `node id "${n.id}" is used twice` });
    ids.add(n.id);
  }
  const starts = def.nodes.filter((n) => n.type === 'start');
  if (starts.length !== 1) errors.push({ node: starts[1]?.id, message: `a flow needs exactly one start node (found ${starts.length})` });
  if (!def.nodes.some((n) => n.type === 'end')) errors.push({ message: 'a flow needs an end node' });
  if (def.entryCondition) {
    const why = checks.condition(def.entryCondition);
    if (why) errors.push({ node: 'entryCondition', message: `entry condition: ${why}` });
  }

  for (const [i, e] of def.edges.entries()) {
    const name = e.id ?? `${e.source}→${e.target}`;
    for (const end of [e.source, e.target]) {
      if (!g.nodes.has(end)) errors.push({ edge: name, node: end, message: `edge ${i} (${name}) points at a node "${end}" that does not exist` });
    }
    if (g.nodes.get(e.source)?.type !== 'condition' && (e.condition || e.default)) {
      errors.push({ edge: name, node: e.source, message: `edge ${name}: only edges leaving a condition node carry a condition or default` });
    }
  }

  for (const n of def.nodes) errors.push(...checkNode(n, g, checks));

  const cycles = findCycles(g);
  for (const id of cycles) errors.push({ node: id, message: `node "${id}" is on a cycle; a flow goes one way (use reject-to-node to go back)` });
  const start = starts[0];
  if (start) {
    const fromStart = reachable(g, [start.id], 'forward');
    const toEnd = reachable(g, def.nodes.filter((n) => n.type === 'end').map((n) => n.id), 'backward');
    for (const n of def.nodes) {
      if (!fromStart.has(n.id)) errors.push({ node: n.id, message: `node "${n.id}" cannot be reached from the start` });
      else if (!toEnd.has(n.id)) errors.push({ node: n.id, message: `no path leads from node "${n.id}" to an end` });
    }
    if (!cycles.length) errors.push(...matchJoins(g).errors);
  }
  return errors;
}

function checkNode(n: TFlowNode, g: FlowGraph, checks: FlowChecks): FlowError[] {
  const errors: FlowError[] = [];
  const at = (message: string) => errors.push({ node: n.id, message: `node "${n.id}"${n.label ? ` (${n.label})` : ''}: ${message}` });
  const out = g.outgoing(n.id);
  if (n.type === 'start' && g.incoming(n.id).length) at('nothing may lead into the start');
  if (n.type === 'end' && out.length) at('nothing may leave an end');
  if (['start', 'approval', 'cc', 'parallel_join'].includes(n.type) && out.length !== 1) at(`needs exactly one way on (has ${out.length})`);
  if (n.type === 'parallel_split' && out.length < 2) at(`a parallel split needs at least two branches (has ${out.length})`);
  if (n.type === 'parallel_join' && g.incoming(n.id).length < 2) at('a parallel join needs at least two branches coming in');
  if (n.type === 'condition') {
    const defaults = out.filter((e) => e.default);
    if (defaults.length !== 1) at(`a condition branch needs exactly one default edge (has ${defaults.length})`);
    if (defaults[0]?.condition) at('the default edge must not carry a condition');
    for (const e of out.filter((x) => !x.default)) {
      if (!e.condition) at(`the edge to "${e.target}" needs a condition (or mark it default)`);
      else {
        const why = checks.condition(e.condition);
        if (why) at(`condition to "${e.target}": ${why}`);
      }
    }
  }
  if (n.type === 'approval') {
    if (n.mode === 'percentage' && n.percentage === undefined) at('percentage mode needs a percentage (1–100)');
    if (n.mode !== 'percentage' && n.percentage !== undefined) at('a percentage applies only in percentage mode');
    const a = n.approvers;
    if (a.kind === 'users') for (const id of a.userIds.filter((u) => !checks.userExists(u))) at(`approver ${id} is not an active user`);
    if (a.kind === 'role' && !checks.roleExists(a.role)) at(`there is no role "${a.role}"`);
    if (a.kind === 'field') {
      const why = checks.userField(a.field);
      if (why) at(why);
    }
  }
  if (n.type === 'cc') {
    if (!n.recipients.userIds.length && !n.recipients.roles.length) at('a CC node needs at least one user or role');
    for (const id of n.recipients.userIds.filter((u) => !checks.userExists(u))) at(`CC recipient ${id} is not an active user`);
    for (const r of n.recipients.roles.filter((x) => !checks.roleExists(x))) at(`there is no role "${r}"`);
  }
  return errors;
}
