import { addDays } from '@mosaic/kernel';
import { describe, expect, it } from 'vitest';
import { checklistTasks, type EmployeeFacts } from './checklist.rules.ts';

const who: EmployeeFacts = { name: '周新', employeeNo: 'N01', owner: 'hr-user', user: 'own-user', managerUser: 'boss-user', baseDate: '2026-02-27' };

describe('checklist tasks from a template', () => {
  it('names the employee, counts days from the base date and gives each task to its role', () => {
    const tasks = checklistTasks('onboarding', [
      { task: '签订劳动合同', responsible: 'hr', assignee: null, daysOffset: 0, description: null },
      { task: '导师带教', responsible: 'manager', assignee: null, daysOffset: 3, description: '指定导师' },
      { task: '阅读员工手册', responsible: 'employee', assignee: null, daysOffset: 2, description: null },
      { task: '开通邮箱', responsible: 'hr', assignee: 'it-user', daysOffset: 1, description: null },
    ], who);
    expect(tasks).toEqual([
      { subject: '入职：周新（N01）签订劳动合同', description: null, dueDate: '2026-02-27', assignee: 'hr-user' },
      { subject: '入职：周新（N01）导师带教', description: '指定导师', dueDate: '2026-03-02', assignee: 'boss-user' },
      { subject: '入职：周新（N01）阅读员工手册', description: null, dueDate: '2026-03-01', assignee: 'own-user' },
      { subject: '入职：周新（N01）开通邮箱', description: null, dueDate: '2026-02-28', assignee: 'it-user' },
    ]);
  });

  it('hands a task to HR when the role names nobody, and allows days before the base date', () => {
    const tasks = checklistTasks('offboarding', [
      { task: '工作交接', responsible: 'manager', assignee: null, daysOffset: -3, description: null },
      { task: '归还电脑', responsible: 'employee', assignee: null, daysOffset: 0, description: null },
    ], { ...who, user: null, managerUser: null, baseDate: '2026-03-01' });
    expect(tasks.map((t) => [t.subject, t.dueDate, t.assignee])).toEqual([
      ['离职：周新（N01）工作交接', '2026-02-26', 'hr-user'],
      ['离职：周新（N01）归还电脑', '2026-03-01', 'hr-user'],
    ]);
  });

  it('adds days across month and year ends and leap days', () => {
    expect([addDays('2028-02-28', 1), addDays('2026-12-31', 1), addDays('2026-01-01', -1), addDays('2026-03-31', 30)]).toEqual(['2028-02-29', '2027-01-01', '2025-12-31', '2026-04-30']);
  });
});
