import { z } from 'zod';

/** Input schemas of the user admin API (`ZCreateUser` names the schema, `TCreateUser` its type). */
const ZEmail = z.string().trim().toLowerCase().max(254).regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an email address');
const ZId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be an id (UUID)').transform((s) => s.toLowerCase());

export const ZCreateUser = z.object({
  email: ZEmail,
  name: z.string().trim().min(1).max(100),
  phone: z.string().trim().max(40).nullable().optional(),
  /** Checked by the password rules (password.ts), not here, so the message is theirs. */
  password: z.unknown(),
  departmentId: ZId.nullable().optional(),
  companyId: ZId.nullable().optional(),
  roleIds: z.array(ZId).max(50).optional(),
  isAdmin: z.boolean().optional(),
  locale: z.enum(['zh-CN', 'en']).optional(),
}).strict();
export type TCreateUser = z.infer<typeof ZCreateUser>;

export const ZUpdateUser = z.object({
  email: ZEmail,
  name: z.string().trim().min(1).max(100),
  phone: z.string().trim().max(40).nullable(),
  departmentId: ZId.nullable(),
  companyId: ZId.nullable(),
  active: z.boolean(),
  isAdmin: z.boolean(),
  locale: z.enum(['zh-CN', 'en']),
}).partial().strict();
export type TUpdateUser = z.infer<typeof ZUpdateUser>;

export const ZSetUserRoles = z.object({ roleIds: z.array(ZId).max(50) }).strict();
export const ZResetPassword = z.object({ password: z.unknown() }).strict();

export const ZCreateDepartment = z.object({
  name: z.string().trim().min(1).max(100),
  parentId: ZId.nullable().optional(),
  companyId: ZId.nullable().optional(),
  managerId: ZId.nullable().optional(),
}).strict();
export const ZUpdateDepartment = z.object({
  name: z.string().trim().min(1).max(100),
  parentId: ZId.nullable(),
  companyId: ZId.nullable(),
  managerId: ZId.nullable(),
  archived: z.boolean(),
}).partial().strict();

// The letterhead (抬头) printed on documents: address, phone, tax id (统一社会信用代码), bank, logo (an uploaded PNG/JPEG).
const letterText = (max: number) => z.string().trim().max(max).nullable().optional();
const ZCompanyFields = z.object({
  name: z.string().trim().min(1).max(200),
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  address: letterText(300),
  phone: letterText(50),
  taxId: z.string().trim().regex(/^[0-9A-Z]{15,20}$/, 'a tax id is 15 to 20 digits or capital letters').nullable().optional(),
  bankName: letterText(100),
  bankAccount: letterText(50),
  logoFileId: ZId.nullable().optional(),
});
// chartTemplate: the chart of accounts a module sets the new company up with (the finance module checks the
// value; absent: the default for the company's currency). Only at creation: a chart is swapped through the finance module.
export const ZCreateCompany = ZCompanyFields.extend({ chartTemplate: z.string().max(50).optional() }).strict();
export const ZUpdateCompany = ZCompanyFields.partial().strict();
