import type { DomainEvent } from '@mosaic/records';
import type { Cause, RuleRow, RunJob } from '../automation.types.ts';
import { EVENT_TRIGGER_OPS } from '../rules/rule.schema.ts';

/**
 * Whether an outbox event triggers a rule — before its condition, which needs
 * the record (run-rule.ts): same object, the trigger's op, for "updated" one of
 * the named fields changed, for "public_form" the record came from a form.
 */
export function eventMatches(rule: RuleRow, event: DomainEvent, cause: Cause | null): boolean {
  const t = rule.trigger;
  if (!rule.enabled || rule.object !== event.object) return false;
  const op = EVENT_TRIGGER_OPS[t.type];
  if (!op || op !== event.op) return false;
  if (t.type === 'public_form') return cause?.source === 'public_form' && (!t.formId || cause.formId === t.formId);
  if (t.type === 'updated' && t.fields) return t.fields.some((f) => Object.hasOwn(event.changes ?? {}, f));
  return true;
}

/** The jobs a batch of events makes: one per (event, matching rule). */
export function jobsForEvents(tenantId: string, rules: RuleRow[], events: DomainEvent[], causes: Map<number, Cause>): RunJob[] {
  const jobs: RunJob[] = [];
  for (const e of events) {
    const cause = causes.get(e.seq) ?? null;
    for (const rule of rules) {
      if (!eventMatches(rule, e, cause)) continue;
      jobs.push({
        tenantId, ruleId: rule.id,
        trigger: { kind: 'event', key: `e:${e.seq}`, object: e.object, recordId: e.recordId, op: e.op, seq: e.seq, changes: e.changes, cause, at: new Date(e.at).toISOString() },
      });
    }
  }
  return jobs;
}
