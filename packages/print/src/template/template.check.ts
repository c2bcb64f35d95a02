import { AppError } from '@mosaic/kernel';
import type { FieldMeta, FieldType, ObjectMeta } from '@mosaic/meta';
import { PlaceholderError, placeholdersOf, type FilterName, type Placeholder } from './placeholders.ts';
import type { TPrintTemplateBody } from './template.schema.ts';

/**
 * What `$…` placeholders print: the company letterhead, the object, the print itself; `$row.no` in table columns.
 * `$currency` is the sign of the document's currency (¥, US$), `$currency.name` its name (人民币, 美元).
 */
export const DOCUMENT_VARIABLES = ['$company.name', '$company.address', '$company.phone', '$company.tax_id', '$company.bank_name', '$company.bank_account', '$object.label', '$printed_at', '$currency', '$currency.name'];
export const ROW_VARIABLES = ['$row.no'];

const NUMERIC: FieldType[] = ['integer', 'decimal', 'money', 'percent', 'formula', 'rollup', 'lookup'];
const DATED: FieldType[] = ['date', 'datetime', 'formula', 'lookup'];
const NEEDS: Record<FilterName, FieldType[]> = { money: NUMERIC, number: NUMERIC, percent: NUMERIC, capital: NUMERIC, date: DATED };

/**
 * Checks every placeholder of a template body against the object's metadata,
 * so a typo is refused when the template is saved, not found on paper:
 *   422 FIELD_INVALID, field "body.header.1.value":
 *   "body.header.1.value: {{custmer}} — sales_invoice has no field custmer"
 * Fields the saving user may not read are allowed: printing hides them per user.
 */
export function checkTemplateBodyOrThrow(objects: Map<string, ObjectMeta>, obj: ObjectMeta, body: TPrintTemplateBody): void {
  const doc = (text: string | undefined, at: string) => checkText(objects, obj, text, `body.${at}`, DOCUMENT_VARIABLES);
  doc(body.title, 'title');
  doc(body.subtitle, 'subtitle');
  body.header.forEach((f, i) => doc(f.value, `header.${i}.value`));
  body.totals.forEach((f, i) => doc(f.value, `totals.${i}.value`));
  body.footer.forEach((line, i) => doc(line, `footer.${i}`));
  if (!body.table) return;
  const child = childObjectOrThrow(objects, obj, body.table.source);
  body.table.columns.forEach((c, i) => checkText(objects, child, c.value, `body.table.columns.${i}.value`, [...ROW_VARIABLES, ...DOCUMENT_VARIABLES]));
}

/** The object of a child table field, e.g. `lines` of sales_invoice → sales_invoice_line. */
export function childObjectOrThrow(objects: Map<string, ObjectMeta>, obj: ObjectMeta, source: string): ObjectMeta {
  const field = liveField(obj, source);
  const child = field?.type === 'child_table' ? objects.get(field.config.target ?? '') : undefined;
  if (!child) throw new AppError('FIELD_INVALID', `body.table.source: ${obj.apiName} has no child table ${source}`, { field: 'body.table.source' });
  return child;
}

function checkText(objects: Map<string, ObjectMeta>, obj: ObjectMeta, text: string | undefined, at: string, variables: string[]): void {
  if (text === undefined) return;
  let placeholders: Placeholder[];
  try {
    placeholders = placeholdersOf(text);
  } catch (e) {
    if (e instanceof PlaceholderError) throw new AppError('FIELD_INVALID', `${at}: ${e.message}`, { field: at });
    throw e;
  }
  for (const p of placeholders) {
    const problem = problemOf(objects, obj, p, variables);
    if (problem) throw new AppError('FIELD_INVALID', `${at}: ${p.raw} — ${problem}`, { field: at });
  }
}

function problemOf(objects: Map<string, ObjectMeta>, obj: ObjectMeta, p: Placeholder, variables: string[]): string | null {
  if (p.path[0].startsWith('$')) {
    const name = p.path.join('.');
    return variables.includes(name) ? null : `unknown variable ${name} (here: ${variables.join(', ')})`;
  }
  const field = liveField(obj, p.path[0]);
  if (!field) return `${obj.apiName} has no field ${p.path[0]}`;
  let end = field;
  if (p.path.length === 2) {
    const target = field.type === 'link' ? objects.get(field.config.target ?? '') : undefined;
    if (!target) return `${p.path[0]} is not a link, so it has no .${p.path[1]}`;
    const sub = liveField(target, p.path[1]);
    if (!sub) return `${target.apiName} has no field ${p.path[1]}`;
    end = sub;
  }
  if (end.type === 'child_table') return `${end.apiName} is a child table: print it as the template's table`;
  const misfit = p.filters.find((f) => !NEEDS[f].includes(end.type));
  return misfit ? `the ${misfit} filter does not fit a ${end.type} field` : null;
}

function liveField(obj: ObjectMeta, apiName: string): FieldMeta | undefined {
  return obj.fields.find((f) => f.apiName === apiName && !f.archived);
}
