import { MAX_CAUSE_DEPTH, type Cause } from '../automation.types.ts';

/**
 * Loop stop (issue 5: a rule that updates a record must not re-trigger itself
 * into a loop). Every write a rule makes carries the chain of rules that led
 * to it (outbox_event.cause); a rule does not run on an event its own chain
 * caused, nor beyond MAX_CAUSE_DEPTH rules deep.
 */
export function loopReason(ruleId: string, ruleName: string, cause: Cause | null | undefined): string | null {
  const chain = cause?.rules ?? [];
  if (chain.includes(ruleId)) {
    return `loop stopped: rule "${ruleName}" would fire on a change it caused itself (chain: ${[...chain, ruleId].map(short).join(' → ')})`;
  }
  if ((cause?.depth ?? 0) >= MAX_CAUSE_DEPTH) {
    return `loop stopped: ${MAX_CAUSE_DEPTH} rules in a row already led to this change (chain: ${[...chain, ruleId].map(short).join(' → ')})`;
  }
  return null;
}

/** The cause the rule's own writes carry: the chain so far plus this rule. */
export function nextCause(ruleId: string, cause: Cause | null | undefined): Cause {
  const rules = [...(cause?.rules ?? []), ruleId];
  return { source: 'rule', rules, depth: rules.length };
}

// The random tail of a UUIDv7 (its head is a timestamp, alike for rules made together).
const short = (id: string) => id.slice(-12);
