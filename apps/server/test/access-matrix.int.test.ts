import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '@mosaic/access';
import type { ObjectMeta } from '@mosaic/meta';
import { accessWorld, CASES, ROLE_CODES, type AccessWorld, type TestObject } from './access-world.ts';
import { fieldShown, mayAct, mayActOn } from './access-oracle.ts';

// The permission matrix, generated from the policy data (DEFAULT_ROLES): every
// built-in role × object × action × record case (own, a colleague's, below the
// user's department, another department's, another company's, another
// tenant's), asked through every door — list, get, count, aggregate, export,
// import, linked-field expansion, create, edit, delete, submit, cancel — and
// compared with what the policy says. Differences are collected, not thrown,
// so one run shows them all.
//
// Every object of every installed module is asked about, through every door.
let w: AccessWorld;
let checked = 0;
const differences: string[] = [];
const enc = (x: unknown) => encodeURIComponent(JSON.stringify(x));

function check(label: string, actual: unknown, expected: unknown): void {
  checked++;
  if (JSON.stringify(actual) !== JSON.stringify(expected)) differences.push(`${label}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

beforeAll(async () => {
  w = await accessWorld();
}, 600_000);

afterAll(async () => {
  await w?.t.close();
});

describe('the permission matrix', () => {
  it('answers every role × object × action × record exactly as the policy data says', async () => {
    // The roles are independent users: ask for them side by side.
    await Promise.all(ROLE_CODES.map(async (role) => {
      for (const obj of w.objects) await checkRoleObject(role, obj.apiName, obj);
    }));
    console.log(`access matrix: ${checked} cases checked (${ROLE_CODES.length} roles × ${w.objects.length} objects × ${CASES.length} record cases), ${differences.length} differences`);
    expect(differences).toEqual([]);
    expect(w.objects.length).toBeGreaterThan(80);
    expect(checked).toBeGreaterThan(50_000);
  }, 600_000);
});

async function checkRoleObject(role: string, object: TestObject, obj: ObjectMeta): Promise<void> {
  const user = w.users[role];
  const api = (method: string, url: string, body?: unknown) => w.t.api(method, url, body, { token: user.token });
  const recs = w.records[object][role];
  const canRead = mayAct(role, object, 'read');
  const at = `${role} ${object}`;

  // list and its total: all cases at once
  const list = await api('GET', `/api/v1/records/${object}?filter=${enc({ id: { in: CASES.map((c) => recs[c].id) } })}&fields=id&pageSize=100`);
  check(`${at} list status`, list.status, canRead ? 200 : 404);
  const expectedIds = CASES.filter((c) => mayActOn(role, object, 'read', user, recs[c], w.treeOf));
  if (list.status === 200) {
    for (const c of CASES) check(`${at} list ${c}`, list.body.data.some((r: { id: string }) => r.id === recs[c].id), expectedIds.includes(c));
    check(`${at} list total`, list.body.total, expectedIds.length);
  }

  await checkGates(role, object, user.token, canRead);
  await checkAggregateAndExport(role, object);

  for (const c of CASES) {
    const rec = recs[c];
    const label = `${at} ${c}`;
    const read = mayActOn(role, object, 'read', user, rec, w.treeOf);

    const got = await api('GET', `/api/v1/records/${object}/${rec.id}`);
    check(`${label} get`, got.status, read ? 200 : 404);
    if (got.status === 200) {
      for (const f of obj.fields.filter((x) => !x.archived)) check(`${label} get .${f.apiName}`, f.apiName in got.body, fieldShown(role, obj, f));
    }
    // Writes with a version nobody has: inside the scope the answer is the conflict, outside it the 404 of a missing record.
    const edit = await api('PATCH', `/api/v1/records/${object}/${rec.id}`, { version: 999_999 });
    check(`${label} edit`, edit.status, mayActOn(role, object, 'edit', user, rec, w.treeOf) ? 409 : 404);
    await checkCount(role, object, c, read);
    if (object !== 'sales_order' && read) await checkLinkedField(role, obj, rec.id, label);
    await checkOtherDoors(role, object, obj, c, read);
  }
}

/** Gates that do not depend on a record: create and import. */
async function checkGates(role: string, object: TestObject, token: string, canRead: boolean): Promise<void> {
  const at = `${role} ${object}`;
  const api = (method: string, url: string, body?: unknown) => w.t.api(method, url, body, { token });
  // An empty body: refused at the gate, else the missing required fields (or, with none, a record).
  const create = await api('POST', `/api/v1/records/${object}`, {});
  check(`${at} create`, create.status === 404 ? 'refused' : create.status === 422 || create.status === 201 ? 'allowed' : create.status, mayAct(role, object, 'create') ? 'allowed' : 'refused');
  const imp = await importDryRun(object, token);
  // Past the gate the file's content decides (202 a job, 422 a header naming no field): both are "allowed".
  const gate = imp === 403 || imp === 404 ? imp : imp === 202 || imp === 422 ? 'allowed' : imp;
  check(`${at} import`, gate, !canRead ? 404 : mayAct(role, object, 'import') && mayAct(role, object, 'create') ? 'allowed' : 403);
}

/** The count of one record case: a list's total with that record's id as the filter. */
async function checkCount(role: string, object: TestObject, c: (typeof CASES)[number], read: boolean): Promise<void> {
  const rec = w.records[object][role][c];
  const one = await w.t.api('GET', `/api/v1/records/${object}?filter=${enc({ id: rec.id })}&fields=id`, undefined, { token: w.users[role].token });
  check(`${role} ${object} ${c} count`, one.status === 200 ? one.body.total : one.status, mayAct(role, object, 'read') ? (read ? 1 : 0) : 404);
}

/**
 * The side doors of reading — aggregate and export — for every record case at once:
 * the aggregate grouped by id and the export's rows still answer per record (one
 * request each for the six cases instead of six: the scope applies row by row).
 */
async function checkAggregateAndExport(role: string, object: TestObject): Promise<void> {
  const user = w.users[role];
  const api = (method: string, url: string) => w.t.api(method, url, undefined, { token: user.token });
  const recs = w.records[object][role];
  const canRead = mayAct(role, object, 'read');
  const filter = enc({ id: { in: CASES.map((c) => recs[c].id) } });

  const agg = await api('GET', `/api/v1/records/${object}/aggregate?filter=${filter}&groupBy=id&measures=count`);
  const counted = new Map<string, number>(agg.status === 200 ? agg.body.data.map((r: { id: string; count: number | string }) => [r.id, Number(r.count)]) : []);
  for (const c of CASES) {
    const read = mayActOn(role, object, 'read', user, recs[c], w.treeOf);
    check(`${role} ${object} ${c} aggregate`, agg.status === 200 ? counted.get(recs[c].id) ?? 0 : agg.status, canRead ? (read ? 1 : 0) : 404);
  }

  const exp = await api('GET', `/api/v1/export/${object}?format=csv&fields=id&filter=${filter}`);
  const lines = exp.status === 200 ? String(exp.body).split(/\r?\n/).map((l) => l.replace(/^\uFEFF/, '').trim()).filter(Boolean).slice(1) : [];
  for (const c of CASES) {
    const rows = exp.status === 200 ? lines.filter((l) => l.includes(recs[c].id)).length : exp.status;
    check(`${role} ${object} ${c} export`, rows, !canRead ? 404 : !mayAct(role, object, 'export') ? 403 : mayActOn(role, object, 'export', user, recs[c], w.treeOf) ? 1 : 0);
  }
  // Nothing but the asked-for records: every exported row is one of them.
  if (exp.status === 200) check(`${role} ${object} export rows`, lines.length, lines.filter((l) => CASES.some((c) => l.includes(recs[c].id))).length);
}

/** delete, submit, cancel and linked-field expansion for one record case. */
async function checkOtherDoors(role: string, object: TestObject, obj: ObjectMeta, c: (typeof CASES)[number], read: boolean): Promise<void> {
  const user = w.users[role];
  const api = (method: string, url: string, body?: unknown) => w.t.api(method, url, body, { token: user.token });
  const rec = w.records[object][role][c];
  const label = `${role} ${object} ${c}`;
  {
    const writes: [Action, string, string, unknown][] = [
      ['delete', 'DELETE', `/api/v1/records/${object}/${rec.id}?version=999999`, undefined],
    ];
    if (obj.isDocument) {
      writes.push(['submit', 'POST', `/api/v1/records/${object}/${rec.id}/submit`, { version: 999_999 }]);
      writes.push(['cancel', 'POST', `/api/v1/records/${object}/${rec.id}/cancel`, { version: 999_999 }]);
    }
    for (const [action, method, url, body] of writes) {
      const r = await api(method, url, body);
      check(`${label} ${action}`, r.status, mayActOn(role, object, action, user, rec, w.treeOf) ? 409 : 404);
    }

    if (object === 'sales_order' && read) {
      // Linked-field expansion: the order's customer shows only if the user may read that customer.
      const customer = w.orderCustomer.get(rec.id)!;
      const linked = await api('GET', `/api/v1/records/sales_order?filter=${enc({ id: rec.id })}&fields=customer.name`);
      const shown = linked.status === 200 ? linked.body.data[0]['customer.name'] !== null : linked.status;
      check(`${label} customer.name`, shown, !mayAct(role, 'customer', 'read') ? 400 : mayActOn(role, 'customer', 'read', user, customer, w.treeOf));
    }
  }
}

/**
 * Linked-field expansion on the object's first required link: the scaffolding
 * rows link to records the tenant's admin owns (root department, company A1),
 * so the linked title shows only where the role's read scope reaches those.
 */
async function checkLinkedField(role: string, obj: ObjectMeta, id: string, label: string): Promise<void> {
  const all = new Map(w.objects.map((o) => [o.apiName, o]));
  const link = obj.fields.find((f) => f.type === 'link' && f.required && !f.archived && f.columnName && all.has(f.config.target!));
  if (!link) return;
  const target = all.get(link.config.target!)!;
  // The linked record's id: always filled, never a hidden field (scaffolding rows leave titles such as auto-numbers empty).
  const path = `${link.apiName}.id`;
  const res = await w.t.api('GET', `/api/v1/records/${obj.apiName}?filter=${enc({ id })}&fields=${path}`, undefined, { token: w.users[role].token });
  const shown = res.status === 200 ? res.body.data[0][path] !== null : res.status;
  check(`${label} ${path}`, shown, !mayAct(role, target.apiName, 'read') ? 400 : mayActOn(role, target.apiName, 'read', w.users[role], w.adminFacts, w.treeOf));
}

/** Starts a dry-run import of a header-only file: the status of the answer. */
async function importDryRun(object: string, token: string): Promise<number> {
  const boundary = `----mosaic${Math.random().toString(16).slice(2)}`;
  const part = (name: string, value: string, file?: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file ? `; filename="${file}"\r\nContent-Type: text/csv` : ''}\r\n\r\n${value}\r\n`;
  const payload = `${part('dryRun', 'true')}${part('file', 'id\n', 'x.csv')}--${boundary}--\r\n`;
  const res = await w.t.app.inject({ method: 'POST', url: `/api/v1/import/${object}`, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${token}` } });
  return res.statusCode;
}
