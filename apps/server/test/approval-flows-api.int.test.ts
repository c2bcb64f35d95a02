import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeFlows } from '@mosaic/approval';
import { inTenantTx } from '@mosaic/db';
import { act, activeFlow, approvalWorld, line, statusOf, submitExpense, taskOf, type ApprovalWorld } from './approval-fixture.ts';

// Flow definitions: admin-only CRUD, validation that names the node at fault,
// one active version per flow, and version pinning — editing a flow never
// changes an approval already running.
let w: ApprovalWorld;

beforeAll(async () => {
  w = await approvalWorld();
});

afterAll(async () => {
  await w?.t.close();
});

const errorsOf = async (definition: unknown) => {
  const c = await w.t.api('POST', '/api/v1/approval-flows', { object: 'expense', name: `草稿-${Math.random()}`, definition });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  const v = await w.t.api('POST', `/api/v1/approval-flows/${c.body.id}/validate`);
  expect(v.status).toBe(200);
  return v.body.errors as { node?: string; message: string }[];
};

describe('flow definitions', () => {
  it('only administrators design flows', async () => {
    const r = await w.as('employee')('POST', '/api/v1/approval-flows', { object: 'expense', name: 'x', definition: line() });
    expect(r.status).toBe(403);
    expect((await w.as('employee')('GET', '/api/v1/approval-flows')).status).toBe(403);
    expect((await w.as('employee')('GET', '/api/v1/approval-flows/directory')).status).toBe(403);
  });

  it('lists the users and roles a flow can name, for the designer', async () => {
    const r = await w.t.api('GET', '/api/v1/approval-flows/directory');
    expect(r.status).toBe(200);
    expect(r.body.users).toContainEqual(expect.objectContaining({ id: w.ids.fin1, name: '财务甲', department: '财务部' }));
    expect(r.body.roles.map((x: any) => x.code)).toEqual(expect.arrayContaining(['finance', 'general_manager']));
  });

  it('refuses a malformed definition at once, naming the path, and a non-document object', async () => {
    const bad = await w.t.api('POST', '/api/v1/approval-flows', { object: 'expense', name: 'x', definition: { nodes: [{ id: 'a', type: 'teleport' }], edges: [] } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe('definition.nodes.0.type');
    const obj = await w.t.api('POST', '/api/v1/approval-flows', { object: 'no_such', name: 'x', definition: line() });
    expect(obj.body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'object' });
  });

  it('validates a flow before activation, each error naming its node', async () => {
    const errors = await errorsOf({
      nodes: [
        { id: 'start', type: 'start' },
        { id: 'cond', type: 'condition' },
        { id: 'big', type: 'approval', approvers: { kind: 'role', role: 'no_such_role' } },
        { id: 'typo', type: 'approval', approvers: { kind: 'field', field: 'amount' } },
        { id: 'split', type: 'parallel_split' },
        { id: 'lonely', type: 'approval', approvers: { kind: 'manager' } },
        { id: 'end', type: 'end' },
      ],
      edges: [
        { source: 'start', target: 'cond' },
        { source: 'cond', target: 'big', condition: 'amount + 1' },
        { source: 'cond', target: 'typo', condition: 'amout > 5' },
        { source: 'big', target: 'end' },
        { source: 'typo', target: 'split' },
        { source: 'split', target: 'end' },
        { source: 'split', target: 'ghost' },
      ],
    });
    const about = (node: string) => errors.filter((e) => e.node === node).map((e) => e.message).join(' | ');
    expect(about('cond')).toMatch(/default edge/);
    expect(about('cond')).toMatch(/condition to "big": .*true or false/);
    expect(about('cond')).toMatch(/condition to "typo": .*amout/);
    expect(about('big')).toMatch(/no role "no_such_role"/);
    expect(about('typo')).toMatch(/not a user field/);
    expect(about('ghost')).toMatch(/does not exist/);
    expect(about('lonely')).toMatch(/cannot be reached/);
    expect(about('split')).toMatch(/must all meet at one parallel join/);
  });

  it('finds cycles, missing ends and joins without a split', async () => {
    const cyc = await errorsOf({
      nodes: [{ id: 'start', type: 'start' }, { id: 'a', type: 'approval', approvers: { kind: 'manager' } }, { id: 'b', type: 'approval', approvers: { kind: 'manager' } }],
      edges: [{ source: 'start', target: 'a' }, { source: 'a', target: 'b' }, { source: 'b', target: 'a' }],
    });
    expect(cyc.map((e) => e.message).join(' | ')).toMatch(/cycle/);
    expect(cyc.map((e) => e.message).join(' | ')).toMatch(/needs an end node/);
    const join = await errorsOf({
      nodes: [{ id: 'start', type: 'start' }, { id: 'j', type: 'parallel_join' }, { id: 'end', type: 'end' }],
      edges: [{ source: 'start', target: 'j' }, { source: 'j', target: 'end' }],
    });
    expect(join.filter((e) => e.node === 'j').map((e) => e.message).join(' | ')).toMatch(/no matching parallel split/);
    expect(await errorsOf({ ...line(), entryCondition: 'amount > 5' })).toEqual([]);
  });

  it('refuses to activate an invalid flow, with every error in the details', async () => {
    const c = await w.t.api('POST', '/api/v1/approval-flows', { object: 'expense', name: '坏流程', definition: { nodes: [{ id: 'start', type: 'start' }], edges: [] } });
    const a = await w.t.api('POST', `/api/v1/approval-flows/${c.body.id}/activate`);
    expect(a.status).toBe(422);
    expect(a.body.error.code).toBe('VALIDATION_FAILED');
    expect(a.body.error.details.errors.length).toBeGreaterThanOrEqual(2);
  });

  it('keeps one active version; an activated version is frozen, so editing makes the next one', async () => {
    const v1 = await activeFlow(w, '版本', {
      entryCondition: 'category = "ver"',
      ...line({ id: 'a', type: 'approval', approvers: { kind: 'users', userIds: [w.ids.fin1] } }, { id: 'gm', type: 'approval', approvers: { kind: 'role', role: 'general_manager' } }),
    });
    const edit = await w.t.api('PUT', `/api/v1/approval-flows/${v1.id}`, { definition: { entryCondition: 'category = "ver"', ...line({ id: 'b', type: 'approval', approvers: { kind: 'users', userIds: [w.ids.fin2] } }) } });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    expect(edit.body).toMatchObject({ version: 2, active: false });
    expect(edit.body.id).not.toBe(v1.id);
    const editAgain = await w.t.api('PUT', `/api/v1/approval-flows/${v1.id}`, { definition: edit.body.definition });
    expect(editAgain.body).toMatchObject({ id: edit.body.id, version: 2 }); // the pending draft, not a version 3

    // An approval started on version 1 …
    const { id: running } = await submitExpense(w, 'employee', { category: 'ver' });
    const activated = await w.t.api('POST', `/api/v1/approval-flows/${edit.body.id}/activate`);
    expect(activated.body).toMatchObject({ version: 2, active: true });
    const list = await w.t.api('GET', '/api/v1/approval-flows?object=expense');
    expect(list.body.data.filter((f: any) => f.name === '版本').map((f: any) => [f.version, f.active])).toEqual([[2, true], [1, false]]);
    // … keeps running version 1 (its second node included); a new submission runs version 2.
    await act(w, 'fin1', await taskOf(w, 'fin1', running), 'approve');
    expect(await statusOf(w, running)).toBe('submitted');
    await act(w, 'gm', await taskOf(w, 'gm', running), 'approve');
    expect(await statusOf(w, running)).toBe('approved');
    const { id: fresh } = await submitExpense(w, 'employee', { category: 'ver' });
    await act(w, 'fin2', await taskOf(w, 'fin2', fresh), 'approve');
    expect(await statusOf(w, fresh)).toBe('approved');
    const [inst] = (await w.t.api('GET', `/api/v1/records/expense/${fresh}/approvals`)).body.data;
    expect(inst.flow).toMatchObject({ name: '版本', version: 2 });

    expect((await w.t.api('DELETE', `/api/v1/approval-flows/${v1.id}`)).status).toBe(409);
    const draft = await w.t.api('POST', '/api/v1/approval-flows', { object: 'expense', name: '删掉', definition: line() });
    expect((await w.t.api('DELETE', `/api/v1/approval-flows/${draft.body.id}`)).status).toBe(204);
    expect((await w.t.api('GET', `/api/v1/approval-flows/${draft.body.id}`)).status).toBe(404);
  });

  it('a deactivated flow no longer starts approvals', async () => {
    const f = await activeFlow(w, '停用', { entryCondition: 'category = "off"', ...line({ id: 'a', type: 'approval', approvers: { kind: 'manager' } }) });
    await w.t.api('POST', `/api/v1/approval-flows/${f.id}/deactivate`);
    const { submit } = await submitExpense(w, 'employee', { category: 'off' });
    expect(submit.status).toBe('submitted');
    expect(submit.$awaitingApproval).toBeUndefined();
  });

  it('a flow (de)activated through the API counts at once in every process: the active set is read in the submit\'s transaction, not taken from a cache', async () => {
    // As a submit in another process would ask: its own transaction, no NOTIFY awaited.
    const names = () => inTenantTx(w.t.testDb.db.app, { tenantId: w.t.tenant.tenantId }, async (tx) =>
      (await activeFlows(tx, w.t.tenant.tenantId, 'expense')).map((f) => f.name));
    const before = await names();
    expect(before).not.toContain('跨进程');
    const f = await activeFlow(w, '跨进程', { entryCondition: 'category = "xp"', ...line({ id: 'a', type: 'approval', approvers: { kind: 'manager' } }) });
    expect(await names()).toEqual(expect.arrayContaining([...before, '跨进程']));
    await w.t.api('POST', `/api/v1/approval-flows/${f.id}/deactivate`);
    expect(await names()).toEqual(before);
  });
});
