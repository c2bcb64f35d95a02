import type { Label } from '../../api/types.ts';
import type { ReportResult, ResultColumn } from '../reports/reports-api.ts';
import { shiftDecimal } from '../../lib/decimal.ts';

/**
 * The production reports' replies (modules/manufacturing/reports) as the
 * generic report engine's result, so `ReportView` — the table and the charts
 * of 报表 — shows them: text and dates are dimensions, quantities, hours and
 * rates are measures (rates in percent points). Pure, no React.
 */
type Say = (key: string) => string;
type Row = Record<string, unknown>;

const dim = (key: string, label: Label): ResultColumn => ({ key, kind: 'dimension', label });
const measure = (key: string, label: Label): ResultColumn => ({ key, kind: 'measure', label });
const points = (fraction: unknown) => (fraction === null || fraction === undefined ? null : shiftDecimal(fraction, 2));
const yesNo = (v: unknown, say: Say) => (v === true ? say('mfgweb.reports.yes') : v === false ? say('mfgweb.reports.no') : '—');

/** The label in the language on screen: the page has already translated it. */
const here = (say: Say, key: string): Label => ({ zh: say(key), en: say(key) });

export interface ProgressReply {
  orders: { id: string; number: string; item: string; qty: string; produced: string; scrap: string; percent: number; due_date: string | null; completed_on: string | null; onTime: boolean | null }[];
  onTimeRate: number | null;
}

export function progressResult(r: ProgressReply, say: Say): ReportResult {
  return {
    truncated: false,
    columns: [
      dim('number', here(say, 'mfgweb.reports.workOrder')), dim('item', here(say, 'mfg.item')), dim('due_date', here(say, 'mfg.mrp.dueDate')),
      dim('completed_on', here(say, 'mfgweb.reports.completedOn')), dim('on_time', here(say, 'mfgweb.reports.onTime')),
      measure('qty', here(say, 'mfgweb.reports.planned')), measure('produced', here(say, 'mfgweb.reports.produced')),
      measure('scrap', here(say, 'mfgweb.reports.scrap')), measure('percent', here(say, 'mfgweb.reports.percent')),
    ],
    rows: r.orders.map((o): Row => ({ number: o.number, item: o.item, due_date: o.due_date, completed_on: o.completed_on, on_time: yesNo(o.onTime, say), qty: o.qty, produced: o.produced, scrap: o.scrap, percent: o.percent })),
  };
}

export interface ScrapReply {
  byItem: { key: string; good: string; scrap: string; rate: number }[];
  byWorkstation: { key: string; good: string; scrap: string; rate: number }[];
}

export function scrapResult(rows: ScrapReply['byItem'], keyLabel: string, say: Say): ReportResult {
  return {
    truncated: false,
    columns: [dim('key', here(say, keyLabel)), measure('good', here(say, 'mfgweb.reports.good')), measure('scrap', here(say, 'mfgweb.reports.scrap')), measure('rate', here(say, 'mfgweb.reports.scrapRate'))],
    rows: rows.map((x): Row => ({ key: x.key, good: x.good, scrap: x.scrap, rate: points(x.rate) })),
  };
}

export interface LoadReply {
  weeks: { workstation: string; code: string; week: string; loadHours: number; capacityHours: number; utilisation: number | null; overloaded: boolean }[];
  overloaded: number;
}

export function loadResult(r: LoadReply, say: Say): ReportResult {
  return {
    truncated: false,
    columns: [
      dim('code', here(say, 'mfgweb.canTake.workstation')), dim('week', here(say, 'mfgweb.canTake.week')), dim('overloaded', here(say, 'mfgweb.reports.overloaded')),
      measure('load', here(say, 'mfgweb.canTake.loadHours')), measure('capacity', here(say, 'mfgweb.canTake.capacityHours')), measure('utilisation', here(say, 'mfgweb.reports.utilisation')),
    ],
    rows: r.weeks.map((w): Row => ({ code: w.code, week: w.week, overloaded: yesNo(w.overloaded, say), load: w.loadHours, capacity: w.capacityHours, utilisation: points(w.utilisation) })),
  };
}

export interface ShortageReply {
  shortages: { item: string; code?: string; warehouse: string; need: string; available: string; short: string; workOrders: string[] }[];
}

export function shortageResult(r: ShortageReply, warehouses: Map<string, string>, say: Say): ReportResult {
  return {
    truncated: false,
    columns: [
      dim('item', here(say, 'mfg.item')), dim('warehouse', here(say, 'mfgweb.reports.warehouse')),
      measure('need', here(say, 'mfgweb.reports.need')), measure('available', here(say, 'mfgweb.reports.available')),
      measure('short', here(say, 'mfgweb.reports.short')), measure('orders', here(say, 'mfgweb.reports.orders')),
    ],
    rows: r.shortages.map((s): Row => ({ item: s.code ?? s.item, warehouse: warehouses.get(s.warehouse) ?? s.warehouse, need: s.need, available: s.available, short: s.short, orders: s.workOrders.length })),
  };
}

export interface WorkshopReply {
  asOf: string;
  workshops: { workshop: string | null; openWorkOrders: number; openJobCards: number; plannedQty: string; completedQty: string; scrapQty: string; percent: number; lateJobCards: number; lateWorkOrders: number }[];
}

/** 车间进度: one row per workshop (workstations without one under "—"), operation quantities and late counts as the server counts them. */
export function workshopResult(r: WorkshopReply, say: Say): ReportResult {
  return {
    truncated: false,
    columns: [
      dim('workshop', here(say, 'webpages.workshop.workshop')),
      measure('open_orders', here(say, 'webpages.workshop.openWorkOrders')), measure('open_cards', here(say, 'webpages.workshop.openJobCards')),
      measure('planned', here(say, 'webpages.workshop.planned')), measure('completed', here(say, 'webpages.workshop.completed')),
      measure('scrap', here(say, 'mfgweb.reports.scrap')), measure('percent', here(say, 'mfgweb.reports.percent')),
      measure('late_cards', here(say, 'webpages.workshop.lateJobCards')), measure('late_orders', here(say, 'webpages.workshop.lateWorkOrders')),
    ],
    rows: r.workshops.map((w): Row => ({
      workshop: w.workshop ?? say('webpages.workshop.none'), open_orders: w.openWorkOrders, open_cards: w.openJobCards,
      planned: w.plannedQty, completed: w.completedQty, scrap: w.scrapQty, percent: w.percent, late_cards: w.lateJobCards, late_orders: w.lateWorkOrders,
    })),
  };
}
