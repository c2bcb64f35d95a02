/** The test tenant's admin: one fixed login in every test file's database (a copy of one template). */
export const TEMPLATE_ADMIN_EMAIL = 'admin@test.local';
export const ADMIN_PASSWORD = 'Test-Admin-Pw-2026';
