import type { TFlowDefinition, TFlowEdge, TFlowNode } from './flow-definition.schema.ts';

/** Read access to a definition as a graph: nodes by id, edges out of and into each node. */
export class FlowGraph {
  readonly nodes = new Map<string, TFlowNode>();
  private readonly out = new Map<string, TFlowEdge[]>();
  private readonly inc = new Map<string, TFlowEdge[]>();

  constructor(readonly def: TFlowDefinition) {
    for (const n of def.nodes) if (!this.nodes.has(n.id)) this.nodes.set(n.id, n);
    for (const e of def.edges) {
      this.out.set(e.source, [...(this.out.get(e.source) ?? []), e]);
      this.inc.set(e.target, [...(this.inc.get(e.target) ?? []), e]);
    }
  }

  node(id: string): TFlowNode {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`flow has no node "${id}"`);
    return n;
  }

  outgoing(id: string): TFlowEdge[] {
    return this.out.get(id) ?? [];
  }

  incoming(id: string): TFlowEdge[] {
    return this.inc.get(id) ?? [];
  }

  start(): TFlowNode | undefined {
    return this.def.nodes.find((n) => n.type === 'start');
  }

  /** The one node after a node with a single way on (start, approval, cc, join). */
  next(id: string): string {
    const e = this.outgoing(id)[0];
    if (!e) throw new Error(`flow node "${id}" has no way on`);
    return e.target;
  }
}

/** Ids of nodes on a cycle (one per cycle is enough to name it), by depth-first search. */
export function findCycles(g: FlowGraph): string[] {
  const state = new Map<string, 1 | 2>();
  const found: string[] = [];
  const visit = (id: string): void => {
    state.set(id, 1);
    for (const e of g.outgoing(id)) {
      if (!g.nodes.has(e.target)) continue;
      const s = state.get(e.target);
      if (s === 1) found.push(e.target);
      else if (!s) visit(e.target);
    }
    state.set(id, 2);
  };
  for (const id of g.nodes.keys()) if (!state.has(id)) visit(id);
  return [...new Set(found)];
}

/** Node ids reachable from `from` following edges (forward) or against them (backward). */
export function reachable(g: FlowGraph, from: string[], direction: 'forward' | 'backward'): Set<string> {
  const seen = new Set<string>(from);
  const queue = [...from];
  while (queue.length) {
    const id = queue.shift()!;
    const edges = direction === 'forward' ? g.outgoing(id) : g.incoming(id);
    for (const e of edges) {
      const other = direction === 'forward' ? e.target : e.source;
      if (g.nodes.has(other) && !seen.has(other)) {
        seen.add(other);
        queue.push(other);
      }
    }
  }
  return seen;
}

/**
 * Which parallel join closes each parallel split. Every branch of a split must
 * reach the same join (through conditions and nested splits) before any end;
 * a join no split leads to is an error. Needs a graph without cycles.
 */
export function matchJoins(g: FlowGraph): { joinOf: Map<string, string>; errors: { node: string; message: string }[] } {
  const joinOf = new Map<string, string>();
  const errors: { node: string; message: string }[] = [];
  const memo = new Map<string, Set<string>>();
  const exits = (id: string): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    memo.set(id, new Set()); // guards against a cycle the caller failed to exclude
    const node = g.nodes.get(id);
    let result = new Set<string>();
    if (!node || node.type === 'end') result = new Set(node ? ['end'] : []);
    else if (node.type === 'parallel_join') result = new Set([`join:${id}`]);
    else if (node.type === 'parallel_split') {
      const branches = g.outgoing(id).map((e) => exits(e.target));
      const first = [...(branches[0] ?? [])];
      const same = first.length === 1 && first[0].startsWith('join:') && branches.every((b) => b.size === 1 && b.has(first[0]));
      if (same) {
        const join = first[0].slice(5);
        if ([...joinOf.values()].includes(join)) errors.push({ node: join, message: `parallel join "${join}" closes more than one parallel split` });
        joinOf.set(id, join);
        const after = g.outgoing(join)[0];
        result = after ? exits(after.target) : new Set();
      } else {
        errors.push({ node: id, message: `the branches of parallel split "${id}" must all meet at one parallel join before ending` });
      }
    } else {
      for (const e of g.outgoing(id)) for (const x of exits(e.target)) result.add(x);
    }
    memo.set(id, result);
    return result;
  };
  const start = g.start();
  if (start) {
    for (const x of exits(start.id)) {
      if (x.startsWith('join:')) errors.push({ node: x.slice(5), message: `parallel join "${x.slice(5)}" has no matching parallel split` });
    }
  }
  return { joinOf, errors };
}
