import { z } from 'zod';

/**
 * A public form (外链表单): which fields of an object an anonymous visitor may
 * fill, which of them a link may prefill (`/f/<id>?source=wechat`), hidden
 * defaults, and how many submissions one IP may make per minute.
 *
 *   { "object": "lead", "title": "免费试用申请",
 *     "fields": [{ "field": "name", "required": true }, { "field": "phone", "required": true }, { "field": "source" }],
 *     "prefill": ["source"], "defaults": { "channel": "web" }, "rateLimit": 5 }
 */
export const ZFormField = z.object({
  field: z.string().min(1).max(63),
  label: z.string().max(200).optional(),
  required: z.boolean().optional(),
}).strict();

const formFields = {
  object: z.string().min(1).max(63),
  title: z.string().trim().min(1).max(200),
  description: z.string().max(5000).nullable().optional(),
  fields: z.array(ZFormField).min(1).max(50),
  prefill: z.array(z.string().min(1).max(63)).max(50).optional(),
  defaults: z.record(z.string().min(1).max(63), z.unknown()).optional(),
  rateLimit: z.number().int().min(1).max(1000).optional(),
  successMessage: z.string().max(1000).nullable().optional(),
  enabled: z.boolean().optional(),
};

export const ZCreateForm = z.object(formFields).strict();
export type TCreateForm = z.infer<typeof ZCreateForm>;
export const ZUpdateForm = z.object(formFields).partial().strict();
export type TUpdateForm = z.infer<typeof ZUpdateForm>;
