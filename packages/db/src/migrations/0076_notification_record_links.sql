-- Notices written by task reminders, dunning and replenishment (and approval notices written by a
-- worker-only process) linked to /records/<object>/<id>, a page the web app does not have (its record
-- route is /o/<object>/<id>): clicking them opened 页面不存在. New notices link with recordLink();
-- this mends the ones already in the bell, tenant by tenant (the table's row-level security is forced,
-- so a migration run by a role without BYPASSRLS sees only the tenant it names).
DO $$
DECLARE t uuid;
BEGIN
  FOR t IN SELECT tenant_id FROM tenant LOOP
    PERFORM set_config('mosaic.tenant_id', t::text, true);
    UPDATE notification SET link = '/o/' || substr(link, length('/records/') + 1) WHERE link LIKE '/records/%';
  END LOOP;
  PERFORM set_config('mosaic.tenant_id', '', true);
END $$;
