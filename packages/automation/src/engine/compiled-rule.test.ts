import { describe, expect, it } from 'vitest';
import type { RuleRow } from '../automation.types.ts';
import { COMPILED_RULE_CACHE_MAX, CompiledRuleCache } from './compiled-rule.ts';

const entry = (id: string) => ({ objects: null, compiled: { rule: { id } as RuleRow, paths: [] } });

describe('the compiled-rule cache', () => {
  it('holds at most its bound, dropping the least recently used rule first', () => {
    const cache = new CompiledRuleCache(3);
    for (const id of ['a', 'b', 'c']) cache.set(CompiledRuleCache.key(id, 1), entry(id));
    expect(cache.get(CompiledRuleCache.key('a', 1))?.compiled.rule.id).toBe('a'); // a is now the most recent
    cache.set(CompiledRuleCache.key('d', 1), entry('d'));
    expect(cache.size).toBe(3);
    expect(['a', 'b', 'c', 'd'].filter((id) => cache.has(CompiledRuleCache.key(id, 1)))).toEqual(['a', 'c', 'd']);
  });

  it('keys by version: a saved rule misses, and its old version ages out', () => {
    const cache = new CompiledRuleCache(2);
    cache.set(CompiledRuleCache.key('r', 1), entry('r'));
    expect(cache.get(CompiledRuleCache.key('r', 2))).toBeUndefined();
    cache.set(CompiledRuleCache.key('r', 2), entry('r'));
    cache.set(CompiledRuleCache.key('s', 1), entry('s'));
    expect([cache.has(CompiledRuleCache.key('r', 1)), cache.has(CompiledRuleCache.key('r', 2)), cache.size]).toEqual([false, true, 2]);
  });

  it('never grows past the default bound under many rules', () => {
    const cache = new CompiledRuleCache();
    for (let i = 0; i < COMPILED_RULE_CACHE_MAX * 3; i++) cache.set(CompiledRuleCache.key(`rule-${i}`, 1), entry(`rule-${i}`));
    expect(cache.size).toBe(COMPILED_RULE_CACHE_MAX);
    expect(cache.has(CompiledRuleCache.key(`rule-${COMPILED_RULE_CACHE_MAX * 3 - 1}`, 1))).toBe(true);
    expect(cache.has(CompiledRuleCache.key('rule-0', 1))).toBe(false);
  });
});
