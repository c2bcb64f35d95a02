import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import type { FlowRow, LoadedFlow } from '../approval.types.ts';
import { FlowGraph, matchJoins } from '../definition/flow-graph.ts';
import { registerProcessCache } from '@mosaic/kernel';

// A version that was activated is never edited again (flow.service.ts), so it
// can be cached for good; drafts are always read fresh.
const cache = new Map<string, LoadedFlow>();
registerProcessCache(() => cache.clear());
const MAX = 500;

/** A flow version by id, parsed into a graph. */
export async function loadFlow(tx: Tx, tenantId: string, flowId: string): Promise<LoadedFlow> {
  const key = `${tenantId}:${flowId}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const row = (await sql<FlowRow>`SELECT * FROM approval_flow WHERE id = ${flowId}`.execute(tx)).rows[0];
  if (!row) throw new Error(`approval flow ${flowId} is missing`);
  const loaded = toLoaded(row);
  if (row.activated_at) {
    if (cache.size >= MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, loaded);
  }
  return loaded;
}

export function toLoaded(row: FlowRow): LoadedFlow {
  const graph = new FlowGraph(row.definition);
  return { row, graph, joinOf: matchJoins(graph).joinOf };
}
