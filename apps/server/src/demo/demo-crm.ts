import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Decimal, addDays } from '@mosaic/kernel';
import { EMPLOYEES, LEAD_PEOPLE } from './demo-catalogue.ts';
import { journaledApi, pickWeighted, random, type Api, type DemoApi } from './demo-api.ts';
import type { DemoJournal } from './demo-journal.ts';

/**
 * The sales team (CRM): the sales department's staff as users with the
 * built-in sales roles, each owning the opportunities they open — written as
 * themselves (logged in through the public API), since an opportunity's owner
 * is whoever created it. Every month's opportunities move up the pipeline;
 * those whose expected close date has passed by the end of the history are
 * won or lost (with a reason) through the opportunity's own stage move, and
 * each rep has a target for the current quarter, so the forecast sheet shows
 * attainment. The CRM stamps won_at / lost_at with the server's clock: wins
 * count in the quarter the demo is seeded in, whatever month they belong to.
 */
export interface CrmMaster { reps: { no: string; id: string; email: string }[] }
export interface Stage { id: string; name: string; probability: string; required_fields: string | null }
export interface CrmMonth { opportunities: number; won: number; lost: number; wonAmount: Record<string, string> }

const LOST_REASONS = ['价格高于竞品报价', '客户项目预算削减', '交期无法满足', '客户选择了原有供应商', '项目暂停'];

export async function crmMaster(api: Api): Promise<CrmMaster> {
  let roles = (await api('GET', '/api/v1/admin/roles')).data as { id: string; code: string }[];
  if (!roles.some((r) => r.code === 'sales_rep')) {
    await api('POST', '/api/v1/admin/roles/install-defaults');
    roles = (await api('GET', '/api/v1/admin/roles')).data;
  }
  const role = (code: string) => roles.find((r) => r.code === code)!.id;
  const sales = ((await api('GET', '/api/v1/admin/departments')).data as { id: string; name: string }[]).find((dep) => dep.name === '销售部');
  const reps: CrmMaster['reps'] = [];
  for (const e of EMPLOYEES.filter((x) => x.selling)) {
    const email = `${e.no.toLowerCase()}@xinghe-demo.example`;
    const user = await api('POST', '/api/v1/admin/users', {
      email, name: e.name, password: newPassword(), departmentId: sales?.id ?? null, roleIds: [role(e.position === '销售经理' ? 'sales_manager' : 'sales_rep')],
    });
    reps.push({ no: e.no, id: user.id, email });
  }
  return { reps };
}

/** A password nobody keeps: each seed run sets a fresh one (the admin's reset) and logs the reps in with it. */
const newPassword = () => `Xh${randomBytes(12).toString('base64url')}9!`;

export interface RepApis { apis: DemoApi[]; close(): Promise<void> }

/** The reps' own API sessions for this run (journaled like the admin's, in their own scopes under the month's). */
export async function repApis(app: FastifyInstance, adminToken: string, journal: DemoJournal, run: string, master: CrmMaster): Promise<RepApis> {
  const call = async (url: string, body: unknown, token?: string) => {
    const res = await app.inject({ method: 'POST', url, payload: body as object, headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (res.statusCode >= 300) throw new Error(`demo: POST ${url} → ${res.statusCode} ${res.body.slice(0, 300)}`);
    return res.body ? JSON.parse(res.body) : null;
  };
  const tokens: string[] = [];
  for (const rep of master.reps) {
    const password = newPassword();
    await call(`/api/v1/admin/users/${rep.id}/password`, { password }, adminToken);
    tokens.push((await call('/api/v1/auth/login', { email: rep.email, password })).token);
  }
  return {
    apis: tokens.map((token) => journaledApi(app, token, journal, run)),
    close: async () => {
      for (const token of tokens) await call('/api/v1/auth/logout', {}, token);
    },
  };
}

/**
 * The month's opportunities, each opened by a rep (the manager and the senior
 * rep get more), moved stage by stage as far as its requirements allow (no
 * contact person: not 方案报价); one whose expected close date is on or before
 * `until` is then settled — about half won, a third lost with a reason (the
 * rest stall in the pipeline).
 */
export async function opportunitiesOfMonth(reps: RepApis, label: string, customers: string[], stages: Stage[], rnd: () => number, n: number, end: string, until: string): Promise<CrmMonth> {
  const out: CrmMonth = { opportunities: 0, won: 0, lost: 0, wonAmount: {} };
  const given = new Set(['amount', 'expected_close_date', 'decision_maker', 'budget_confirmed']);
  const reachable = (s: Stage) => (s.required_fields ?? '').split(',').map((f) => f.trim()).filter(Boolean).every((f) => given.has(f));
  const open = stages.filter((s) => Number(s.probability) > 0 && Number(s.probability) < 1 && reachable(s));
  const won = stages.find((s) => Number(s.probability) === 1);
  const lost = stages.find((s) => Number(s.probability) === 0);
  reps.apis.forEach((r, i) => r.scope(`${label}:rep${i}`));
  try {
    for (let i = 0; i < n; i++) {
      const r = pickWeighted(rnd, reps.apis.map((_, k) => (k === 0 ? 2 : 3)));
      const { api, live } = reps.apis[r];
      // A stage move has no Idempotency-Key support: a run that lost its reply sees the stage in the live data, and reads the opportunity again.
      const move = async (id: string, version: number, stage: string, values?: Record<string, unknown>) =>
        (await api('POST', `/api/v1/crm/opportunities/${id}/move`, { version, stage, ...(values ? { values } : {}) },
          async () => (await live(`/api/v1/records/opportunity/${id}?fields=stage`)).stage === stage))
        ?? (await api('GET', `/api/v1/records/opportunity/${id}?fields=stage,version`));
      const reach = Math.min(open.length - 1, Math.floor(rnd() * open.length));
      const fate = rnd();
      // Deals that get decided are expected sooner than those that stall.
      const close = addDays(end, fate < 0.82 ? 5 + Math.floor(rnd() * 35) : 15 + Math.floor(rnd() * 60));
      const amount = new Decimal(Math.round(5000 + rnd() * 95000)).toFixed(2);
      let opp = await api('POST', '/api/v1/records/opportunity', {
        name: `${['门窗五金', '橱柜配件', '酒店改造', '工程集采'][i % 4]} ${end.slice(0, 7)}-${i + 1}`, customer: customers[Math.floor(rnd() * customers.length)],
        amount, expected_close_date: close, decision_maker: LEAD_PEOPLE[i % LEAD_PEOPLE.length], budget_confirmed: true,
      });
      out.opportunities++;
      // New opportunities start in the first stage; they move up one stage at a time (the stage is moved, not written).
      for (const stage of open.slice(0, reach + 1)) {
        if (stage.id !== opp.stage) opp = await move(opp.id, opp.version, stage.id);
      }
      if (close > until) continue;
      if (fate < 0.5 && won) {
        await move(opp.id, opp.version, won.id);
        const no = EMPLOYEES.filter((e) => e.selling)[r].no;
        out.won++;
        out.wonAmount[no] = new Decimal(out.wonAmount[no] ?? 0).plus(amount).toFixed(2);
      } else if (fate < 0.82 && lost) {
        await move(opp.id, opp.version, lost.id, { close_reason: LOST_REASONS[Math.floor(rnd() * LOST_REASONS.length)] });
        out.lost++;
      }
    }
  } finally {
    reps.apis.forEach((r) => r.scope(null));
  }
  return out;
}

/** "2026-Q4" for a date. */
export const quarterOf = (date: string) => `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;

/**
 * Each rep's target for `quarter` (the one the wins count in): what they won
 * over a 70–90 % attainment, rounded up to ten thousand yuan; a rep with no
 * win gets the team's smallest target.
 */
export async function salesTargets(api: Api, master: CrmMaster, wonAmount: Record<string, string>, quarter: string, seed: number): Promise<number> {
  const rnd = random(seed);
  const targets = master.reps.map((rep) => {
    const won = new Decimal(wonAmount[rep.no] ?? 0);
    return won.gt(0) ? won.div(0.7 + rnd() * 0.2).div(10000).ceil().times(10000) : null;
  });
  const floor = Decimal.min(new Decimal(100000), ...targets.filter((t): t is Decimal => t !== null));
  for (const [i, rep] of master.reps.entries()) {
    await api('POST', '/api/v1/records/sales_target', { rep: rep.id, period: quarter, amount: { amount: (targets[i] ?? floor).toFixed(2), currency: 'CNY' } });
  }
  return master.reps.length;
}
