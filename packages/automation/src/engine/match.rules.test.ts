import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '@mosaic/records';
import type { RuleRow } from '../automation.types.ts';
import { eventMatches, jobsForEvents } from './match.rules.ts';

const rule = (trigger: RuleRow['trigger'], object = 'lead'): RuleRow => ({
  id: 'r1', object, name: 'r', description: null, enabled: true, trigger, condition: null, actions: [], version: 1,
  enabled_at: null, created_by: null, created_at: new Date(), updated_at: new Date(),
});
const event = (op: string, changes: Record<string, [unknown, unknown]> = {}, object = 'lead'): DomainEvent => ({
  seq: 7, txid: '1', object, recordId: 'x', op, changes, actorId: null, at: new Date('2026-01-01T00:00:00Z'),
});

describe('which events trigger which rules', () => {
  it.each([
    ['created', 'create', true], ['created', 'update', false], ['updated', 'update', true], ['deleted', 'delete', true],
    ['submitted', 'submit', true], ['approved', 'approve', true], ['cancelled', 'cancel', true], ['schedule', 'create', false], ['date_reached', 'update', false],
  ] as const)('%s rule on a %s event: %s', (type, op, expected) => {
    expect(eventMatches(rule({ type }), event(op), null)).toBe(expected);
  });

  it('matches only its own object', () => {
    expect(eventMatches(rule({ type: 'created' }), event('create', {}, 'customer'), null)).toBe(false);
  });

  it('"updated" with fields fires only when one of them changed', () => {
    const r = rule({ type: 'updated', fields: ['status', 'amount'] });
    expect(eventMatches(r, event('update', { amount: ['1', '2'] }), null)).toBe(true);
    expect(eventMatches(r, event('update', { name: ['a', 'b'] }), null)).toBe(false);
  });

  it('"public_form" fires on records a form created (that form, when named)', () => {
    const r = rule({ type: 'public_form', formId: '11111111-1111-1111-1111-111111111111' });
    expect(eventMatches(r, event('create'), null)).toBe(false);
    expect(eventMatches(r, event('create'), { source: 'public_form', formId: '11111111-1111-1111-1111-111111111111' })).toBe(true);
    expect(eventMatches(r, event('create'), { source: 'public_form', formId: '22222222-2222-2222-2222-222222222222' })).toBe(false);
    expect(eventMatches(rule({ type: 'created' }), event('create'), { source: 'public_form' })).toBe(true);
  });

  it('makes one job per (event, rule), keyed by the event seq', () => {
    const jobs = jobsForEvents('t', [rule({ type: 'created' }), { ...rule({ type: 'created' }), id: 'r2' }], [event('create')], new Map());
    expect(jobs.map((j) => [j.ruleId, j.trigger.key, j.trigger.at])).toEqual([['r1', 'e:7', '2026-01-01T00:00:00.000Z'], ['r2', 'e:7', '2026-01-01T00:00:00.000Z']]);
  });
});
