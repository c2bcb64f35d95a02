import { Decimal } from '@mosaic/kernel';
import { COST_TYPES, type CostType } from '../projects.objects.ts';

export interface BudgetLine {
  costType: CostType;
  budget: string;
  actual: string;
  variance: string;
  /** actual ÷ budget, 4 places; null without a budget. */
  usage: string | null;
  overrun: boolean;
}

/** 预算执行: budget vs actual per cost type, variance = budget − actual (negative is an overrun). */
export function budgetVsActual(budgets: Record<CostType, Decimal>, actuals: Partial<Record<CostType, Decimal>>): BudgetLine[] {
  return COST_TYPES.map((costType) => {
    const budget = budgets[costType];
    const actual = actuals[costType] ?? new Decimal(0);
    return {
      costType, budget: budget.toFixed(2), actual: actual.toFixed(2), variance: budget.minus(actual).toFixed(2),
      usage: budget.isZero() ? null : actual.div(budget).toDecimalPlaces(4).toFixed(4), overrun: actual.greaterThan(budget),
    };
  });
}

export interface ProfitFigures {
  revenue: string;
  cost: string;
  profit: string;
  /** profit ÷ revenue, 4 places; null without revenue. */
  margin: string | null;
}

/** 项目利润 = billed revenue (net of VAT) − collected costs. */
export function projectProfit(revenue: Decimal, costs: Decimal[]): ProfitFigures {
  const cost = costs.reduce((s, c) => s.plus(c), new Decimal(0));
  const profit = revenue.minus(cost);
  return { revenue: revenue.toFixed(2), cost: cost.toFixed(2), profit: profit.toFixed(2), margin: revenue.isZero() ? null : profit.div(revenue).toDecimalPlaces(4).toFixed(4) };
}

/**
 * A project's health for the portfolio: red when a cost type is over budget or the project
 * is past its end date unfinished, amber when 90 % of the budget is used or less than
 * the elapsed share of the time has been done, green otherwise.
 */
export function projectHealth(p: { lines: BudgetLine[]; progress: Decimal; start: string | null; end: string | null; finished: boolean; today: string }): 'green' | 'amber' | 'red' {
  if (p.lines.some((l) => l.overrun)) return 'red';
  if (!p.finished && p.end && p.today > p.end) return 'red';
  const budget = p.lines.reduce((s, l) => s.plus(l.budget), new Decimal(0));
  const actual = p.lines.reduce((s, l) => s.plus(l.actual), new Decimal(0));
  if (!budget.isZero() && actual.div(budget).greaterThanOrEqualTo('0.9')) return 'amber';
  if (!p.finished && p.start && p.end && p.today >= p.start) {
    const span = Date.parse(p.end) - Date.parse(p.start);
    const elapsed = span > 0 ? (Date.parse(p.today) - Date.parse(p.start)) / span : 1;
    if (p.progress.lessThan(new Decimal(elapsed).minus('0.1'))) return 'amber'; // 10 points of slack before it shows
  }
  return 'green';
}

export interface ProgressTask {
  id: string;
  parent: string | null;
  progress: Decimal;
  done: boolean;
  estimateHours: Decimal | null;
}

/**
 * 项目进度 from its WBS: the average progress of the leaf tasks (those without sub-tasks),
 * weighted by their estimated hours (1 where there is no estimate); a done task counts as
 * 100 %. 4 places; null without tasks. Pure.
 */
export function rolledUpProgress(tasks: ProgressTask[]): Decimal | null {
  const parents = new Set(tasks.map((t) => t.parent).filter((p): p is string => !!p));
  const leaves = tasks.filter((t) => !parents.has(t.id));
  if (!leaves.length) return null;
  const weight = (t: ProgressTask) => (t.estimateHours && t.estimateHours.gt(0) ? t.estimateHours : new Decimal(1));
  const total = leaves.reduce((s, t) => s.plus(weight(t)), new Decimal(0));
  const done = leaves.reduce((s, t) => s.plus(weight(t).times(t.done ? 1 : Decimal.min(Decimal.max(t.progress, 0), 1))), new Decimal(0));
  return done.div(total).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
}
