import { describe, expect, it } from 'vitest';
import { loopReason, nextCause } from './causation.ts';

const A = '00000000-0000-7000-8000-aaaaaaaaaaaa';
const B = '00000000-0000-7000-8000-bbbbbbbbbbbb';

describe('loop stop', () => {
  it('lets a rule run on a change nobody or another rule caused', () => {
    expect(loopReason(A, 'a', null)).toBeNull();
    expect(loopReason(A, 'a', { source: 'public_form' })).toBeNull();
    expect(loopReason(A, 'a', nextCause(B, null))).toBeNull();
  });

  it('stops a rule on its own write, and a ping-pong between two rules', () => {
    expect(loopReason(A, '设置分数', nextCause(A, null))).toMatch(/loop stopped: rule "设置分数" would fire on a change it caused itself \(chain: aaaaaaaaaaaa → aaaaaaaaaaaa\)/);
    expect(loopReason(A, 'a', nextCause(B, nextCause(A, null)))).toMatch(/aaaaaaaaaaaa → bbbbbbbbbbbb → aaaaaaaaaaaa/);
  });

  it('stops at depth 5', () => {
    let cause = null as ReturnType<typeof nextCause> | null;
    for (let i = 0; i < 5; i++) cause = nextCause(`${i}0000000-0000-0000-0000-000000000000`, cause);
    expect(cause!.depth).toBe(5);
    expect(loopReason(A, 'a', cause)).toMatch(/5 rules in a row/);
  });
});
