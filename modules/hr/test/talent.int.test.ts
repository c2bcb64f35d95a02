import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@mosaic/testing';
import { make } from './hr-fixture.ts';

// Appraisals (weighted goals, reviewed in stages) and recruitment (openings,
// candidates through interview stages) in their simplest useful form.
let t: TestApp;
let employee: string;

beforeAll(async () => {
  t = await createTestApp();
  employee = (await make(t, 'employee', { employee_no: 'T01', name: '何欢', hire_date: '2025-01-01' })).id;
});

afterAll(async () => {
  await t?.close();
});

const move = (object: string, id: string, stage: string, version: number) => t.api('POST', `/api/v1/hr/${object}/${id}/move`, { stage, version });

describe('appraisal', () => {
  it('moves through self and manager review to done, scoring the weighted goals', async () => {
    const a = await make(t, 'appraisal', {
      employee, reviewer: t.tenant.adminId, period: '2026-H1',
      goals: [{ goal: '完成年度销售目标', weight: '0.6' }, { goal: '客户满意度', weight: '0.3' }],
    });
    expect(a.total_weight).toBe('0.900000');
    let r = await move('appraisal', a.id, 'self_review', a.version);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect((await move('appraisal', a.id, 'done', r.body.version)).body.error).toMatchObject({ code: 'CONFLICT', field: 'stage' }); // no skipping
    r = await move('appraisal', a.id, 'manager_review', r.body.version);
    // Weights of 90 % cannot finish; then an unscored goal cannot either.
    expect((await move('appraisal', a.id, 'done', r.body.version)).body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'goals' });
    const goals = r.body.goals.map((g: any) => ({ id: g.id, goal: g.goal, weight: g.weight }));
    let u = await t.api('PATCH', `/api/v1/records/appraisal/${a.id}`, { version: r.body.version, goals: [...goals, { goal: '团队协作', weight: '0.1' }] });
    expect(u.status, JSON.stringify(u.body)).toBe(200);
    expect((await move('appraisal', a.id, 'done', u.body.version)).body.error).toMatchObject({ code: 'FIELD_REQUIRED', field: 'goals.0.manager_score' });
    const scored = u.body.goals.map((g: any, i: number) => ({ id: g.id, goal: g.goal, weight: g.weight, manager_score: ['90', '80', '100'][i] }));
    u = await t.api('PATCH', `/api/v1/records/appraisal/${a.id}`, { version: u.body.version, goals: scored });
    // 0.6 × 90 + 0.3 × 80 + 0.1 × 100 = 54 + 24 + 10 = 88
    expect(u.body.score).toBe('88.00');
    const done = await move('appraisal', a.id, 'done', u.body.version);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.stage).toBe('done');
    expect((await move('appraisal', a.id, 'nowhere', done.body.version)).body.error).toMatchObject({ code: 'FIELD_INVALID', field: 'stage' });
  });
});

describe('recruitment', () => {
  it('moves candidates through the interview stages and closes the opening when its positions are filled', async () => {
    const opening = await make(t, 'job_opening', { title: '实施工程师', positions: 1, hiring_manager: t.tenant.adminId });
    const zhao = await make(t, 'candidate', { name: '赵敏', phone: '13800000001', job_opening: opening.id, source: 'referral' });
    const qian = await make(t, 'candidate', { name: '钱多', job_opening: opening.id, source: 'job_board' });
    let v = zhao.version;
    for (const stage of ['screening', 'interview', 'offer']) {
      const r = await move('candidate', zhao.id, stage, v);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      v = r.body.version;
    }
    expect((await move('candidate', qian.id, 'offer', qian.version)).body.error).toMatchObject({ code: 'CONFLICT', field: 'stage' });
    expect((await move('candidate', qian.id, 'rejected', qian.version)).body.stage).toBe('rejected');
    // A stale version is refused like any other edit.
    expect((await move('candidate', zhao.id, 'hired', v - 1)).status).toBe(409);
    expect((await t.api('GET', `/api/v1/records/job_opening/${opening.id}`)).body.opening_status).toBe('open');
    expect((await move('candidate', zhao.id, 'hired', v)).body.stage).toBe('hired');
    expect((await t.api('GET', `/api/v1/records/job_opening/${opening.id}`)).body.opening_status).toBe('closed');
    expect((await t.api('POST', `/api/v1/hr/employee/${employee}/move`, { stage: 'x', version: 1 })).status).toBe(404);
    // Around the move action, the database refuses a stage change: by PATCH, or by creating a candidate already hired.
    const sun = await make(t, 'candidate', { name: '孙悟', job_opening: opening.id });
    const patch = await t.api('PATCH', `/api/v1/records/candidate/${sun.id}`, { version: sun.version, stage: 'offer' });
    expect([patch.status, patch.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect(patch.body.error.message).toContain('move');
    const born = await t.api('POST', '/api/v1/records/candidate', { name: '直接入职', job_opening: opening.id, stage: 'hired' });
    expect([born.status, born.body.error.code]).toEqual([403, 'FORBIDDEN']);
    // Other fields stay editable as usual.
    expect((await t.api('PATCH', `/api/v1/records/candidate/${sun.id}`, { version: sun.version, interview_notes: '沟通顺畅' })).status).toBe(200);
  });
});
