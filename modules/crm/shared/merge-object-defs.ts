import type { TCreateObject } from '@mosaic/meta';

/**
 * One definition per object: an addition for an object already in `base`
 * appends its fields and rules to it (installObjects creates an object from
 * its first definition only); a new object is appended. Lets a CRM part keep
 * its objects and fields in its own file.
 */
export function mergeObjectDefs(base: TCreateObject[], ...additions: TCreateObject[][]): TCreateObject[] {
  const out = base.map((d) => ({ ...d, fields: [...(d.fields ?? [])], rules: [...(d.rules ?? [])] }));
  for (const add of additions.flat()) {
    const into = out.find((d) => d.apiName === add.apiName);
    if (!into) out.push({ ...add, fields: [...(add.fields ?? [])], rules: [...(add.rules ?? [])] });
    else {
      into.fields.push(...(add.fields ?? []));
      into.rules.push(...(add.rules ?? []));
    }
  }
  return out;
}
