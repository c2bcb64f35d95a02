-- The rules engine's send_email at most once (issue 5): each mail a rule sends
-- is a row here, keyed by (rule, trigger, action), walked through the same
-- protocol as dunning's notices (packages/automation/src/email/mail-once.ts):
-- 'sending' is committed before SMTP; a row left 'sending' is never sent again
-- and turns 'unknown' once it is older than any SMTP exchange.
CREATE TABLE rule_mail (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL, -- derived from the action's key: a retry finds its row
  rule_id uuid NOT NULL,
  trigger_key text NOT NULL,
  action_index integer NOT NULL,
  object text, -- the triggering record, for whoever is told of an unknown outcome
  record_id uuid,
  sent_to text NOT NULL, -- addresses, comma-separated
  cc text,
  subject text NOT NULL,
  body text NOT NULL,
  html boolean NOT NULL DEFAULT false,
  message_id text NOT NULL,
  state text NOT NULL DEFAULT 'queued', -- queued | sending | sent | failed | unknown
  error text,
  claimed_at timestamptz,
  sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX rule_mail_sending_idx ON rule_mail (tenant_id, claimed_at) WHERE state = 'sending';
SELECT mosaic_enable_rls('rule_mail');
