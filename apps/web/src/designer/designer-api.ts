import { post, patch, del, get } from '../api/client.ts';
import type { FieldMeta, Label, ListDefaults, ObjectMeta, FieldConfig, FieldType } from '../api/types.ts';

/** The metadata API the designers call (admins only): POST/PATCH/DELETE /api/v1/meta/objects… */
export interface NewObject {
  apiName: string;
  label: Label;
  module: string;
  isDocument?: boolean;
  isChild?: boolean;
  parentObject?: string;
  fields?: NewField[];
}

export interface NewField {
  apiName: string;
  type: FieldType;
  label: Label;
  required?: boolean;
  unique?: boolean;
  config?: FieldConfig;
}

export const createObject = (o: NewObject) => post<ObjectMeta>('/api/v1/meta/objects', o);
export const addField = (object: string, f: NewField) => post<FieldMeta>(`/api/v1/meta/objects/${object}/fields`, f);
export const updateField = (object: string, field: string, patchBody: Partial<Omit<NewField, 'apiName'>> & { archived?: boolean; position?: number }) =>
  patch<FieldMeta>(`/api/v1/meta/objects/${object}/fields/${field}`, patchBody);
export const removeField = (object: string, field: string) => del<unknown>(`/api/v1/meta/objects/${object}/fields/${field}`);
export const updateObject = (object: string, body: { label?: Label; titleField?: string; archived?: boolean; listDefaults?: ListDefaults | null }) => patch<ObjectMeta>(`/api/v1/meta/objects/${object}`, body);

export interface FormulaCheck {
  valid: boolean;
  type?: string;
  dependsOn?: string[];
  sample?: { id: string; title: string | null; value: unknown };
  error?: { code: string; message: string; field?: string; details?: { position?: number; reason?: string } };
}

export const checkFormula = (object: string, formula: string) => post<FormulaCheck>(`/api/v1/meta/objects/${object}/formula/check`, { formula });
export const formulaFunctions = () => get<{ data: string[] }>('/api/v1/meta/formula/functions').then((r) => r.data);

export const API_NAME_RE = /^[a-z][a-z0-9_]{0,39}$/;

/** "Purchase price" → "purchase_price": a suggestion; the admin can change it. */
export function suggestApiName(text: string | undefined): string {
  const s = (text ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').replace(/_+/g, '_').replace(/^(\d)/, 'f_$1');
  return s.slice(0, 40);
}
