import { describe, expect, it } from 'vitest';
import { groupOutcome, stepOutcome, type StepMode, type TaskLite, type TaskStatus } from './step.rules.ts';

const tasks = (...statuses: TaskStatus[]): TaskLite[] => statuses.map((status, i) => ({ id: `t${i}`, seq: 0, status }));

describe('groupOutcome', () => {
  const cases: [StepMode, number | null, TaskStatus[], string][] = [
    ['single', null, ['pending'], 'open'],
    ['single', null, ['approved'], 'approved'],
    ['single', null, ['rejected'], 'rejected'],
    ['or_sign', null, ['pending', 'pending', 'pending'], 'open'],
    ['or_sign', null, ['pending', 'approved', 'pending'], 'approved'],
    ['or_sign', null, ['rejected', 'pending'], 'rejected'],
    ['countersign', null, ['approved', 'pending'], 'open'],
    ['countersign', null, ['approved', 'approved'], 'approved'],
    ['countersign', null, ['approved', 'rejected'], 'rejected'],
    ['countersign', null, ['pending', 'returned'], 'rejected'],
    ['percentage', 60, ['approved', 'approved', 'pending', 'pending', 'pending'], 'open'],
    ['percentage', 60, ['approved', 'approved', 'approved', 'pending', 'pending'], 'approved'],
    ['percentage', 60, ['rejected', 'rejected', 'pending', 'pending', 'pending'], 'open'],
    ['percentage', 60, ['rejected', 'rejected', 'rejected', 'pending', 'pending'], 'rejected'],
    ['percentage', 50, ['approved', 'rejected'], 'approved'],
  ];
  it.each(cases)('%s %s %j → %s', (mode, p, statuses, expected) => {
    expect(groupOutcome(mode, p, tasks(...statuses))).toBe(expected);
  });
});

describe('stepOutcome', () => {
  it('opens the next group only when the one before is approved (managers level by level)', () => {
    const t: TaskLite[] = [{ id: 'a', seq: 0, status: 'approved' }, { id: 'b', seq: 1, status: 'waiting' }, { id: 'c', seq: 2, status: 'waiting' }];
    expect(stepOutcome('single', null, t)).toEqual({ outcome: 'open', activate: ['b'], cancel: [] });
  });

  it('cancels the undecided rest of an or-sign group once one approves, and ignores transferred tasks', () => {
    const t: TaskLite[] = [{ id: 'a', seq: 0, status: 'transferred' }, { id: 'a2', seq: 0, status: 'approved' }, { id: 'b', seq: 0, status: 'pending' }];
    expect(stepOutcome('or_sign', null, t)).toEqual({ outcome: 'approved', activate: [], cancel: ['b'] });
  });

  it('a rejection cancels every undecided task of the step', () => {
    const t: TaskLite[] = [{ id: 'a', seq: 0, status: 'rejected' }, { id: 'b', seq: 0, status: 'pending' }, { id: 'c', seq: 1, status: 'waiting' }];
    expect(stepOutcome('countersign', null, t)).toEqual({ outcome: 'rejected', activate: [], cancel: ['b', 'c'] });
  });
});
