import { spyStatements } from '@mosaic/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@mosaic/db';
import { runRule, type RunJob } from '@mosaic/automation';
import { automationWorld, type AutomationWorld } from './automation-fixture.ts';

// What one rule run costs the database (issue 5's bench: 500 events/s on two
// cores needs few round trips per event). A created → condition →
// create_record rule with templates: the rule's version, the record (all the
// paths the condition and the templates read), the action, its proof
// (action_run) and the run log in one transaction. Counted at the driver: every statement the run sends.
// And a run whose rule was turned off meanwhile: a line in its history, no action.
let w: AutomationWorld;
const deps = () => ({ db: w.t.testDb.db, store: w.t.store, url: w.t.testDb.url });

beforeAll(async () => {
  w = await automationWorld({ workers: false });
});
afterAll(async () => {
  await w?.close();
});

async function jobFor(ruleId: string, leadId: string): Promise<RunJob> {
  const [e] = await w.sql<{ seq: string; at: Date }>(sql`SELECT seq, at FROM outbox_event WHERE record_id = ${leadId} AND op = 'create'`);
  return { tenantId: w.t.tenant.tenantId, ruleId, trigger: { kind: 'event', key: `e:${e.seq}`, object: 'sales_lead', recordId: leadId, op: 'create', seq: Number(e.seq), at: new Date(e.at).toISOString() } };
}

describe('the cost of a rule run', () => {
  it('runs a templated create_record in one transaction and few statements, and a retry does nothing twice', async () => {
    const rule = await w.rule({
      name: '跟进', object: 'sales_lead', trigger: { type: 'created' }, condition: 'province = "广东"',
      actions: [{ type: 'create_record', object: 'deal_contract', values: { title: { template: '跟进 {{name}}（{{industry}}）' } } }],
    });
    const lead = await w.lead({ name: '成本', province: '广东', industry: '制造' });
    const job = await jobFor(rule.id, lead.id);
    await runRule(deps(), job); // first run compiles the rule and warms the metadata cache
    const [first] = await w.runs(rule.id);
    expect(first).toMatchObject({ status: 'done', attempts: 1 });
    const made = await w.sql<{ title: string }>(sql`SELECT c_title AS title FROM o_deal_contract`);
    expect(made).toEqual([{ title: '跟进 成本（制造）' }]);

    const lead2 = await w.lead({ name: '成本二', province: '广东', industry: '零售' });
    const job2 = await jobFor(rule.id, lead2.id);
    const { statements, result } = await spyStatements(() => runRule(deps(), job2));
    const texts = statements.map((s) => s.text.replace(/\s+/g, ' ').slice(0, 120));
    const n = texts.length;
    expect(result).toBe('done');
    const begins = texts.filter((t) => t.startsWith('BEGIN')).length;
    expect(begins, texts.join('\n')).toBe(1);
    // BEGIN+tenant, rule version, record, action_run (+ cause), the record's insert and its
    // change log (outbox + audit), action_run done, run log, COMMIT.
    expect(n, texts.join('\n')).toBeLessThanOrEqual(9);

    // A retry (the queue's second attempt) finds the action done and only logs.
    expect(await runRule(deps(), job2, 2)).toBe('done');
    const runs = await w.runs(rule.id);
    expect(runs.find((r: any) => r.recordId === lead2.id)).toMatchObject({ status: 'done', attempts: 2, actions: [{ index: 0, status: 'already_done' }] });
    expect(await w.sql(sql`SELECT 1 FROM o_deal_contract`)).toHaveLength(2);
  }, 60_000);
});

describe('a rule turned off between its trigger and its run', () => {
  it('logs the run as skipped and why, acts not, and a deleted rule logs nothing', async () => {
    const rule = await w.rule({
      name: '关掉的', object: 'sales_lead', trigger: { type: 'created' },
      actions: [{ type: 'create_record', object: 'deal_contract', values: { title: '不该有' } }],
    });
    const lead = await w.lead({ name: '关掉前' });
    const job = await jobFor(rule.id, lead.id);
    const off = await w.t.api('PATCH', `/api/v1/automation/rules/${rule.id}`, { enabled: false, version: rule.version });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(await runRule(deps(), job)).toBe('skipped');
    expect(await w.runs(rule.id)).toMatchObject([{ status: 'skipped', error: 'the rule was turned off before this run started', triggerKey: job.trigger.key }]);
    expect(await w.sql(sql`SELECT 1 FROM o_deal_contract WHERE c_title = '不该有'`)).toHaveLength(0);

    const gone = await w.rule({ name: '删掉的', object: 'sales_lead', trigger: { type: 'created' }, actions: [{ type: 'create_record', object: 'deal_contract', values: { title: '不该有' } }] });
    const lead2 = await w.lead({ name: '删掉前' });
    const job2 = await jobFor(gone.id, lead2.id);
    expect((await w.t.api('DELETE', `/api/v1/automation/rules/${gone.id}`)).status).toBeLessThan(300);
    expect(await runRule(deps(), job2)).toBe('skipped');
    expect(await w.sql(sql`SELECT 1 FROM automation_run WHERE rule_id = ${gone.id}`)).toHaveLength(0);
  }, 60_000);
});
