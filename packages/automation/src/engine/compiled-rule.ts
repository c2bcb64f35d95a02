import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import type { RuleRow } from '../automation.types.ts';
import { templatePaths } from '../email/template.ts';
import { ruleById } from '../rules/rule.store.ts';
import { canLoadPath } from './record-view.ts';
import { formulaPaths } from './values.ts';

/** A rule as a job runs it: the row, and every record path its condition and actions read. */
export interface CompiledRule {
  rule: RuleRow;
  /** The condition's paths (a bad one fails the run, as before) and the actions' merge fields and formulas that resolve. */
  paths: string[];
}

interface CacheEntry {
  objects: Map<string, ObjectMeta> | null;
  compiled: CompiledRule;
}

/**
 * Per process, by rule id and version: a job reads the rule's version (one indexed
 * lookup) and reuses what it compiled before. Bounded, least recently used out
 * first: a process serves many tenants, each entry pins the metadata map it was
 * compiled against, and a saved rule leaves its old version behind (never asked
 * for again, it ages out instead of living for the life of the process).
 */
export const COMPILED_RULE_CACHE_MAX = 1000;

/** A Map kept in use order (a hit moves to the back): the front is the least recently used. */
export class CompiledRuleCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(private readonly max = COMPILED_RULE_CACHE_MAX) {}

  static key(ruleId: string, version: number): string {
    return `${ruleId}@${version}`;
  }

  get(key: string): CacheEntry | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, entry: CacheEntry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }
}

const cache = new CompiledRuleCache();

/**
 * The rule for a queued job, or null when it was disabled or deleted since the
 * job was queued. One statement on `tx` in the common case:
 *
 *   SELECT version FROM automation_rule WHERE id = $1 AND enabled
 *
 * and the row itself only when this process has not compiled that version yet.
 * Compiling gathers every path the run will read, so the triggering record is
 * read once, with all of them, instead of once more per action template.
 */
export async function ruleForRun(tx: Tx, ruleId: string, objects: Map<string, ObjectMeta>): Promise<CompiledRule | null> {
  const live = (await sql<{ version: number }>`SELECT version FROM automation_rule WHERE id = ${ruleId} AND enabled`.execute(tx)).rows[0];
  if (!live) return null;
  const hit = cache.get(CompiledRuleCache.key(ruleId, live.version));
  // Metadata changes swap the store's map: recompile, a path may no longer resolve.
  if (hit && hit.objects === objects) return hit.compiled;
  const rule = await ruleById(tx, ruleId);
  if (!rule?.enabled) return null;
  const compiled = compile(rule, objects);
  cache.set(CompiledRuleCache.key(ruleId, rule.version), { objects, compiled });
  return compiled;
}

export function compile(rule: RuleRow, objects: Map<string, ObjectMeta>): CompiledRule {
  const obj = rule.object ? (objects.get(rule.object) ?? null) : null;
  const conditionPaths = rule.condition ? formulaPaths(rule.condition) : [];
  const actionPaths = obj ? actionReads(rule.actions).filter((p) => canLoadPath(objects, obj, p)) : [];
  return { rule, paths: [...new Set([...conditionPaths, ...actionPaths])] };
}

/** Record paths named anywhere in the actions: `{{merge fields}}` of any text and `{ formula }` values. */
export function actionReads(actions: unknown): string[] {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === 'string') {
      if (v.includes('{{')) for (const p of templatePaths(v)) out.add(p);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const formula = (v as { formula?: unknown }).formula;
      if (typeof formula === 'string') {
        try {
          for (const p of formulaPaths(formula)) out.add(p);
        } catch {
          /* a formula that no longer parses fails in its action, with its own message */
        }
      }
      Object.values(v).forEach(walk);
    }
  };
  walk(actions);
  return [...out].filter((p) => p !== 'rule.name' && p !== 'payload' && !p.startsWith('payload.'));
}
