-- In-app notifications (issue 5): the bell, the unread count, live push and
-- per-user preferences. Each insert NOTIFYs, so every process's SSE hub can
-- push it to the user's open streams, whichever process wrote it.

CREATE TABLE notification (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  user_id uuid NOT NULL,
  kind text NOT NULL DEFAULT 'info', -- info | rule | approval | reminder
  title text NOT NULL,
  body text,
  link text,
  object text,
  record_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  -- for users who want each notification by email too: sent by the worker, once
  email_wanted boolean NOT NULL DEFAULT false,
  emailed_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX notification_email_idx ON notification (tenant_id, created_at) WHERE email_wanted AND emailed_at IS NULL;
CREATE INDEX notification_user_idx ON notification (tenant_id, user_id, created_at DESC, id DESC);
CREATE INDEX notification_unread_idx ON notification (tenant_id, user_id) WHERE read_at IS NULL;
SELECT mosaic_enable_rls('notification');

CREATE TABLE notification_pref (
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  in_app boolean NOT NULL DEFAULT true,
  email boolean NOT NULL DEFAULT false,
  digest boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);
SELECT mosaic_enable_rls('notification_pref');

CREATE FUNCTION mosaic_notification_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('mosaic_notification', json_build_object(
    'tenantId', NEW.tenant_id, 'userId', NEW.user_id, 'id', NEW.id, 'kind', NEW.kind,
    'title', left(NEW.title, 200), 'body', left(NEW.body, 1000), 'link', left(NEW.link, 500),
    'object', NEW.object, 'recordId', NEW.record_id, 'createdAt', NEW.created_at)::text);
  RETURN NULL;
END $$;
CREATE TRIGGER notification_notify AFTER INSERT ON notification FOR EACH ROW EXECUTE FUNCTION mosaic_notification_notify();
