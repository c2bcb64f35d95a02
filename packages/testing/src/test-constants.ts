/** The test tenant's admin: one fixed login in every test file's database (a copy of one template). */
export const TEMPLATE_ADMIN_EMAIL = 'admin@test.local';
export const ADMIN_PASSWORD = 'Test-Admin-Pw-2026';
/** The template with a second tenant (tenant-b-template.ts): made by the first test file that asks, once a run. */
export const TENANT_B_TEMPLATE = 'mosaic_template_app_b';
