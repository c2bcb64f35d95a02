import { describe, expect, it } from 'vitest';
import { assertAppraisalCompleteOrThrow, assertStageMoveOrThrow } from './stage.rules.ts';

describe('stage moves', () => {
  it.each([
    ['candidate', 'applied', 'screening'], ['candidate', 'interview', 'screening'], ['candidate', 'rejected', 'screening'],
    ['appraisal', 'manager_review', 'self_review'], ['appraisal', 'manager_review', 'done'],
  ] as const)('%s %s → %s is allowed', (object, from, to) => {
    expect(assertStageMoveOrThrow(object, from, to)).toBe(to);
  });

  it.each([
    ['candidate', 'applied', 'hired', 'CONFLICT'], ['candidate', 'hired', 'rejected', 'CONFLICT'], ['appraisal', 'done', 'draft', 'CONFLICT'],
    ['candidate', 'applied', 'promoted', 'FIELD_INVALID'], ['appraisal', 'draft', 42, 'FIELD_INVALID'],
  ] as const)('%s %s → %s is refused (%s)', (object, from, to, code) => {
    expect(() => assertStageMoveOrThrow(object, from, to)).toThrow(expect.objectContaining({ code, field: 'stage' }));
  });

  it('an appraisal is complete with weights of 100 % and every goal scored', () => {
    expect(() => assertAppraisalCompleteOrThrow([{ weight: '0.5', manager_score: '80' }, { weight: '0.5', manager_score: '70' }])).not.toThrow();
    expect(() => assertAppraisalCompleteOrThrow([])).toThrow(expect.objectContaining({ field: 'goals' }));
    expect(() => assertAppraisalCompleteOrThrow([{ weight: '0.7', manager_score: '80' }])).toThrow(/70 %/);
    expect(() => assertAppraisalCompleteOrThrow([{ weight: '1', manager_score: null }])).toThrow(expect.objectContaining({ field: 'goals.0.manager_score' }));
  });
});
