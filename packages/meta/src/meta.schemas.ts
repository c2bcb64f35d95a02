import { z } from 'zod';
import { API_NAME_RE } from '@mosaic/db';
import { FIELD_TYPES } from './meta.types.ts';

/** Input schemas of the metadata API (`ZCreateField` names the schema, `TCreateField` its type). */
const ZLabel = z.union([
  z.string().min(1).max(100).transform((zh) => ({ zh })),
  z.object({ zh: z.string().min(1).max(100), en: z.string().max(100).optional() }).strict(),
]);

const ZApiName = z.string().regex(API_NAME_RE, 'must be snake_case: a lower-case letter, then letters, digits or _, at most 40').refine((s) => !s.includes('__'), 'must not contain "__"');

const ZOption = z.object({ value: z.string().min(1).max(100), label: ZLabel, color: z.string().max(20).optional() }).strict();

export const ZFieldConfig = z
  .object({
    maxLength: z.number().int().min(1).max(1_000_000).optional(),
    precision: z.number().int().min(1).max(38).optional(),
    scale: z.number().int().min(0).max(12).optional(),
    min: z.union([z.string().max(40), z.number()]).optional(),
    max: z.union([z.string().max(40), z.number()]).optional(),
    regex: z.string().max(200).optional(),
    options: z.array(ZOption).max(500).optional(),
    target: ZApiName.optional(),
    onDelete: z.enum(['restrict', 'set_null', 'cascade']).optional(),
    pattern: z.string().max(60).optional(),
    dateField: ZApiName.optional(),
    keyOf: ZApiName.optional(),
    keyReversed: z.boolean().optional(),
    formula: z.string().max(4000).optional(),
    resultType: z.enum(['text', 'number', 'boolean', 'date', 'datetime']).optional(),
    stored: z.boolean().optional(),
    rollup: z
      .object({ relation: ZApiName, field: ZApiName.optional(), fn: z.enum(['sum', 'count', 'min', 'max', 'avg']), filter: z.unknown().optional() })
      .strict()
      .optional(),
    lookup: z.object({ link: ZApiName, field: z.string().max(200) }).strict().optional(),
    defaultCurrency: z.string().regex(/^[A-Z]{3}$/).optional(),
    editableAfterSubmit: z.boolean().optional(),
    scopeLink: z.enum(['owner', 'department']).optional(),
    searchable: z.boolean().optional(),
  })
  .strict();

export const ZCreateField = z
  .object({
    apiName: ZApiName,
    type: z.enum(FIELD_TYPES),
    label: ZLabel,
    required: z.boolean().default(false),
    unique: z.boolean().default(false),
    indexed: z.boolean().default(false),
    defaultValue: z.unknown().optional(),
    config: ZFieldConfig.default({}),
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();
export type TCreateField = z.input<typeof ZCreateField>;

export const ZUpdateField = z
  .object({
    label: ZLabel.optional(),
    type: z.enum(FIELD_TYPES).optional(),
    required: z.boolean().optional(),
    unique: z.boolean().optional(),
    indexed: z.boolean().optional(),
    defaultValue: z.unknown().optional(),
    config: ZFieldConfig.optional(),
    position: z.number().int().min(0).max(10_000).optional(),
    archived: z.boolean().optional(),
  })
  .strict();
export type TUpdateField = z.input<typeof ZUpdateField>;

const ZRule = z.object({ name: z.string().min(1).max(100), formula: z.string().min(1).max(4000), message: ZLabel, field: z.string().max(200).optional() }).strict();

/** An object's default list view (meta.types.ts ListDefaults); its paths are checked against the object in list-defaults.ts. */
export const ZListDefaults = z
  .object({
    columns: z.array(z.string().min(1).max(200)).min(1).max(40),
    sort: z.object({ field: z.string().min(1).max(200), direction: z.enum(['asc', 'desc']) }).strict().optional(),
    filter: z.unknown().optional(),
  })
  .strict();
export type TListDefaults = z.infer<typeof ZListDefaults>;

export const ZCreateObject = z
  .object({
    apiName: ZApiName,
    label: ZLabel,
    pluralLabel: ZLabel.optional(),
    module: z.string().regex(/^[a-z][a-z0-9_]{0,30}$/).default('custom'),
    isDocument: z.boolean().default(false),
    isChild: z.boolean().default(false),
    parentObject: ZApiName.optional(),
    titleField: ZApiName.optional(),
    searchFields: z.array(ZApiName).max(10).optional(),
    rules: z.array(ZRule).max(100).default([]),
    fields: z.array(ZCreateField).max(500).default([]),
    listDefaults: ZListDefaults.optional(),
  })
  .strict();
export type TCreateObject = z.input<typeof ZCreateObject>;

export const ZUpdateObject = z
  .object({
    label: ZLabel.optional(),
    pluralLabel: ZLabel.optional(),
    titleField: ZApiName.optional(),
    searchFields: z.array(ZApiName).max(10).optional(),
    rules: z.array(ZRule).max(100).optional(),
    archived: z.boolean().optional(),
    /** null: back to no defaults (the web picks). */
    listDefaults: ZListDefaults.nullable().optional(),
  })
  .strict();
export type TUpdateObject = z.input<typeof ZUpdateObject>;
