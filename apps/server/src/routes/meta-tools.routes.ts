import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '@mosaic/kernel';
import { compileAndCheck, evaluateFormula, formulaEnvFor, FUNCTIONS, regionTree, type FormulaAst, type ObjectMeta } from '@mosaic/meta';
import { evalContextOf, listRecords } from '@mosaic/records';
import { recordsCtx } from '../http/context.ts';
import { MODULES } from '../modules.ts';

/**
 * Helpers for the web app's forms and designers:
 *   GET  /api/v1/meta/regions                        → { data: [{ code, name, children }] } 省/市/区 (GB/T 2260)
 *   GET  /api/v1/meta/formula/functions              → { data: ["ABS", "AND", …] }
 *   GET  /api/v1/meta/modules                        → { data: [{ name, label, depends, menu, objectModules }] } (the navigation)
 *   POST /api/v1/meta/objects/{object}/formula/check { formula } (a dry run: nothing is saved)
 *        → { valid: true, type: "number", dependsOn: ["price", "qty"], sample?: { id, title, value } }
 *        → { valid: false, error: { code: "FORMULA_SYNTAX", message, details: { position, reason } } }
 */
export async function metaToolsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/v1/meta/regions', async (_request, reply) => {
    void reply.header('cache-control', 'private, max-age=86400');
    return { data: regionTree() };
  });

  app.get('/api/v1/meta/formula/functions', async () => ({ data: Object.keys(FUNCTIONS).sort() }));

  // The installed modules' manifests, as the web app builds its navigation from them: each module's menu
  // group, label and order, and the `module` its objects declare (CRM's second manifest files more objects
  // under the same group). Every tenant has every built-in module, so the list is the same for all.
  app.get('/api/v1/meta/modules', async () => ({ data: moduleCatalogue() }));

  app.post<{ Params: { object: string } }>('/api/v1/meta/objects/:object/formula/check', async (request) => {
    if (!request.actor!.isAdmin) throw new AppError('FORBIDDEN', 'Only administrators may design formulas.');
    const formula = (request.body as { formula?: unknown } | null)?.formula;
    if (typeof formula !== 'string' || formula.length > 4000) throw new AppError('BAD_REQUEST', 'formula: must be text of at most 4,000 characters', { field: 'formula' });
    const objects = await app.mosaic.store.objects(request.actor!.tenantId);
    const obj = objects.get(request.params.object);
    if (!obj || obj.archived) throw new AppError('OBJECT_UNKNOWN', `No object named "${request.params.object.slice(0, 64)}".`);
    let checked: { ast: FormulaAst; type: string; dependsOn: string[] };
    try {
      checked = compileAndCheck(formula, formulaEnvFor(objects, obj));
    } catch (e) {
      if (e instanceof AppError && e.status < 500) return { valid: false, error: e.toJSON().error };
      throw e;
    }
    return { valid: true, type: checked.type, dependsOn: checked.dependsOn, sample: await sampleValue(app, request, objects, obj, checked) };
  });
}

/** The formula's value on the latest record the user may read — best effort, never an error. */
async function sampleValue(app: FastifyInstance, request: FastifyRequest, objects: Map<string, ObjectMeta>, obj: ObjectMeta, checked: { ast: FormulaAst; dependsOn: string[] }) {
  try {
    const env = formulaEnvFor(objects, obj);
    if (obj.isChild || checked.dependsOn.some((p) => env.typeOf(p).many)) return undefined;
    const ctx = recordsCtx(app.mosaic, request.guard);
    const fields = checked.dependsOn.length ? checked.dependsOn : [obj.titleField];
    const list = await listRecords(ctx, obj.apiName, { pageSize: 1, sort: '-created_at', fields, total: false, titles: true });
    const row = list.data[0];
    if (!row) return undefined;
    const value = evaluateFormula(checked.ast, { get: (p) => row[p] }, evalContextOf(ctx));
    return { id: row.id, title: row.$title ?? null, value: plain(value) };
  } catch {
    return undefined;
  }
}

function plain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return String(v); // Decimal
  return v;
}

/** What a client needs of the manifests: no objects, no hooks; in menu order. */
function moduleCatalogue() {
  return [...MODULES]
    .sort((a, b) => a.menu.order - b.menu.order)
    .map((m) => ({
      name: m.name,
      label: m.label,
      depends: m.depends,
      menu: m.menu,
      objectModules: [...new Set(m.objects.map((o) => o.module ?? 'custom'))],
    }));
}
