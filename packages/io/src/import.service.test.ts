import { describe, expect, it } from 'vitest';
import type { AccessGuard, Action } from '@mosaic/access';
import type { ObjectMeta } from '@mosaic/meta';
import type { RecordsCtx } from '@mosaic/records';
import { assertCanImport } from './import.service.ts';
import { exportList } from './export.service.ts';

// Rights are checked before a byte is read or a row is listed. (Until role
// policies land every user is admin-like, so the HTTP tests cannot refuse anyone.)
const obj = { id: 'o1', apiName: 'customer', label: { zh: '客户' }, isChild: false, archived: false, fields: [] } as unknown as ObjectMeta;

function ctxAllowing(allowed: Action[]): RecordsCtx {
  const guard = {
    actor: { tenantId: 't', userId: 'u', isAdmin: false, timeZone: 'Asia/Shanghai' },
    can: (_o: ObjectMeta, a: Action) => allowed.includes(a),
    recordScope: () => null, canReadField: () => true, canWriteField: () => true,
  } as unknown as AccessGuard;
  return { db: {} as never, store: { objects: async () => new Map([['customer', obj]]) } as never, guard };
}

describe('rights', () => {
  it('import needs import and create', async () => {
    // The 403 names the missing right, as every endpoint's (requireRight): the client can say which one to ask for.
    await expect(assertCanImport(ctxAllowing(['read', 'create']), 'customer')).rejects.toMatchObject({ code: 'FORBIDDEN', details: { object: 'customer', action: 'import' } });
    await expect(assertCanImport(ctxAllowing(['read', 'import']), 'customer')).rejects.toMatchObject({ code: 'FORBIDDEN', details: { object: 'customer', action: 'create' } });
    await expect(assertCanImport(ctxAllowing(['import', 'create']), 'customer')).rejects.toMatchObject({ code: 'OBJECT_UNKNOWN' });
    await expect(assertCanImport(ctxAllowing(['read', 'import', 'create']), 'customer')).resolves.toMatchObject({ obj });
  });

  it('export needs export', async () => {
    await expect(exportList(ctxAllowing(['read']), 'customer', { format: 'csv', lang: 'zh', list: {} })).rejects.toMatchObject({ code: 'FORBIDDEN', details: { object: 'customer', action: 'export' } });
  });
});
