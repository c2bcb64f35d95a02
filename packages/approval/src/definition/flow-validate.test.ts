import { describe, expect, it } from 'vitest';
import { ZFlowDefinition, type TFlowDefinition } from './flow-definition.schema.ts';
import { validateFlow, type FlowChecks } from './flow-validate.rules.ts';
import { FlowGraph, matchJoins } from './flow-graph.ts';

const checks: FlowChecks = {
  condition: (src) => (src.includes('amount') ? null : `unknown field in ${src}`),
  userExists: (id) => id.startsWith('0'),
  roleExists: (code) => code === 'gm',
  userField: (f) => (f === 'reviewer' ? null : `field "${f}" is not a user field`),
};
const def = (d: unknown): TFlowDefinition => ZFlowDefinition.parse(d);
const n = (id: string, type: string, extra: Record<string, unknown> = {}) => ({ id, type, ...extra });
const approval = (id: string) => n(id, 'approval', { approvers: { kind: 'manager' } });
const e = (source: string, target: string, extra: Record<string, unknown> = {}) => ({ source, target, ...extra });
const messages = (d: unknown) => validateFlow(def(d), checks).map((x) => `${x.node ?? '-'}: ${x.message}`);

describe('validateFlow: valid flows', () => {
  const valid: [string, unknown][] = [
    ['a line', { nodes: [n('s', 'start'), approval('a'), n('z', 'end')], edges: [e('s', 'a'), e('a', 'z')] }],
    ['a condition with a default', {
      nodes: [n('s', 'start'), n('c', 'condition'), approval('gm'), n('z', 'end')],
      edges: [e('s', 'c'), e('c', 'gm', { condition: 'amount > 50000' }), e('c', 'z', { default: true }), e('gm', 'z')],
    }],
    ['nested parallel branches with a condition inside', {
      nodes: [n('s', 'start'), n('p', 'parallel_split'), n('q', 'parallel_split'), approval('a'), approval('b'), n('jq', 'parallel_join'),
        n('c', 'condition'), approval('d'), n('jp', 'parallel_join'), n('z', 'end')],
      edges: [e('s', 'p'), e('p', 'q'), e('q', 'a'), e('q', 'b'), e('a', 'jq'), e('b', 'jq'), e('jq', 'jp'),
        e('p', 'c'), e('c', 'd', { condition: 'amount > 1' }), e('c', 'jp', { default: true }), e('d', 'jp'), e('jp', 'z')],
    }],
  ];
  it.each(valid)('%s', (_name, d) => {
    expect(messages(d)).toEqual([]);
  });

  it('pairs each split with its join', () => {
    const g = new FlowGraph(def(valid[2][1]));
    expect(Object.fromEntries(matchJoins(g).joinOf)).toEqual({ p: 'jp', q: 'jq' });
  });
});

describe('validateFlow: errors name the node', () => {
  const invalid: [string, unknown, RegExp][] = [
    ['no start', { nodes: [n('z', 'end')], edges: [] }, /exactly one start/],
    ['no end', { nodes: [n('s', 'start'), approval('a')], edges: [e('s', 'a')] }, /needs an end node/],
    ['a dangling edge', { nodes: [n('s', 'start'), n('z', 'end')], edges: [e('s', 'z'), e('s', 'x')] }, /^x: .*does not exist/m],
    ['two ways out of an approval', { nodes: [n('s', 'start'), approval('a'), n('z', 'end'), n('y', 'end')], edges: [e('s', 'a'), e('a', 'z'), e('a', 'y')] }, /^a: .*exactly one way on \(has 2\)/m],
    ['a branch without default', {
      nodes: [n('s', 'start'), n('c', 'condition'), n('z', 'end')], edges: [e('s', 'c'), e('c', 'z', { condition: 'amount > 1' })],
    }, /^c: .*exactly one default edge \(has 0\)/m],
    ['a condition that does not check', {
      nodes: [n('s', 'start'), n('c', 'condition'), n('z', 'end')], edges: [e('s', 'c'), e('c', 'z', { condition: 'amout > 1' }), e('c', 'z', { default: true })],
    }, /^c: .*condition to "z": unknown field/m],
    ['a condition on a plain edge', { nodes: [n('s', 'start'), n('z', 'end')], edges: [e('s', 'z', { condition: 'amount > 1' })] }, /only edges leaving a condition/],
    ['an unreachable node', { nodes: [n('s', 'start'), approval('a'), n('z', 'end')], edges: [e('s', 'z'), e('a', 'z')] }, /^a: .*cannot be reached/m],
    ['a cycle', { nodes: [n('s', 'start'), approval('a'), approval('b'), n('z', 'end')], edges: [e('s', 'a'), e('a', 'b'), e('b', 'a')] }, /cycle/],
    ['a split whose branches end apart', {
      nodes: [n('s', 'start'), n('p', 'parallel_split'), approval('a'), n('j', 'parallel_join'), n('z', 'end')],
      edges: [e('s', 'p'), e('p', 'a'), e('p', 'z'), e('a', 'j'), e('j', 'z')],
    }, /^p: .*must all meet at one parallel join/m],
    ['a join without a split', {
      nodes: [n('s', 'start'), approval('a'), approval('b'), n('j', 'parallel_join'), n('c', 'condition'), n('z', 'end')],
      edges: [e('s', 'c'), e('c', 'a', { condition: 'amount > 1' }), e('c', 'b', { default: true }), e('a', 'j'), e('b', 'j'), e('j', 'z')],
    }, /^j: .*no matching parallel split/m],
    ['percentage mode without a percentage', {
      nodes: [n('s', 'start'), n('a', 'approval', { mode: 'percentage', approvers: { kind: 'manager' } }), n('z', 'end')], edges: [e('s', 'a'), e('a', 'z')],
    }, /^a: .*needs a percentage/m],
    ['an unknown role and user', {
      nodes: [n('s', 'start'), n('a', 'approval', { approvers: { kind: 'role', role: 'boss' } }), n('c', 'cc', { recipients: { userIds: ['11111111-1111-4111-8111-111111111111'] } }), n('z', 'end')],
      edges: [e('s', 'a'), e('a', 'c'), e('c', 'z')],
    }, /^a: .*no role "boss"[\s\S]*^c: .*not an active user/m],
    ['a field that is no user field', {
      nodes: [n('s', 'start'), n('a', 'approval', { approvers: { kind: 'field', field: 'amount' } }), n('z', 'end')], edges: [e('s', 'a'), e('a', 'z')],
    }, /^a: .*not a user field/m],
    ['an entry condition that does not check', { entryCondition: 'region = 1', nodes: [n('s', 'start'), n('z', 'end')], edges: [e('s', 'z')] }, /^entryCondition: entry condition/m],
  ];
  it.each(invalid)('%s', (_name, d, expected) => {
    expect(messages(d).join('\n')).toMatch(expected);
  });
});
