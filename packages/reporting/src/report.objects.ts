import { filterFieldPaths, parseFilter, resolvePath, type ObjectMeta } from '@mosaic/meta';
import { isFormulaMeasure, type TReportDefinition } from './report.schema.ts';

/**
 * The objects a report reads: its source and every object a field path walks
 * through (`customer.region.name` → customer, region). A change to any of them
 * (an outbox event) can change the report's numbers, so dashboards and alerts
 * listen for exactly these.
 */
export function objectsRead(objects: Map<string, ObjectMeta>, def: TReportDefinition): string[] {
  const root = objects.get(def.source);
  if (!root) return [def.source];
  const out = new Set<string>([def.source]);
  const paths = [
    ...(def.rows ?? []).map((d) => d.field), ...(def.columns ?? []).map((d) => d.field),
    ...def.measures.flatMap((m) => (isFormulaMeasure(m) ? [] : [m.field, ...filterPaths(m.filter)])),
    ...filterPaths(def.filter), def.period?.field,
  ];
  for (const p of paths) {
    if (!p) continue;
    try {
      for (const link of resolvePath(objects, root, p).links) if (!link.target.id.startsWith('system.')) out.add(link.target.apiName);
    } catch {
      /* a path that no longer resolves reads nothing */
    }
  }
  return [...out].sort();
}

function filterPaths(filter: unknown): string[] {
  if (filter === undefined || filter === null) return [];
  try {
    return filterFieldPaths(parseFilter(filter));
  } catch {
    return [];
  }
}
