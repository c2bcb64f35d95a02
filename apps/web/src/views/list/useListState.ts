import { useCallback, useMemo, useRef } from 'react';
import { useSearchParams } from 'react-router';
import type { FilterNode } from '../../api/types.ts';
import type { Condition } from '../../lib/filter.ts';

/**
 * A list's state lives in the URL (?page=2&size=50&sort=-amount&q=华&f=[…]&edit=new):
 * reload, back/forward and shared links show the same page.
 */
export interface ListState {
  page: number;
  pageSize: number;
  sort: string | undefined;
  quick: string;
  conditions: Condition[];
  edit: string | null; // 'new' or a record id: the form drawer
  view: string | null; // the saved view applied, if any
  mode: 'table' | 'kanban' | 'calendar';
  group: string | null; // kanban: the single-select field the columns are
  date: string | null; // calendar: the date field records sit on
  month: string | null; // calendar: YYYY-MM shown
  drill: FilterNode | null; // a report's drill-down: the records behind one figure, ANDed with the rest
}

/** The state a query string holds. */
export function stateFrom(params: URLSearchParams): ListState {
  return {
    page: positive(params.get('page'), 1),
    pageSize: Math.min(500, positive(params.get('size'), 20)),
    sort: params.get('sort') ?? undefined,
    quick: params.get('q') ?? '',
    conditions: parseConditions(params.get('f')),
    edit: params.get('edit'),
    view: params.get('view'),
    mode: (['kanban', 'calendar'] as const).find((m) => m === params.get('mode')) ?? 'table',
    group: params.get('group'),
    date: params.get('date'),
    month: params.get('month'),
    drill: parseDrill(params.get('drill')),
  };
}

/**
 * The query string after `patch`. From the address bar, not react-router's params: react-router hands an
 * updater the params of the last render, so two quick changes (clear the filters, then search) would lose the first.
 */
export function paramsAfter(patch: Partial<ListState>): URLSearchParams {
  const next = new URLSearchParams(window.location.search);
  const set = (k: string, v: string | undefined | null) => (v === undefined || v === null || v === '' ? next.delete(k) : next.set(k, v));
  if ('page' in patch) set('page', patch.page && patch.page > 1 ? String(patch.page) : null);
  if ('pageSize' in patch) set('size', patch.pageSize && patch.pageSize !== 20 ? String(patch.pageSize) : null);
  if ('sort' in patch) set('sort', patch.sort);
  if ('quick' in patch) set('q', patch.quick);
  if ('conditions' in patch) set('f', patch.conditions?.length ? JSON.stringify(patch.conditions) : null);
  if ('edit' in patch) set('edit', patch.edit);
  if ('view' in patch) set('view', patch.view);
  if ('mode' in patch) set('mode', patch.mode === 'table' ? null : patch.mode);
  if ('group' in patch) set('group', patch.group);
  if ('date' in patch) set('date', patch.date);
  if ('month' in patch) set('month', patch.month);
  if ('drill' in patch) set('drill', patch.drill ? JSON.stringify(patch.drill) : null);
  // A new filter or sort starts again from the first page.
  if (('quick' in patch || 'conditions' in patch || 'sort' in patch || 'drill' in patch) && !('page' in patch)) next.delete('page');
  return next;
}

export function useListState() {
  const [params, setParams] = useSearchParams();
  const state = useMemo<ListState>(() => stateFrom(params), [params]);

  // One `update` for the page's life: react-router's setter is a new function on every change of the address,
  // and everything built on `update` (the table's columns, the row actions) would be rebuilt on each page turn.
  const setter = useRef(setParams);
  setter.current = setParams;
  const update = useCallback((patch: Partial<ListState>) => {
    setter.current(() => paramsAfter(patch), { replace: 'edit' in patch ? false : true });
  }, []);

  return [state, update] as const;
}

function positive(s: string | null, dflt: number): number {
  const n = Number(s);
  return Number.isInteger(n) && n > 0 ? n : dflt;
}

function parseConditions(s: string | null): Condition[] {
  if (!s) return [];
  try {
    const v = JSON.parse(s) as unknown;
    return Array.isArray(v) ? v.filter((c): c is Condition => !!c && typeof c === 'object' && typeof (c as Condition).field === 'string' && typeof (c as Condition).op === 'string') : [];
  } catch {
    return [];
  }
}

function parseDrill(s: string | null): FilterNode | null {
  if (!s) return null;
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as FilterNode) : null;
  } catch {
    return null;
  }
}
