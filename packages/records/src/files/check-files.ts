import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import type { PreparedRow } from '../record-values.ts';
import { assertFilesExist } from './file-store.ts';

/** Attachment and image values must name files uploaded in this tenant. */
export async function checkRowFiles(tx: Tx, obj: ObjectMeta, rows: PreparedRow[], prefix: (i: number) => string): Promise<void> {
  const fileFields = obj.fields.filter((f) => (f.type === 'attachment' || f.type === 'image') && f.columnName && !f.archived);
  for (const f of fileFields) {
    for (const [i, r] of rows.entries()) {
      const v = r.values[f.apiName];
      if (v === undefined || v === null) continue;
      await assertFilesExist(tx, Array.isArray(v) ? (v as string[]) : [v as string], `${prefix(i)}${f.apiName}`);
    }
  }
}
